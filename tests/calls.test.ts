// Calls through a real server and a real mediasoup worker: DM ringing (answer, decline,
// missed), the signaling path over the WS protocol (transports on the one media port,
// produce, consume, simulcast layers, ICE restart, state), RTP through the call's own
// routers, group calls, and authorization (strangers, rights, removal from the chat).
// Needs the worker from `bun run setup`; a missing worker FAILS these tests.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import type { CallPerson } from "./support/calls-server.ts";
import { startCallsServer } from "./support/calls-server.ts";
import { boundSocket, sendRtp, waitFor } from "./support/rtp.ts";
import { plainSink, plainSource } from "./support/calls.ts";

setDefaultTimeout(30_000);

let s: Awaited<ReturnType<typeof startCallsServer>>;
let ann: CallPerson, ben: CallPerson, cat: CallPerson, dan: CallPerson;
let n = 0;
const cid = () => `c${++n}`;

beforeAll(async () => {
  s = await startCallsServer({ set: ["calls.iceServers=stun:stun.example.org:3478"] });
  [ann, ben, cat, dan] = await Promise.all([s.person("ann"), s.person("ben"), s.person("cat"), s.person("dan")]);
});
afterAll(() => s.stop());

const dm = async (a: CallPerson, b: CallPerson) => (await a.request("chat.create", { kind: "direct", userId: b.id })).entry.chat.id as string;
const group = async (owner: CallPerson, members: CallPerson[], kind = "group") =>
  (await owner.request("chat.create", { kind, clientId: cid(), title: "Team", memberIds: members.map((p) => p.id) })).entry.chat.id as string;

// What a browser's mediasoup-client sends (shapes only; no real media flows on these).
const micParams = { mid: "0", codecs: [{ mimeType: "audio/opus", payloadType: 111, clockRate: 48000, channels: 2, parameters: { useinbandfec: 1 } }], headerExtensions: [], encodings: [{ ssrc: 11111 }], rtcp: { cname: "t" } };
const cameraParams = {
  mid: "1",
  codecs: [{ mimeType: "video/VP8", payloadType: 96, clockRate: 90000, rtcpFeedback: [{ type: "nack" }, { type: "ccm", parameter: "fir" }, { type: "goog-remb" }] }],
  headerExtensions: [{ uri: "urn:ietf:params:rtp-hdrext:sdes:mid", id: 1 }, { uri: "urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id", id: 2 }],
  encodings: [{ rid: "r0", maxBitrate: 100_000 }, { rid: "r1", maxBitrate: 300_000 }, { rid: "r2", maxBitrate: 900_000 }],
  rtcp: { cname: "t" },
};
const dtls = { role: "client", fingerprints: [{ algorithm: "sha-256", value: Array.from({ length: 32 }, () => "AB").join(":") }] };

