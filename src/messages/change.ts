// Editing (each edit keeps the previous version) and deleting: for everyone (the
// author, or an admin of a group or channel; leaves a tombstone so seq, paging and
// unread counts stay exact) or for me (hidden from my history and counts only).
import { checkMessage, requireChat, requireRight } from "../chats/access.ts";
import { chatDraft, draft } from "../chats/drafts.ts";
import type { ChatEventData } from "../protocol/events/chats.ts";
import { notFound } from "../errors.ts";
import { publishCommitted } from "../events/publish.ts";
import type { MessageParams, MessageResult } from "../protocol/methods/messages.ts";
import type { Deps } from "../core/deps.ts";
import type { AccessContext, Chat, Membership, Message, MessageChanged } from "../storage/chats-port.ts";
import { entitiesFor } from "./send.ts";
import { mentionsOf, validateText } from "./entities.ts";
import { editDropsPreview } from "../previews/attach.ts";

export async function editMessage(deps: Deps, userId: string, p: MessageParams<"message.edit">): Promise<MessageResult<"message.edit">> {
  const text = validateText(p.text);
  const actor = await requireChat(deps.storage, userId, p.chatId, "read");
  const entities = await entitiesFor(deps, { userId, ...actor }, text);
  const all = mentionsOf(entities).all;
  // An edit never adds a preview, so deciding on the message as read here is safe.
  const dropPreview = editDropsPreview(await deps.storage.messages.byId(p.chatId, p.messageId), text);
  const check = (chat: Chat, m: Membership | null, message: Message, ctx?: AccessContext) => {
    checkMessage(userId, "edit")(chat, m, message, ctx);
    // @all was resolved from the pre-read membership: re-check it at commit
    if (all) requireRight({ userId, chat, membership: m }, "mention_all");
  };
  const done = await deps.storage.messages.edit(p.chatId, p.messageId, userId, { text, entities, dropPreview }, check, deps.now(), {
    emit: (r) => [chatDraft(p.chatId, "message.edited", { message: r.message, mentionsBefore: mentionsOf(r.previous.entities) })],
  });
  await publishCommitted(deps, done);
  return { message: done.value.message };
}

export async function editHistory(deps: Deps, userId: string, p: MessageParams<"message.edit_history">) {
  await requireChat(deps.storage, userId, p.chatId, "read");
  const message = await deps.storage.messages.visible(p.chatId, p.messageId, userId);
  if (!message || message.deletedAt !== null) throw notFound("Message not found");
  return { versions: await deps.storage.messages.editHistory(message.id) };
}

export async function deleteMessage(deps: Deps, userId: string, p: MessageParams<"message.delete">): Promise<object> {
  const { chatId, messageId, forEveryone } = p;
  const m = deps.storage.messages;
  const done = forEveryone
    ? await m.deleteForEveryone(chatId, messageId, userId, checkMessage(userId, "delete"), deps.now(), { emit: (r) => [chatDraft(chatId, "message.deleted", deletedData(r, true))] })
    : await m.deleteForMe(chatId, messageId, userId, checkMessage(userId, "delete_for_me"), { emit: (r) => [draft([userId], "message.deleted", deletedData(r, false))] });
  await publishCommitted(deps, done);
  return {};
}

/** What a delete tells: the same for a member's delete and the retention sweeper's (./expire.ts). */
export const deletedData = (r: MessageChanged, forEveryone: boolean): ChatEventData<"message.deleted"> => ({
    chatId: r.message.chatId,
    messageId: r.message.id,
    seq: r.message.seq,
    forEveryone,
    senderId: r.previous.senderId,
    mentions: mentionsOf(r.previous.entities),
    ...(r.message.expired ? { expired: true as const } : {}),
  });
