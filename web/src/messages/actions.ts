// What the chat view does to messages. Sends go through the outbox (optimistic, keyed by
// client id); everything else is a direct call whose result arrives again as an event.
import { request, status } from "../net/connection.ts";
import { outbox, sendOutboxItem, state } from "../sync/store.ts";

export async function sendMessage(chatId: string, text: string, replyToId?: string): Promise<void> {
  const me = state.me;
  if (!me || !text.trim()) return;
  await outbox.add({ clientId: crypto.randomUUID(), userId: me.id, chatId, text, replyToId, createdAt: Date.now() });
  stopTyping(chatId);
  if (status() === "online") await outbox.flush(sendOutboxItem);
}

export const retrySend = (clientId: string) => outbox.retry(clientId, sendOutboxItem);
export const discardSend = (clientId: string) => outbox.discard(clientId);

export const editMessage = (chatId: string, messageId: string, text: string) => request("message.edit", { chatId, messageId, text });
export const deleteMessage = (chatId: string, messageId: string, forEveryone: boolean) => request("message.delete", { chatId, messageId, forEveryone });
export const toggleReaction = (chatId: string, messageId: string, emoji: string) => request("reaction.toggle", { chatId, messageId, emoji });
export const pinMessage = (chatId: string, messageId: string, pinned: boolean) =>
  pinned ? request("message.pin", { chatId, messageId }) : request("message.unpin", { chatId, messageId });

const readInflight = new Map<string, number>();
/** Moves your read pointer (never back); one request per chat at a time. */
export async function markRead(chatId: string, seq: number): Promise<void> {
  const entry = state.chats[chatId];
  if (!entry || seq <= entry.me.readSeq || (readInflight.get(chatId) ?? 0) >= seq) return;
  readInflight.set(chatId, seq);
  try {
    await request("read.update", { chatId, seq });
  } catch {
    readInflight.delete(chatId); // retried on the next scroll or message
  }
}

// typing.start is repeated while typing, at most once per typingEveryMs (the server
// throttles too and expires the notice when the repeats stop).
const typingEveryMs = 3000;
const lastTyping = new Map<string, number>();

export function typing(chatId: string): void {
  const now = Date.now();
  if (now - (lastTyping.get(chatId) ?? 0) < typingEveryMs || status() !== "online") return;
  lastTyping.set(chatId, now);
  void request("typing.start", { chatId }).catch(() => undefined);
}

export function stopTyping(chatId: string): void {
  if (!lastTyping.has(chatId)) return;
  lastTyping.delete(chatId);
  if (status() === "online") void request("typing.stop", { chatId }).catch(() => undefined);
}