describe("a 1:1 call in a direct chat", () => {
  test("ring, answer, signal, consume with simulcast layers, restart ICE, state, leave", async () => {
    const chatId = await dm(ann, ben);
    const joined = await ann.request("call.join", { chatId });
    expect(joined.participants.map((p: any) => p.userId)).toEqual([ann.id]);
    expect((joined.routerRtpCapabilities as { codecs: { mimeType: string }[] }).codecs.map((c) => c.mimeType)).toContain("audio/opus");
    expect(joined.iceServers).toEqual([{ urls: ["stun:stun.example.org:3478"] }]);
    const ring = await ben.event("call.rang", (d) => d.callId === joined.callId);
    expect(ring).toEqual({ callId: joined.callId, chatId, from: ann.id });
    await ben.event("call.started", (d) => d.call.callId === joined.callId && d.call.ringing);

    const answered = await ben.request("call.join", { chatId });
    expect(answered.callId).toBe(joined.callId);
    expect(answered.participants.map((p: any) => p.userId).sort()).toEqual([ann.id, ben.id].sort());
    await ann.event("call.participant_joined", (d) => d.participant.userId === ben.id);

    // Transports: ICE candidates on the one media port, UDP and TCP, on the announced address.
    const send = await ann.request("call.transport.create", { callId: joined.callId, direction: "send" });
    const candidates = send.iceCandidates.map((c: any) => `${c.protocol}:${c.address ?? c.ip}:${c.port}`).sort();
    expect(candidates.length).toBe(2);
    expect(new Set(send.iceCandidates.map((c: any) => c.port)).size).toBe(1);
    expect(candidates[0]).toStartWith("tcp:127.0.0.1:");
    expect(await ann.request("call.transport.connect", { transportId: send.transportId, dtlsParameters: dtls })).toEqual({});

    const mic = await ann.request("call.produce", { transportId: send.transportId, kind: "audio", rtpParameters: micParams, appData: { source: "mic" } });
    const cam = await ann.request("call.produce", { transportId: send.transportId, kind: "video", rtpParameters: cameraParams, appData: { source: "camera" } });
    const added = await ben.event("call.producer_added", (d) => d.producer.producerId === cam.producerId);
    expect(added.producer).toMatchObject({ userId: ann.id, kind: "video", source: "camera", paused: false });
    await ben.event("call.participant_updated", (d) => d.participant.userId === ann.id && d.participant.camera && !d.participant.muted);

    const recv = await ben.request("call.transport.create", { callId: joined.callId, direction: "recv" });
    const rtpCapabilities = answered.routerRtpCapabilities;
    const video = await ben.request("call.consume", { producerId: cam.producerId, rtpCapabilities });
    expect(video).toMatchObject({ producerId: cam.producerId, userId: ann.id, kind: "video", source: "camera", type: "simulcast" });
    expect(await ben.request("call.set_preferred_layers", { consumerId: video.consumerId, spatialLayer: 1, temporalLayer: 0 })).toEqual({});
    expect(await ben.request("call.consumer.resume", { consumerId: video.consumerId })).toEqual({});
    const audio = await ben.request("call.consume", { producerId: mic.producerId, rtpCapabilities, transportId: recv.transportId });
    expect(audio.type).toBe("simple");
    expect(await ben.code("call.set_preferred_layers", { consumerId: audio.consumerId, spatialLayer: 0 })).toBe("invalid_field");

    const restarted = await ann.request("call.restart_ice", { transportId: send.transportId });
    expect((restarted.iceParameters as { usernameFragment: string }).usernameFragment).not.toBe((send.iceParameters as { usernameFragment: string }).usernameFragment);

    await ann.request("call.producer.pause", { producerId: mic.producerId });
    await ben.event("call.participant_updated", (d) => d.participant.userId === ann.id && d.participant.muted);
    await ben.request("call.set_state", { callId: joined.callId, deafened: true });
    await ann.event("call.participant_updated", (d) => d.participant.userId === ben.id && d.participant.deafened);
    await ann.request("call.producer.close", { producerId: cam.producerId });
    await ben.event("call.producer_removed", (d) => d.producerId === cam.producerId);

    // One hangs up: the 1:1 call is over for both, nobody is left alone in it.
    await ann.request("call.leave", { callId: joined.callId });
    await ben.event("call.participant_left", (d) => d.userId === ann.id && d.reason === "left");
    const ended = await ann.event("call.ended", (d) => d.callId === joined.callId);
    expect(ended.reason).toBe("ended");
    await ben.event("call.ended", (d) => d.callId === joined.callId && d.reason === "ended");
    expect(await ben.code("call.leave", { callId: joined.callId })).toBe("not_found");
    expect(s.calls.byId.has(joined.callId)).toBe(false);
  });

  test("the callee hangs up an answered call: it ends for the caller too, and a new call can start", async () => {
    const chatId = await dm(cat, dan);
    const { callId } = await cat.request("call.join", { chatId });
    await dan.event("call.rang", (d) => d.callId === callId);
    await dan.request("call.join", { chatId });
    await cat.event("call.participant_joined", (d) => d.callId === callId && d.participant.userId === dan.id);
    await dan.request("call.leave", { callId });
    expect((await cat.event("call.ended", (d) => d.callId === callId)).reason).toBe("ended");
    expect((await dan.event("call.ended", (d) => d.callId === callId)).reason).toBe("ended");
    expect(await cat.code("call.transport.create", { callId, direction: "send" })).toBe("not_found");
    const [record] = (await cat.request("call.history", { chatId, limit: 1 })).calls;
    expect(record).toMatchObject({ callId, reason: "ended" });
    expect([...record!.participantIds].sort()).toEqual([cat.id, dan.id].sort());
    const again = await cat.request("call.join", { chatId });
    expect(again.callId).not.toBe(callId);
    expect(again.participants.map((p: any) => p.userId)).toEqual([cat.id]);
    await cat.request("call.leave", { callId: again.callId });
    await dan.event("call.ended", (d) => d.callId === again.callId);
  });

  test("RTP sent into one participant's producer reaches the other's consumer on the call's router", async () => {
    const chatId = await dm(ann, dan);
    const { callId } = await ann.request("call.join", { chatId });
    await dan.request("call.join", { chatId });
    const media = s.calls.byId.get(callId)!.media!;
    const source = await plainSource(media, media.peers.get(ann.id)!, "audio");
    const sink = await plainSink(media, media.peers.get(dan.id)!, source.producerId);
    const sender = await boundSocket();
    const packets = 200;
    try {
      await sendRtp(sender, source.port, { packets, ssrc: source.ssrc, payloadType: source.payloadType, payload: () => Buffer.alloc(160, 7), gapMs: 2 });
      await waitFor(() => sink.received.count >= packets, 10_000);
      expect(sink.received.count).toBeGreaterThanOrEqual(Math.ceil(packets * 0.95));
    } finally {
      sender.close();
      sink.close();
      await ann.request("call.leave", { callId });
      await dan.event("call.ended", (d) => d.callId === callId); // ann hanging up ended it for dan
    }
  });

  test("the callee declines: the call ends as declined for both", async () => {
    const chatId = await dm(ann, cat);
    const { callId } = await ann.request("call.join", { chatId });
    await cat.event("call.rang", (d) => d.callId === callId);
    expect(await ann.request("call.decline", { callId })).toEqual({}); // the caller cannot decline their own call
    expect(await cat.request("call.decline", { callId })).toEqual({});
    expect((await ann.event("call.ended", (d) => d.callId === callId)).reason).toBe("declined");
    expect((await cat.event("call.ended", (d) => d.callId === callId)).reason).toBe("declined");
    expect(await ann.code("call.transport.create", { callId, direction: "send" })).toBe("not_found");
    // The chat's call history keeps it; the event carried the same entry.
    const { calls, hasMore } = await cat.request("call.history", { chatId });
    expect(hasMore).toBe(false);
    expect(calls[0]).toMatchObject({ callId, chatId, startedBy: ann.id, reason: "declined", participantIds: [ann.id] });
    expect((await ann.event("call.ended", (d) => d.callId === callId)).record).toEqual(calls[0]);
    expect(await dan.code("call.history", { chatId })).toBe("not_found");
  });

  test("the caller hangs up before an answer: a missed call for both", async () => {
    const chatId = await dm(ben, cat);
    const { callId } = await ben.request("call.join", { chatId });
    await cat.event("call.rang", (d) => d.callId === callId);
    await ben.request("call.leave", { callId });
    expect((await cat.event("call.ended", (d) => d.callId === callId)).reason).toBe("missed");
    const [missed] = (await cat.request("call.history", { chatId, limit: 1 })).calls;
    expect(missed).toMatchObject({ callId, reason: "missed", participantIds: [ben.id] });
  });
});

