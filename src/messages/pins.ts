// Pinned messages: admins pin in groups and channels, both people in a direct chat
// (access.ts "pin_message"). The chat's log hears of a pin and an unpin; pinning twice
// or unpinning what is not pinned tells nobody.
import { checkMessage, requireChat } from "../chats/access.ts";
import { chatDraft } from "../chats/drafts.ts";
import { publishCommitted } from "../events/publish.ts";
import type { ReactionParams, ReactionResult } from "../protocol/methods/reactions.ts";
import type { Deps } from "../core/deps.ts";
import { withReactions } from "./reactions.ts";

export async function pinMessage(deps: Deps, userId: string, p: ReactionParams<"message.pin">): Promise<ReactionResult<"message.pin">> {
  const done = await deps.storage.messages.pin(p.chatId, p.messageId, userId, checkMessage(userId, "pin_message"), deps.now(), {
    emit: (r) => (r.changed && r.pin ? [chatDraft(r.chatId, "message.pinned", { chatId: r.chatId, pin: r.pin })] : []),
  });
  await publishCommitted(deps, done);
  return { pin: done.value.pin! };
}

export async function unpinMessage(deps: Deps, userId: string, p: ReactionParams<"message.unpin">): Promise<object> {
  const done = await deps.storage.messages.unpin(p.chatId, p.messageId, userId, checkMessage(userId, "pin_message"), {
    emit: (r) => (r.changed ? [chatDraft(r.chatId, "message.unpinned", { chatId: r.chatId, messageId: r.messageId })] : []),
  });
  await publishCommitted(deps, done);
  return {};
}

export async function pinnedMessages(deps: Deps, userId: string, chatId: string): Promise<ReactionResult<"message.list_pinned">> {
  await requireChat(deps.storage, userId, chatId, "read");
  const pins = await deps.storage.messages.pinned(chatId, userId);
  const messages = await withReactions(deps, userId, pins.map((p) => p.message));
  return { pins: pins.map((p, i) => ({ ...p, message: messages[i]! })) };
}
