// Sending and forwarding. A retry with the same clientId returns the first message and
// sends nothing: the store looks up (chat, sender, clientId) first in the transaction.
import { can, checkFor, requireChat, requireRight } from "../chats/access.ts";
import { chatDraft } from "../chats/drafts.ts";
import { newId } from "../ids.ts";
import { publishCommitted } from "../events/publish.ts";
import type { MessageParams, MessageResult } from "../protocol/methods/messages.ts";
import type { Deps } from "../core/deps.ts";
import type { AccessCheck, Chat, Entity, Membership, NewMessage } from "../storage/chats-port.ts";
import { type Extracted, extract, mentionsOf, resolveEntities, validateText } from "./entities.ts";
import { AppError, invalidField, notFound } from "../errors.ts";
import { limits } from "../limits.ts";
import { draftUpdated } from "../drafts/drafts.ts";
import { checkPreviewChoice, previewForSend } from "../previews/attach.ts";

type Sent = MessageResult<"message.send">;

export async function sendMessage(deps: Deps, userId: string, p: MessageParams<"message.send">): Promise<Sent> {
  const mediaIds = attachmentIds(p.attachments);
  const text = mediaIds.length > 0 && p.text.trim() === "" ? "" : validateText(p.text);
  const choice = checkPreviewChoice(p.preview, text);
  const found = extract(text);
  // The transaction checks membership, the right to send and a block itself. Reading the
  // chat first is needed only to resolve mentions among its members and to fetch a
  // preview for someone who may send here (a stranger learns nothing, fetches nothing);
  // a plain message skips those reads.
  const entities =
    choice !== null || found.mentions.length > 0 || found.mentionAll.length > 0
      ? await resolvedIn(deps, { userId, ...(await requireChat(deps.storage, userId, p.chatId, "send")) }, found)
      : resolveEntities(found, new Map(), false);
  const preview = await previewForSend(deps, choice);
  return store(deps, {
    id: newId(deps.now()),
    chatId: p.chatId,
    senderId: userId,
    clientId: p.clientId,
    text,
    entities,
    replyToId: p.replyToId ?? null,
    forward: null,
    silent: p.silent ?? false,
    now: deps.now(),
    preview,
    ...(mediaIds.length > 0 ? { media: { ids: mediaIds, from: null } } : {}),
  });
}

/** ≤ limits.messageAttachmentsMax distinct media ids; whether each may be attached is the store's check. */
function attachmentIds(ids: string[] | undefined): string[] {
  if (!ids || ids.length === 0) return [];
  if (ids.length > limits.messageAttachmentsMax) {
    throw new AppError("too_many_attachments", `A message carries at most ${limits.messageAttachmentsMax} attachments`, { max: limits.messageAttachmentsMax });
  }
  if (new Set(ids).size !== ids.length) throw invalidField("attachments", "must not repeat a media id");
  return ids;
}

/**
 * Mentions resolve among the chat's members, except those who blocked the sender (a
 * mention notifies its target: a block silences it, the text stays); `@all` counts only
 * from those allowed to use it.
 */
export const entitiesFor = (deps: Deps, actor: Actor, text: string): Promise<Entity[]> => resolvedIn(deps, actor, extract(text));

type Actor = { userId: string; chat: Chat; membership: Membership };

async function resolvedIn(deps: Deps, actor: Actor, found: Extracted): Promise<Entity[]> {
  const keys = [...new Set(found.mentions.map((m) => m.key))];
  const members = keys.length > 0 ? await deps.storage.chats.membersByUsername(actor.chat.id, keys) : new Map<string, string>();
  for (const [key, id] of members) if (await deps.storage.chats.isBlocked(id, actor.userId)) members.delete(key);
  return resolveEntities(found, members, can(actor, "mention_all"));
}

// The forwarder must be able to read the origin now (checked just before the write;
// the origin is copied, so a later loss of access changes nothing already sent).
export async function forwardMessage(deps: Deps, userId: string, p: MessageParams<"message.forward">): Promise<Sent> {
  await requireChat(deps.storage, userId, p.fromChatId, "read");
  const origin = await deps.storage.messages.visible(p.fromChatId, p.messageId, userId);
  if (!origin || origin.deletedAt !== null) throw notFound("Message not found");
  await requireChat(deps.storage, userId, p.chatId, "send");
  return store(deps, {
    id: newId(deps.now()),
    chatId: p.chatId,
    senderId: userId,
    clientId: p.clientId,
    text: origin.text,
    // Mentions are not carried over: a forward must not notify people in another chat.
    entities: origin.entities.filter((e) => e.type === "hashtag"),
    replyToId: null,
    forward: origin.forward ?? { chatId: origin.chatId, messageId: origin.id, senderId: origin.senderId, at: origin.createdAt },
    silent: p.silent ?? false,
    now: deps.now(),
    preview: origin.preview ?? null, // the same snapshot; its image is readable by any signed-in user
    // the same media, readable now by the new chat's members; checked to be on the origin in the transaction
    ...(origin.attachments?.length ? { media: { ids: origin.attachments.map((a) => a.id), from: { messageId: origin.id } } } : {}),
  });
}

async function store(deps: Deps, input: NewMessage): Promise<Sent> {
  const { all } = mentionsOf(input.entities);
  const check: AccessCheck = (chat, m, _target, ctx) => {
    checkFor(input.senderId, "send")(chat, m, undefined, ctx);
    if (all) requireRight({ userId: input.senderId, chat, membership: m }, "mention_all");
  };
  // Deviation from "WriteOpts.idempotency on every create": the store's unique
  // (chat, sender, clientId), checked first inside the transaction, already makes a
  // retry return the first message — forever, not just for idempotencyTtlMs — and an
  // idempotency record would persist the whole recipient list (a channel's subscribers)
  // with every message.
  const done = await deps.storage.messages.send(input, check, {
    emit: (r) => [
      ...(r.created ? [chatDraft(input.chatId, "message.created", { message: r.message })] : []),
      ...(r.draftCleared ? [draftUpdated({ chatId: input.chatId, userId: input.senderId, draft: null })] : []),
    ],
  });
  await publishCommitted(deps, done);
  return { message: done.value.message };
}