describe("group calls", () => {
  test("members hear it started and see it in a fresh snapshot; the last one out ends it", async () => {
    const chatId = await group(ann, [ben, cat]);
    const { callId } = await ben.request("call.join", { chatId });
    await cat.event("call.started", (d) => d.call.callId === callId && !d.call.ringing && d.call.startedBy === ben.id);
    expect(cat.seen("call.rang").some((d) => d.callId === callId)).toBe(false);
    const late = await s.person("late");
    await ann.request("member.add", { chatId, userIds: [late.id] });
    const welcome = await s.calls.snapshot(late.id);
    expect(welcome.calls.map((c) => c.callId)).toContain(callId);
    expect((await s.calls.snapshot(dan.id)).calls.map((c) => c.callId)).not.toContain(callId);
    await cat.request("call.join", { chatId });
    await ben.request("call.leave", { callId });
    await cat.request("call.leave", { callId });
    await ann.event("call.ended", (d) => d.callId === callId && d.reason === "ended");
  });

  test("a member removed from the chat is taken out of its call at once", async () => {
    const chatId = await group(ann, [ben, cat]);
    const { callId } = await ann.request("call.join", { chatId });
    await cat.request("call.join", { chatId });
    await cat.request("call.transport.create", { callId, direction: "recv" });
    await ann.request("member.remove", { chatId, userId: cat.id });
    expect((await cat.event("call.participant_left", (d) => d.callId === callId && d.userId === cat.id)).reason).toBe("removed");
    await ann.event("call.participant_left", (d) => d.callId === callId && d.userId === cat.id);
    expect(await cat.code("call.transport.create", { callId, direction: "recv" })).toBe("not_found");
    expect(await cat.code("call.join", { chatId })).toBe("not_found");
    await ann.request("call.leave", { callId });
  });
});

