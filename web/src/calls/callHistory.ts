// The finished calls of each opened chat: the newest page is fetched when the chat opens,
// and every call.ended that carries a stored record is added (already de-duplicated by id).
import { createSignal } from "solid-js";
import type { CallEventData } from "../../../src/protocol/events/calls.ts";
import type { WireCallRecord } from "../../../src/protocol/methods/calls.ts";
import { request } from "../net/connection.ts";
import { onEvent } from "../sync/store.ts";

const pageSize = 50; // the newest calls only: older ones would sit far above the loaded window anyway

const [byChat, setByChat] = createSignal<Record<string, WireCallRecord[]>>({});

export const callRecords = (chatId: string): WireCallRecord[] => byChat()[chatId] ?? [];

function add(chatId: string, recs: readonly WireCallRecord[]): void {
  setByChat((all) => {
    const have = new Map((all[chatId] ?? []).map((r) => [r.callId, r]));
    for (const r of recs) have.set(r.callId, r);
    return { ...all, [chatId]: [...have.values()] };
  });
}

export async function loadCallHistory(chatId: string): Promise<void> {
  const r = await request("call.history", { chatId, limit: pageSize });
  add(chatId, r.calls);
}

/** Subscribes to call.ended; returns the unsubscribe. */
export function watchCallRecords(): () => void {
  return onEvent((type, data) => {
    if (type !== "call.ended") return;
    const d = data as CallEventData<"call.ended">;
    if (d.record) add(d.chatId, [d.record]);
  });
}
