// Reactions: a per-user toggle of one emoji on a live message. The chat's log carries
// the new counts; in a channel without WHO reacted (otherwise subscribers could list
// each other, which list_members forbids them) — only the reactor's own log learns it.
import { checkMessage, requireChat } from "../chats/access.ts";
import { chatDraft, draft } from "../chats/drafts.ts";
import { pageSize } from "../chats/validate.ts";
import { notFound } from "../errors.ts";
import { publishCommitted } from "../events/publish.ts";
import type { WireMessage } from "../protocol/methods/chats.ts";
import type { ReactionParams, ReactionResult } from "../protocol/methods/reactions.ts";
import type { Deps } from "../core/deps.ts";
import type { Message, ReactionChanged } from "../storage/chats-port.ts";
import type { ChatLogDraft, EventDraft } from "../storage/port.ts";
import { validateEmoji } from "./emoji.ts";

export async function toggleReaction(deps: Deps, userId: string, p: ReactionParams<"reaction.toggle">): Promise<ReactionResult<"reaction.toggle">> {
  const emoji = validateEmoji(p.emoji);
  const { chat } = await requireChat(deps.storage, userId, p.chatId, "read");
  const input = { chatId: p.chatId, messageId: p.messageId, userId, emoji, now: deps.now() };
  const done = await deps.storage.messages.toggleReaction(input, checkMessage(userId, "react"), {
    emit: (r) => changedDrafts(r, chat.kind === "channel"),
  });
  await publishCommitted(deps, done);
  const mine = await deps.storage.messages.reactionsOf([p.messageId], userId);
  return { added: done.value.added, reactions: mine.get(p.messageId) ?? [] };
}

/** In a channel the log's copy says nothing of who; the reactor's own devices get one that does (their `mine`). */
function changedDrafts(r: ReactionChanged, channel: boolean): (EventDraft | ChatLogDraft)[] {
  const { chatId, messageId, emoji, added, counts, userId } = r;
  if (!channel) return [chatDraft(chatId, "reaction.changed", { chatId, messageId, emoji, added, userId, counts })];
  return [
    chatDraft(chatId, "reaction.changed", { chatId, messageId, emoji, added, counts }),
    draft([userId], "reaction.changed", { chatId, messageId, emoji, added, userId, counts }),
  ];
}

export async function listReactors(deps: Deps, userId: string, p: ReactionParams<"reaction.list">): Promise<ReactionResult<"reaction.list">> {
  const emoji = validateEmoji(p.emoji);
  await requireChat(deps.storage, userId, p.chatId, "list_reactors");
  const message = await deps.storage.messages.visible(p.chatId, p.messageId, userId);
  if (!message || message.deletedAt !== null) throw notFound("Message not found");
  const limit = pageSize(p.limit, 100);
  const rows = await deps.storage.messages.reactors(p.messageId, emoji, { limit: limit + 1, afterUserId: p.afterUserId });
  return { users: rows.slice(0, limit), hasMore: rows.length > limit };
}

/** Message views for one reader: each message with its reaction counts and `mine`. */
export async function withReactions(deps: Deps, userId: string, messages: Message[]): Promise<WireMessage[]> {
  const all = await deps.storage.messages.reactionsOf(
    messages.filter((m) => m.deletedAt === null).map((m) => m.id),
    userId,
  );
  return messages.map((m) => ({ ...m, reactions: all.get(m.id) ?? [] }));
}