describe("authorization and bad input", () => {
  test("strangers get not_found for the chat, the call and every id in it", async () => {
    const chatId = await dm(ann, ben);
    const { callId } = await ann.request("call.join", { chatId });
    const t = await ann.request("call.transport.create", { callId, direction: "send" });
    const mic = await ann.request("call.produce", { transportId: t.transportId, kind: "audio", rtpParameters: micParams, appData: { source: "mic" } });
    expect(await dan.code("call.join", { chatId })).toBe("not_found");
    expect(await dan.code("call.decline", { callId })).toBe("not_found");
    expect(await dan.code("call.leave", { callId })).toBe("not_found");
    expect(await dan.code("call.transport.create", { callId, direction: "recv" })).toBe("not_found");
    expect(await dan.code("call.transport.connect", { transportId: t.transportId, dtlsParameters: dtls })).toBe("not_found");
    expect(await dan.code("call.producer.close", { producerId: mic.producerId })).toBe("not_found");
    expect(await ben.code("call.consume", { producerId: mic.producerId, rtpCapabilities: {} })).toBe("not_found"); // a member, not in the call yet
    expect(await ann.code("call.join", { chatId: "01NOSUCHCHAT00000000000000" })).toBe("not_found");
    await ann.request("call.leave", { callId });
  });

  test("rights: no calls in saved messages; channel subscribers may talk but not show camera or screen", async () => {
    const saved = (await ann.request("chat.create", { kind: "saved" })).entry.chat.id;
    expect(await ann.code("call.join", { chatId: saved })).toBe("forbidden");
    const chatId = await group(ann, [ben], "channel");
    const { callId } = await ben.request("call.join", { chatId });
    await ann.request("call.join", { chatId });
    const t = await ben.request("call.transport.create", { callId, direction: "send" });
    const produce = (who: CallPerson, transportId: string, kind: string, rtpParameters: object, source: string) =>
      who.code("call.produce", { transportId, kind, rtpParameters, appData: { source } });
    expect(await produce(ben, t.transportId, "video", cameraParams, "camera")).toBe("forbidden");
    expect(await produce(ben, t.transportId, "video", cameraParams, "screen")).toBe("forbidden");
    expect(await produce(ben, t.transportId, "audio", micParams, "mic")).toBe("ok");
    const adminT = await ann.request("call.transport.create", { callId, direction: "send" });
    expect(await produce(ann, adminT.transportId, "video", { ...cameraParams, encodings: [{ rid: "r0" }] }, "screen")).toBe("ok");
    await ben.request("call.leave", { callId });
    await ann.request("call.leave", { callId });
  });

  test("malformed media parameters and wrong shapes are invalid_field", async () => {
    const chatId = await dm(cat, dan);
    const { callId } = await cat.request("call.join", { chatId });
    const t = await cat.request("call.transport.create", { callId, direction: "send" });
    expect(await cat.code("call.produce", { transportId: t.transportId, kind: "audio", rtpParameters: { codecs: "nope" }, appData: { source: "mic" } })).toBe("invalid_field");
    expect(await cat.code("call.produce", { transportId: t.transportId, kind: "video", rtpParameters: micParams, appData: { source: "mic" } })).toBe("invalid_field");
    expect(await cat.code("call.transport.connect", { transportId: t.transportId, dtlsParameters: { role: "client" } })).toBe("invalid_field");
    expect(await cat.code("call.transport.create", { callId, direction: "sideways" })).toBe("invalid_field");
    expect(await cat.code("call.produce", { transportId: t.transportId, kind: "audio", rtpParameters: micParams, appData: { source: "tv" } })).toBe("invalid_field");
    expect(await cat.code("call.consume", { producerId: "x" })).toBe("invalid_field");
    await cat.request("call.leave", { callId });
  });
});

