// The calls part of the storage port: finished calls, so a chat can show its call
// history (including missed and declined 1:1 calls). Live calls are NOT stored: they
// live in memory beside the SFU (src/calls/).
import type { Committed, WriteOpts } from "./port.ts";

export type CallEndReason = "ended" | "declined" | "missed" | "failed";

export interface CallRecord {
  id: string; // the call id clients saw
  chatId: string;
  startedBy: string;
  startedAt: number;
  endedAt: number;
  reason: CallEndReason;
  participantIds: string[]; // everyone who joined at some point, in join order
}

export interface CallStore {
  /** Stores a finished call (not_found when the chat is gone); emit addresses call.ended in the same transaction. */
  record(call: CallRecord, opts?: WriteOpts<CallRecord>): Promise<Committed<CallRecord>>;
  /** A chat's finished calls, newest first; `before` is the previous page's last (endedAt, id). */
  history(chatId: string, page: { limit: number; before?: { endedAt: number; id: string } }): Promise<CallRecord[]>;
}
