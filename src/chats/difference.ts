// chat.difference (and the per-chat part of a WebSocket resume): a member's missed changes
// of one chat after `afterPos`. Small and still kept → the events; too far behind (more
// than limits.chatDifferenceMax, or older than the kept tail) → a reset: the caller's
// entry as it is now, at its pos, as Telegram's channel difference answers "too long".
// Order: scope to the user, read the head, read the events; after the awaits the events
// are cut at the one that removes the caller (a removed member gets nothing after it).
import type { ChatDifference } from "../core/module.ts";
import { limits } from "../limits.ts";
import type { Storage } from "../storage/port.ts";
import { chatNotFound, requireChat } from "./access.ts";
import { chatEntry } from "./views.ts";


export async function chatDifference(deps: { storage: Storage }, userId: string, chatId: string, afterPos: number): Promise<ChatDifference> {
  const { storage } = deps;
  await requireChat(storage, userId, chatId, "read");
  const head = (await storage.chatLog.heads([chatId])).get(chatId);
  if (!head) throw chatNotFound();
  if (afterPos >= head.pos) return { events: [], pos: head.pos };
  const max = limits.chatDifferenceMax;
  if (head.pos - afterPos <= max && afterPos >= head.oldestPos - 1) {
    const rows = await storage.chatLog.read(chatId, afterPos, max);
    // pruned between the two reads: the tail no longer starts right after afterPos
    if (rows[0]?.pos === afterPos + 1) {
      const events = untilRemoved(rows, userId).map((e) => ({ pos: e.pos, type: e.type, data: e.data, at: e.at }));
      return { events, pos: events.at(-1)!.pos };
    }
  }
  return reset(storage, userId, chatId);
}

async function reset(storage: Storage, userId: string, chatId: string): Promise<ChatDifference> {
  const entry = await storage.chats.entryFor(chatId, userId);
  if (!entry) throw chatNotFound(); // left in between: their user log's chat.left says so
  return { reset: chatEntry(entry), pos: entry.pos };
}

/** The events up to and including the one that removes `userId`, if any. */
function untilRemoved<E extends { type: string; data: unknown }>(events: E[], userId: string): E[] {
  const i = events.findIndex((e) => e.type === "chat.member_removed" && (e.data as { userIds: string[] }).userIds.includes(userId));
  return i < 0 ? events : events.slice(0, i + 1);
}
