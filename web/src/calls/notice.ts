// What to tell the person when a 1:1 call ends without being answered: the caller learns it
// was declined or not answered, the callee that they missed it. Nothing for a call you
// declined yourself (on this device or another): you know.
import type { CallEventData } from "../../../src/protocol/events/calls.ts";

export interface CallNotice {
  key: "callDeclinedBy" | "callNoAnswer" | "callMissedFrom";
  userId: string; // the other person, named in the text
}

/**
 * `startedBy` is the record's, or the live call's when the record could not be stored;
 * `peerId` is the other person of the direct chat.
 */
export function noticeOfEnd(d: Pick<CallEventData<"call.ended">, "reason">, startedBy: string | undefined, meId: string | null, peerId: string | null): CallNotice | null {
  if (!startedBy || !meId) return null;
  const iCalled = startedBy === meId;
  if (d.reason === "declined") return iCalled && peerId ? { key: "callDeclinedBy", userId: peerId } : null;
  if (d.reason === "missed") return iCalled ? (peerId ? { key: "callNoAnswer", userId: peerId } : null) : { key: "callMissedFrom", userId: startedBy };
  return null;
}
