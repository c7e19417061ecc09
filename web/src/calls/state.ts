// What the web client knows about calls, built from the welcome snapshot and call.* events
// by pure functions (unit-tested without a browser). Media objects (tracks, transports)
// never live here: media.ts owns them; this is the part screens render from.
import type { CallEventData, CallEventType } from "../../../src/protocol/events/calls.ts";
import type { CallInfo, WireParticipant, WireProducer } from "../../../src/protocol/methods/calls.ts";

export type CallPhase = "joining" | "connected" | "rejoining";

/** The call this device takes part in. */
export interface CurrentCall {
  chatId: string;
  callId: string | null; // null until call.join answers
  phase: CallPhase;
  participants: Record<string, WireParticipant>;
  /** Others' live producers, by producer id: each is consumed once. */
  producers: Record<string, WireProducer>;
  speaker: string | null;
}

export interface CallsState {
  /** Live calls in my chats (chat list indicator, join button), by chat id. */
  live: Record<string, CallInfo>;
  /** A 1:1 call ringing on this device. */
  incoming: { callId: string; chatId: string; from: string } | null;
  current: CurrentCall | null;
}

export const emptyCalls = (): CallsState => ({ live: {}, incoming: null, current: null });

/** The welcome snapshot's live calls; a ringing direct call someone else started rings here too. */
export function applyCallsSnapshot(s: CallsState, snap: { calls?: CallInfo[] } | undefined, meId: string | null): void {
  s.live = {};
  for (const c of snap?.calls ?? []) s.live[c.chatId] = c;
  const inCall = s.current?.callId;
  const ringing = (snap?.calls ?? []).find((c) => c.ringing && c.startedBy !== meId && c.callId !== inCall);
  s.incoming = ringing ? { callId: ringing.callId, chatId: ringing.chatId, from: ringing.startedBy } : null;
}

export function startCurrent(s: CallsState, chatId: string): void {
  s.current = { chatId, callId: null, phase: "joining", participants: {}, producers: {}, speaker: null };
  if (s.incoming?.chatId === chatId) s.incoming = null;
}

/** call.join answered: the authoritative participants and producers (replaces what a rejoin left). */
export function joined(s: CallsState, r: { callId: string; chatId: string; participants: WireParticipant[]; producers: WireProducer[] }): void {
  const c = s.current;
  if (!c || c.chatId !== r.chatId) return;
  c.callId = r.callId;
  c.phase = "connected";
  c.participants = Object.fromEntries(r.participants.map((p) => [p.userId, p]));
  c.producers = Object.fromEntries(r.producers.map((p) => [p.producerId, p]));
  const live = s.live[r.chatId];
  if (live && live.callId === r.callId) {
    live.ringing = live.ringing && r.participants.length < 2;
    live.participantIds = r.participants.map((p) => p.userId);
  }
}

/**
 * Whether an event must wait until call.join answers (the store holds it and applies it after
 * joined()): joined() replaces participants and producers with the answer's snapshot, so an event
 * applied before would be wiped. That holds for a REJOIN too, where callId is already known: after
 * a worker death the first to rejoin gets an empty answer, and the other's producer_added can
 * arrive before it is applied (that participant then never consumed anything). Call lifecycle
 * events pass: the call may end meanwhile.
 */
export function awaitsJoin(s: CallsState, type: CallEventType): boolean {
  const c = s.current;
  return !!c && c.phase !== "connected" && type !== "call.started" && type !== "call.rang" && type !== "call.ended";
}

type Ev<T extends CallEventType> = CallEventData<T>;

/** The current call, if the event is about it. */
const ofCall = (s: CallsState, callId: string) => (s.current && s.current.callId === callId ? s.current : null);

/**
 * Applies one call event. Returns what the media layer must do about it:
 * "ended" (tear down), "rejoin" (call.join again), or null.
 */
