// The media half of call signaling: transports, producers and consumers, each found
// only among the caller's own (calls.ts findPeer/peerOf), so a foreign id is not_found.
// Camera and screen rights are re-read from the chat on every produce (access.ts).
import { requireChat } from "../chats/access.ts";
import { invalidField, notFound } from "../errors.ts";
import type { CallParams, CallResult, CallSource } from "../protocol/methods/calls.ts";
import type { Calls } from "./calls.ts";
import type { types } from "./mediasoup.ts";
import { clientInput } from "./peer.ts";

type Opaque = Record<string, unknown>;
const opaque = (x: unknown) => x as Opaque;

const rightFor = (source: CallSource) => (source === "camera" ? "call_camera" : source === "mic" ? "call_join" : "call_screen");

export async function createTransport(calls: Calls, userId: string, p: CallParams<"call.transport.create">): Promise<CallResult<"call.transport.create">> {
  const { call, peer } = calls.peerOf(userId, p.callId);
  const t = await call.media!.createWebRtcTransport(peer, p.direction);
  return { transportId: t.id, iceParameters: opaque(t.iceParameters), iceCandidates: t.iceCandidates.map(opaque), dtlsParameters: opaque(t.dtlsParameters) };
}

export async function connectTransport(calls: Calls, userId: string, p: CallParams<"call.transport.connect">): Promise<object> {
  const { peer } = calls.findPeer(userId, (peer) => peer.transports.has(p.transportId), "Transport");
  const entry = peer.transport(p.transportId);
  if (!entry.webrtc) throw invalidField("transportId", "not a WebRTC transport");
  await clientInput("dtlsParameters", () => entry.transport.connect({ dtlsParameters: p.dtlsParameters as unknown as types.DtlsParameters }));
  return {};
}

export async function restartIce(calls: Calls, userId: string, p: CallParams<"call.restart_ice">): Promise<CallResult<"call.restart_ice">> {
  const { peer } = calls.findPeer(userId, (peer) => peer.transports.has(p.transportId), "Transport");
  const entry = peer.transport(p.transportId);
  if (!entry.webrtc) throw invalidField("transportId", "not a WebRTC transport");
  const iceParameters = await clientInput("transportId", () => (entry.transport as types.WebRtcTransport).restartIce());
  return { iceParameters: opaque(iceParameters) };
}

export async function produce(calls: Calls, userId: string, p: CallParams<"call.produce">): Promise<CallResult<"call.produce">> {
  const found = calls.findPeer(userId, (peer) => peer.transports.has(p.transportId), "Transport");
  await requireChat(calls.deps.storage, userId, found.call.chatId, rightFor(p.appData.source));
  // Re-check after the await: the caller may have left or rejoined meanwhile.
  const { call, peer } = calls.peerOf(userId, found.call.id);
  if (peer !== found.peer) throw notFound("Transport not found");
  const producer = await call.media!.produce(peer, p.transportId, {
    kind: p.kind,
    rtpParameters: p.rtpParameters as unknown as types.RtpParameters,
    source: p.appData.source,
  });
  const info = { producerId: producer.id, userId, kind: producer.kind, source: p.appData.source, paused: producer.paused };
  await calls.announceProducer(call, info);
  return { producerId: producer.id };
}

export async function changeProducer(calls: Calls, userId: string, producerId: string, change: "pause" | "resume" | "close"): Promise<object> {
  const { call, peer } = calls.findPeer(userId, (peer) => peer.producers.has(producerId), "Producer");
  const producer = peer.producer(producerId);
  if (change === "pause") await producer.pause();
  else if (change === "resume") await producer.resume();
  else {
    producer.close();
    await calls.retractProducer(call, userId, producerId);
  }
  await calls.participantUpdated(call, userId);
  return {};
}

export async function consume(calls: Calls, userId: string, p: CallParams<"call.consume">): Promise<CallResult<"call.consume">> {
  const { call, peer } = calls.findPeer(userId, (_peer, call) => call.media?.producers.has(p.producerId) ?? false, "Producer");
  const { consumer, meta } = await call.media!.consume(peer, p.producerId, p.rtpCapabilities as unknown as types.RtpCapabilities, p.transportId);
  return {
    consumerId: consumer.id,
    producerId: p.producerId,
    userId: meta.userId,
    kind: consumer.kind,
    source: meta.source,
    rtpParameters: opaque(consumer.rtpParameters),
    type: consumer.type,
    producerPaused: consumer.producerPaused,
  };
}

export async function changeConsumer(calls: Calls, userId: string, consumerId: string, change: "pause" | "resume"): Promise<object> {
  const { peer } = calls.findPeer(userId, (peer) => peer.consumers.has(consumerId), "Consumer");
  const consumer = peer.consumer(consumerId);
  await (change === "pause" ? consumer.pause() : consumer.resume());
  return {};
}

export async function setPreferredLayers(calls: Calls, userId: string, p: CallParams<"call.set_preferred_layers">): Promise<object> {
  const { peer } = calls.findPeer(userId, (peer) => peer.consumers.has(p.consumerId), "Consumer");
  const consumer = peer.consumer(p.consumerId);
  if (consumer.type === "simple") throw invalidField("consumerId", "not a simulcast or SVC stream");
  await clientInput("spatialLayer", () => consumer.setPreferredLayers({ spatialLayer: p.spatialLayer, temporalLayer: p.temporalLayer }));
  return {};
}
