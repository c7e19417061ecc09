// History paging and read state. The read pointer only moves forward; the caller's
// devices get the exact counts, and in direct chats and small groups the other members
// get the pointer (who-has-read).
import { can, checkFor, requireChat } from "../chats/access.ts";
import { draft, except, someone } from "../chats/drafts.ts";
import { pageSize } from "../chats/validate.ts";
import { notFound } from "../errors.ts";
import { publishCommitted } from "../events/publish.ts";
import type { MessageParams, MessageResult, WireReadState } from "../protocol/methods/messages.ts";
import type { Deps } from "../core/deps.ts";
import type { ReadState } from "../storage/chats-port.ts";
import type { EventDraft } from "../storage/port.ts";
import { withReactions } from "./reactions.ts";

export async function listMessages(deps: Deps, userId: string, p: MessageParams<"message.list">): Promise<MessageResult<"message.list">> {
  await requireChat(deps.storage, userId, p.chatId, "read");
  const page = await deps.storage.messages.list(p.chatId, userId, p.anchor, p.direction, pageSize(p.limit));
  return { ...page, messages: await withReactions(deps, userId, page.messages) };
}

/** The media tab: a page of the chat's messages with media of one kind, newest first (readers only). */
export async function listMedia(deps: Deps, userId: string, p: MessageParams<"message.list_media">): Promise<MessageResult<"message.list_media">> {
  await requireChat(deps.storage, userId, p.chatId, "read");
  const page = await deps.storage.messages.listMedia(p.chatId, userId, p.kind, p.beforeSeq ?? null, pageSize(p.limit));
  return { ...page, messages: await withReactions(deps, userId, page.messages) };
}

export async function updateRead(deps: Deps, userId: string, p: MessageParams<"read.update">): Promise<WireReadState> {
  const { chat, membership } = await requireChat(deps.storage, userId, p.chatId, "personal");
  // Read receipts off (privacy): the others never learn this pointer; my own devices still do.
  // Every other member shares this chat, so "contacts" admits them just as "everyone" does.
  const shown = (await deps.storage.presence.privacy([userId])).get(userId)?.readReceipts !== "nobody";
  const receipts = shown && can({ userId, chat, membership }, "read_receipts");
  const done = await deps.storage.messages.markRead(p.chatId, userId, p.seq, checkFor(userId, "personal"), {
    emit: (r) => (r.changed ? readDrafts(r, receipts) : []),
  });
  await publishCommitted(deps, done);
  const { readSeq, unreadCount, unreadMentionCount } = done.value;
  return { chatId: p.chatId, readSeq, unreadCount, unreadMentionCount };
}

function readDrafts(r: ReadState, receipts: boolean): EventDraft[] {
  const { chatId, userId, readSeq } = r;
  return someone([
    draft([userId], "read.updated", { chatId, userId, readSeq, unreadCount: r.unreadCount, unreadMentionCount: r.unreadMentionCount }),
    draft(receipts ? except(r.memberIds, userId) : [], "read.updated", { chatId, userId, readSeq }),
  ]);
}

export async function listReaders(deps: Deps, userId: string, p: MessageParams<"read.list">): Promise<MessageResult<"read.list">> {
  await requireChat(deps.storage, userId, p.chatId, "read_receipts");
  const message = await deps.storage.messages.visible(p.chatId, p.messageId, userId);
  if (!message) throw notFound("Message not found");
  const readers = await deps.storage.messages.readers(p.chatId, p.messageId);
  const privacy = await deps.storage.presence.privacy(readers.map((r) => r.userId));
  return { readers: readers.filter((r) => r.userId === userId || privacy.get(r.userId)?.readReceipts !== "nobody") };
}