describe("timeouts and the active speaker", () => {
  let q: Awaited<ReturnType<typeof startCallsServer>>;
  let eve: CallPerson, fay: CallPerson;
  beforeAll(async () => {
    q = await startCallsServer({ calls: { ringTimeoutMs: 300, peerLostGraceMs: 300 } });
    [eve, fay] = await Promise.all([q.person("eve"), q.person("fay")]);
  });
  afterAll(() => q.stop());

  test("an unanswered 1:1 call ends as missed after the ring timeout", async () => {
    const chatId = await dm(eve, fay);
    const { callId } = await eve.request("call.join", { chatId });
    // eve stays reachable (a PlainTransport), so only the ring timer can end this call.
    const media = q.calls.byId.get(callId)!.media!;
    await media.createPlainTransport(media.peers.get(eve.id)!, "send", true);
    expect((await fay.event("call.ended", (d) => d.callId === callId)).reason).toBe("missed");
    expect((await fay.request("call.history", { chatId })).calls[0]).toMatchObject({ callId, reason: "missed" });
  });

  test("a participant whose transports never connect is dropped as lost", async () => {
    const chatId = await group(eve, [fay]);
    const { callId } = await eve.request("call.join", { chatId });
    await fay.request("call.join", { chatId });
    await fay.request("call.transport.create", { callId, direction: "recv" }); // ICE never completes
    // eve keeps a media path (a PlainTransport counts as reachable), fay does not.
    const media = q.calls.byId.get(callId)!.media!;
    await media.createPlainTransport(media.peers.get(eve.id)!, "send", true);
    expect((await fay.event("call.participant_left", (d) => d.callId === callId && d.userId === fay.id)).reason).toBe("lost");
    await eve.event("call.participant_left", (d) => d.callId === callId && d.userId === fay.id && d.reason === "lost");
    expect(q.calls.byId.get(callId)?.participantIds).toEqual([eve.id]);
    await eve.request("call.leave", { callId });
  });

  test("the loudest mic becomes the active speaker for everyone in the call", async () => {
    const chatId = await group(eve, [fay]);
    const { callId } = await eve.request("call.join", { chatId });
    await fay.request("call.join", { chatId });
    const media = q.calls.byId.get(callId)!.media!;
    const source = await plainSource(media, media.peers.get(eve.id)!, "audio");
    await media.createPlainTransport(media.peers.get(fay.id)!, "recv", false);
    const sender = await boundSocket();
    try {
      let heard = false;
      const speaking = sendRtp(sender, source.port, {
        packets: 500, // 10 s of 20 ms frames at most
        ssrc: source.ssrc,
        payloadType: source.payloadType,
        payload: () => Buffer.alloc(120, 3),
        gapMs: 20,
        audioLevel: 10,
        stop: () => heard,
      });
      const spoke = await fay.event("call.speaker_changed", (d) => d.callId === callId).finally(() => (heard = true));
      expect(spoke.userId).toBe(eve.id);
      await speaking;
    } finally {
      sender.close();
      await eve.request("call.leave", { callId }).catch(() => {});
      await fay.request("call.leave", { callId }).catch(() => {});
    }
  });
});

