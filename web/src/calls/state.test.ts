import { describe, expect, test } from "vitest";
import type { CallInfo, WireParticipant, WireProducer } from "../../../src/protocol/methods/calls.ts";
import { applyCallEvent, applyCallsSnapshot, awaitsJoin, type CallsState, emptyCalls, gridShape, joined, startCurrent } from "./state.ts";

const info = (over: Partial<CallInfo> = {}): CallInfo => ({ callId: "k1", chatId: "c1", startedBy: "u2", startedAt: 1, ringing: true, participantIds: ["u2"], ...over });
const person = (userId: string, over: Partial<WireParticipant> = {}): WireParticipant => ({ userId, joinedAt: 1, muted: false, deafened: false, camera: false, screen: false, ...over });
const producer = (producerId: string, userId: string, over: Partial<WireProducer> = {}): WireProducer => ({ producerId, userId, kind: "audio", source: "mic", paused: false, ...over });

/** u1 (me) answered u2's call k1 in chat c1; u2 sends a mic. */
function inCall(): CallsState {
  const s = emptyCalls();
  applyCallsSnapshot(s, { calls: [info()] }, "u1");
  startCurrent(s, "c1");
  joined(s, { callId: "k1", chatId: "c1", participants: [person("u2"), person("u1")], producers: [producer("p1", "u2")] });
  return s;
}

describe("ringing", () => {
  test("a ringing call someone else started rings after a reload; my own does not", () => {
    const s = emptyCalls();
    applyCallsSnapshot(s, { calls: [info()] }, "u1");
    expect(s.incoming).toEqual({ callId: "k1", chatId: "c1", from: "u2" });
    applyCallsSnapshot(s, { calls: [info({ startedBy: "u1" })] }, "u1");
    expect(s.incoming).toBeNull();
  });

  test("call.started then call.ring rings; call.ended (missed) stops it and clears the indicator", () => {
    const s = emptyCalls();
    expect(applyCallEvent(s, "call.started", { call: info() }, "u1")).toBeNull();
    applyCallEvent(s, "call.rang", { callId: "k1", chatId: "c1", from: "u2" }, "u1");
    expect(s.incoming?.callId).toBe("k1");
    expect(applyCallEvent(s, "call.ended", { callId: "k1", chatId: "c1", reason: "missed", durationMs: 45_000 }, "u1")).toBeNull();
    expect(s).toEqual(emptyCalls());
  });

  test("a ring replayed after its call ended (resume) does not ring", () => {
    const s = emptyCalls();
    applyCallEvent(s, "call.rang", { callId: "k1", chatId: "c1", from: "u2" }, "u1");
    expect(s.incoming).toBeNull();
  });

  test("answering takes the call out of the incoming slot and marks it answered", () => {
    const s = inCall();
    expect(s.incoming).toBeNull();
    expect(s.current).toMatchObject({ callId: "k1", phase: "connected" });
    expect(s.live.c1!.ringing).toBe(false);
    expect(Object.keys(s.current!.producers)).toEqual(["p1"]);
  });
});