export function applyCallEvent(
  s: CallsState,
  type: CallEventType,
  data: unknown,
  meId: string | null,
): "ended" | "rejoin" | null {
  switch (type) {
    case "call.started": {
      const { call } = data as Ev<"call.started">;
      s.live[call.chatId] = call;
      return null;
    }
    case "call.rang": {
      const d = data as Ev<"call.rang">;
      if (s.current?.chatId !== d.chatId && s.live[d.chatId]?.callId === d.callId) s.incoming = { ...d };
      return null;
    }
    case "call.ended": {
      const d = data as Ev<"call.ended">;
      if (s.live[d.chatId]?.callId === d.callId) delete s.live[d.chatId];
      if (s.incoming?.callId === d.callId) s.incoming = null;
      if (s.current?.callId === d.callId) {
        s.current = null;
        return "ended";
      }
      return null;
    }
    case "call.participant_joined":
    case "call.participant_updated": {
      const d = data as Ev<"call.participant_joined">;
      const live = liveById(s, d.callId);
      if (live && !live.participantIds.includes(d.participant.userId)) live.participantIds.push(d.participant.userId);
      if (live && type === "call.participant_joined") live.ringing = false;
      const c = ofCall(s, d.callId);
      if (c) c.participants[d.participant.userId] = d.participant;
      return null;
    }
    case "call.participant_left":
      return participantLeft(s, data as Ev<"call.participant_left">, meId);
    case "call.producer_added": {
      const d = data as Ev<"call.producer_added">;
      const c = ofCall(s, d.callId);
      if (c && d.producer.userId !== meId) c.producers[d.producer.producerId] = d.producer;
      return null;
    }
    case "call.producer_removed": {
      const d = data as Ev<"call.producer_removed">;
      const c = ofCall(s, d.callId);
      if (c) delete c.producers[d.producerId];
      return null;
    }
    case "call.rejoin_required": {
      const c = ofCall(s, (data as Ev<"call.rejoin_required">).callId);
      if (!c) return null;
      c.phase = "rejoining";
      c.producers = {};
      return "rejoin";
    }
    case "call.speaker_changed": {
      const d = data as Ev<"call.speaker_changed">;
      const c = ofCall(s, d.callId);
      if (c) c.speaker = d.userId;
      return null;
    }
  }
}

const liveById = (s: CallsState, callId: string) => Object.values(s.live).find((c) => c.callId === callId);

/** Someone left: their producers go. If it was me: removed ends my part; lost (network) rejoins. */
function participantLeft(s: CallsState, d: Ev<"call.participant_left">, meId: string | null): "ended" | "rejoin" | null {
  const live = liveById(s, d.callId);
  if (live && d.reason !== "rejoined") live.participantIds = live.participantIds.filter((id) => id !== d.userId);
  const c = ofCall(s, d.callId);
  if (!c) return null;
  if (d.userId === meId) {
    if (d.reason === "rejoined") return null; // my own newer participation (this or another device)
    if (d.reason === "lost") {
      c.phase = "rejoining";
      c.producers = {};
      return "rejoin";
    }
    s.current = null;
    return "ended";
  }
  delete c.participants[d.userId];
  for (const [id, p] of Object.entries(c.producers)) if (p.userId === d.userId) delete c.producers[id];
  if (c.speaker === d.userId) c.speaker = null;
  return null;
}

/** Call event types this module handles (the store routes these here). */
export const isCallEvent = (type: string): type is CallEventType => type in callEventNames;
const callEventNames: Record<CallEventType, true> = {
  "call.started": true, "call.rang": true, "call.ended": true, "call.participant_joined": true, "call.participant_left": true,
  "call.participant_updated": true, "call.producer_added": true, "call.producer_removed": true, "call.rejoin_required": true, "call.speaker_changed": true,
};

/** Grid layout: columns and rows for n tiles in a w×h area, choosing the largest 16:9 tiles. */
export function gridShape(n: number, w: number, h: number): { cols: number; rows: number } {
  if (n <= 1) return { cols: 1, rows: 1 };
  let best = { cols: 1, rows: n, size: 0 };
  for (let cols = 1; cols <= n; cols++) {
    const rows = Math.ceil(n / cols);
    const tileW = Math.min(w / cols, ((h / rows) * 16) / 9);
    if (tileW >= best.size) best = { cols, rows, size: tileW };
  }
  return { cols: best.cols, rows: best.rows };
}
