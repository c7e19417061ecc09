// Test and benchmark support on the SFU service API: a worker pool with the real built
// worker, and media attached to a call's peers through PlainTransports (the same router
// objects the signaling methods use; never reachable from the protocol).
import type { Socket } from "node:dgram";
import { createLogger } from "../../src/log/logger.ts";
import type { CallMedia } from "../../src/calls/media.ts";
import { loadMediasoup } from "../../src/calls/mediasoup.ts";
import type { Peer } from "../../src/calls/peer.ts";
import { WorkerPool } from "../../src/calls/pool.ts";
import { boundSocket, countRtp, opusParameters, OPUS_PT, VP8_PT, vp8Parameters } from "./rtp.ts";

export const quietLog = createLogger({ level: "error", format: "json", stream: { write: () => {} } });

/** A pool of real workers on loopback with OS-chosen ports. */
export async function startTestPool(workers: number, dataDir: string): Promise<WorkerPool> {
  const mediasoup = await loadMediasoup(dataDir);
  return WorkerPool.start(mediasoup, { workers, rtcPort: 0, listenIp: "127.0.0.1", announcedAddress: "127.0.0.1", log: quietLog });
}

export const mediaOptions = { maxIncomingBitrate: 0, initialOutgoingBitrate: 1_000_000 };

export interface PlainSource {
  producerId: string;
  port: number; // send RTP here
  ssrc: number;
  payloadType: number;
}

let ssrcSeq = 4000;

/** A producer fed by RTP from a dgram socket (comedia: the transport learns our address). */
export async function plainSource(media: CallMedia, peer: Peer, kind: "audio" | "video"): Promise<PlainSource> {
  const transport = await media.createPlainTransport(peer, "send", true);
  const ssrc = ++ssrcSeq;
  const producer = await media.produce(peer, transport.id, {
    kind,
    rtpParameters: kind === "audio" ? opusParameters(ssrc) : vp8Parameters(ssrc),
    source: kind === "audio" ? "mic" : "camera",
  });
  return { producerId: producer.id, port: transport.tuple.localPort, ssrc, payloadType: kind === "audio" ? OPUS_PT : VP8_PT };
}

export interface PlainSink {
  socket: Socket;
  received: { readonly count: number; reset(): void };
  consumerId: string;
  close(): void;
}

/** A resumed consumer whose RTP goes to a fresh local socket. */
export async function plainSink(media: CallMedia, peer: Peer, producerId: string): Promise<PlainSink> {
  const socket = await boundSocket();
  const transport = await media.createPlainTransport(peer, "recv", false);
  await transport.connect({ ip: "127.0.0.1", port: socket.address().port });
  const { consumer } = await media.consume(peer, producerId, peer.router.rtpCapabilities, transport.id);
  await consumer.resume();
  const ssrc = consumer.rtpParameters.encodings?.[0]?.ssrc ?? 0;
  return { socket, received: countRtp(socket, ssrc), consumerId: consumer.id, close: () => socket.close() };
}