describe("in a call", () => {
  test("producers come and go; my own are never consumed", () => {
    const s = inCall();
    applyCallEvent(s, "call.producer_added", { callId: "k1", producer: producer("p2", "u2", { kind: "video", source: "camera" }) }, "u1");
    applyCallEvent(s, "call.producer_added", { callId: "k1", producer: producer("p3", "u1") }, "u1");
    applyCallEvent(s, "call.producer_added", { callId: "other", producer: producer("p4", "u2") }, "u1");
    expect(Object.keys(s.current!.producers).sort()).toEqual(["p1", "p2"]);
    applyCallEvent(s, "call.producer_removed", { callId: "k1", producerId: "p1", userId: "u2" }, "u1");
    expect(Object.keys(s.current!.producers)).toEqual(["p2"]);
  });

  test("someone leaving takes their producers and the speaker highlight with them", () => {
    const s = inCall();
    applyCallEvent(s, "call.speaker_changed", { callId: "k1", userId: "u2" }, "u1");
    expect(s.current!.speaker).toBe("u2");
    expect(applyCallEvent(s, "call.participant_left", { callId: "k1", userId: "u2", reason: "left" }, "u1")).toBeNull();
    expect(s.current).toMatchObject({ participants: { u1: person("u1") }, producers: {}, speaker: null });
    expect(s.live.c1!.participantIds).not.toContain("u2");
  });

  test("state changes of participants are shown", () => {
    const s = inCall();
    applyCallEvent(s, "call.participant_updated", { callId: "k1", participant: person("u2", { muted: true, camera: true }) }, "u1");
    expect(s.current!.participants.u2).toMatchObject({ muted: true, camera: true });
  });

  test("the media server lost the call: rejoin, forgetting the old producers", () => {
    const s = inCall();
    expect(applyCallEvent(s, "call.rejoin_required", { callId: "k1", chatId: "c1" }, "u1")).toBe("rejoin");
    expect(s.current).toMatchObject({ phase: "rejoining", producers: {} });
    joined(s, { callId: "k1", chatId: "c1", participants: [person("u1")], producers: [] });
    expect(s.current!.phase).toBe("connected");
  });

  test("a rejoin: the other's new producer announced while my call.join is in flight is consumed after the answer", () => {
    // The worker died; I rejoined first (answer: nobody else, no producers), and u2 rejoined and
    // produced before my media was open. That producer_added must survive joined()'s snapshot.
    const s = inCall();
    applyCallEvent(s, "call.rejoin_required", { callId: "k1", chatId: "c1" }, "u1");
    const held: [string, unknown][] = [];
    const arrive = (type: "call.participant_joined" | "call.producer_added", data: unknown) =>
      awaitsJoin(s, type) ? held.push([type, data]) : applyCallEvent(s, type, data, "u1");
    arrive("call.participant_joined", { callId: "k1", participant: person("u2") });
    arrive("call.producer_added", { callId: "k1", producer: producer("p9", "u2") });
    joined(s, { callId: "k1", chatId: "c1", participants: [person("u1")], producers: [] });
    for (const [type, data] of held) applyCallEvent(s, type as "call.producer_added", data, "u1");
    expect(Object.keys(s.current!.producers)).toEqual(["p9"]);
    expect(Object.keys(s.current!.participants).sort()).toEqual(["u1", "u2"]);
  });

  test("while call.join is in flight only events about other calls' lifecycle pass", () => {
    const s = inCall();
    expect(awaitsJoin(s, "call.producer_added")).toBe(false); // connected: applied at once
    applyCallEvent(s, "call.rejoin_required", { callId: "k1", chatId: "c1" }, "u1");
    expect(awaitsJoin(s, "call.producer_removed")).toBe(true);
    expect(awaitsJoin(s, "call.ended")).toBe(false); // the call may end while we rejoin
    expect(awaitsJoin(emptyCalls(), "call.producer_added")).toBe(false);
  });

  test("about me: lost rejoins, removed ends, rejoined (my newer join) is nothing", () => {
    const lost = inCall();
    expect(applyCallEvent(lost, "call.participant_left", { callId: "k1", userId: "u1", reason: "lost" }, "u1")).toBe("rejoin");
    const again = inCall();
    expect(applyCallEvent(again, "call.participant_left", { callId: "k1", userId: "u1", reason: "rejoined" }, "u1")).toBeNull();
    expect(again.current).not.toBeNull();
    const removed = inCall();
    expect(applyCallEvent(removed, "call.participant_left", { callId: "k1", userId: "u1", reason: "removed" }, "u1")).toBe("ended");
    expect(removed.current).toBeNull();
  });

  test("the call ending ends my part of it", () => {
    const s = inCall();
    expect(applyCallEvent(s, "call.ended", { callId: "k1", chatId: "c1", reason: "ended", durationMs: 5 }, "u1")).toBe("ended");
    expect(s.current).toBeNull();
    expect(s.live).toEqual({});
  });
});

describe("grid", () => {
  test("picks the shape with the largest 16:9 tiles", () => {
    expect(gridShape(1, 1280, 720)).toEqual({ cols: 1, rows: 1 });
    expect(gridShape(2, 1280, 720)).toEqual({ cols: 2, rows: 1 });
    expect(gridShape(2, 390, 700)).toEqual({ cols: 1, rows: 2 });
    expect(gridShape(4, 1280, 720)).toEqual({ cols: 2, rows: 2 });
    expect(gridShape(5, 1600, 600)).toEqual({ cols: 3, rows: 2 });
  });
});