describe("blocks", () => {
  // A fresh server: its SFU has not started, so "SFU started" in its log proves media was touched.
  let b: Awaited<ReturnType<typeof startCallsServer>>;
  let gil: CallPerson, hal: CallPerson;
  const logLines: string[] = [];
  beforeAll(async () => {
    b = await startCallsServer({ logLines });
    [gil, hal] = await Promise.all([b.person("gil"), b.person("hal")]);
  });
  afterAll(() => b.stop());
  const sfuStarted = () => logLines.some((l) => l.includes("SFU started"));
  /** Resolves once every event queued for p so far has arrived (a private change of their own). */
  async function barrier(p: CallPerson) {
    const saved = (await p.request("chat.create", { kind: "saved" })).entry.chat.id;
    const from = p.events.length;
    const muted = !p.seen("chat.member_updated").some((d: any) => d.chatId === saved && d.me?.muted);
    await p.request("chat.mute", { chatId: saved, muted });
    await p.event("chat.member_updated", (d) => d.chatId === saved && d.me?.muted === muted, from);
  }

  test("a blocked user cannot ring the blocker, nor the blocker them; refused before any media", async () => {
    const chatId = await dm(gil, hal);
    await hal.request("user.block", { userId: gil.id });
    expect(await gil.code("call.join", { chatId })).toBe("blocked");
    expect(await hal.code("call.join", { chatId })).toBe("forbidden"); // unblock to call
    await barrier(hal);
    await barrier(gil);
    expect([hal.seen("call.rang"), hal.seen("call.started"), gil.seen("call.started")]).toEqual([[], [], []]);
    expect(sfuStarted()).toBe(false);
    expect(await gil.request("call.history", { chatId })).toEqual({ calls: [], hasMore: false });
    await hal.request("user.unblock", { userId: gil.id });
    const { callId } = await gil.request("call.join", { chatId });
    await hal.event("call.rang", (d) => d.callId === callId);
    expect(sfuStarted()).toBe(true); // the probe above could have failed
    await gil.request("call.leave", { callId });
    await hal.event("call.ended", (d) => d.callId === callId);
  });

  test("a block while it rings ends the call as missed; a block during the call ends it", async () => {
    const chatId = await dm(gil, hal);
    const ringing = await gil.request("call.join", { chatId });
    await hal.event("call.rang", (d) => d.callId === ringing.callId);
    await hal.request("user.block", { userId: gil.id });
    expect((await gil.event("call.ended", (d) => d.callId === ringing.callId)).reason).toBe("missed");
    expect(await gil.code("call.transport.create", { callId: ringing.callId, direction: "send" })).toBe("not_found");
    await hal.request("user.unblock", { userId: gil.id });

    const live = await gil.request("call.join", { chatId });
    await hal.request("call.join", { chatId });
    const t = await gil.request("call.transport.create", { callId: live.callId, direction: "send" });
    await gil.request("user.block", { userId: hal.id }); // the caller blocks: the same
    expect((await hal.event("call.ended", (d) => d.callId === live.callId)).reason).toBe("ended");
    expect(await hal.code("call.set_state", { callId: live.callId, muted: true })).toBe("not_found");
    expect(await gil.code("call.produce", { transportId: t.transportId, kind: "audio", rtpParameters: micParams, appData: { source: "mic" } })).toBe("not_found");
    await gil.request("user.unblock", { userId: hal.id });
  });

  test("a group call is unaffected by a block between two of its members", async () => {
    const chatId = await group(gil, [hal]);
    await hal.request("user.block", { userId: gil.id });
    const { callId } = await gil.request("call.join", { chatId });
    expect(await hal.code("call.join", { chatId })).toBe("ok");
    await gil.request("call.leave", { callId });
    await hal.request("call.leave", { callId });
    await hal.request("user.unblock", { userId: gil.id });
  });
});
