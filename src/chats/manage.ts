// Reading the chat list and one chat, changing chat-wide info (rename, describe), and
// the caller's own flags (mute, archive, pin). Chat-wide changes go to the chat's log;
// flags are private, so only the caller's other devices hear of them.
import { publishCommitted } from "../events/publish.ts";
import type { ChatEntry, ChatResult, MySettings } from "../protocol/methods/chats.ts";
import type { Deps } from "../core/deps.ts";
import type { ChatListEntry, FlagsPatch } from "../storage/chats-port.ts";
import { chatNotFound, checkFor, requireChat } from "./access.ts";
import { chatDraft, draft } from "./drafts.ts";
import { validateDescription, validateTitle } from "./validate.ts";
import { chatEntry, mySettings } from "./views.ts";
import { limits } from "../limits.ts";
import type { ChatParams } from "../protocol/methods/chats.ts";
import { validateRetention } from "./retention.ts";

export async function getChat(deps: Deps, userId: string, chatId: string): Promise<ChatEntry> {
  await requireChat(deps.storage, userId, chatId, "read");
  const entry = await deps.storage.chats.entryFor(chatId, userId);
  if (!entry) throw chatNotFound();
  return chatEntry(entry);
}

export async function listChats(
  deps: Deps,
  userId: string,
  p: { before?: { lastAt: number; chatId: string }; limit?: number },
  max: number = limits.pageSizeMax,
): Promise<{ chats: ChatEntry[]; hasMore: boolean }> {
  const limit = Math.min(p.limit ?? max, max);
  const rows: ChatListEntry[] = await deps.storage.chats.listForUser(userId, { limit: limit + 1, before: p.before });
  return { chats: rows.slice(0, limit).map(chatEntry), hasMore: rows.length > limit };
}

/** The welcome snapshot part: the most recently active chats with unread counts. */
export const chatsSnapshot = (deps: Deps, userId: string) => listChats(deps, userId, {}, limits.chatListSnapshotMax);

export async function editChatInfo(
  deps: Deps,
  userId: string,
  chatId: string,
  patch: { title?: string; description?: string },
): Promise<ChatResult<"chat.rename">> {
  const clean = {
    ...(patch.title !== undefined ? { title: validateTitle(patch.title) } : {}),
    ...(patch.description !== undefined ? { description: validateDescription(patch.description) } : {}),
  };
  const done = await deps.storage.chats.update(chatId, userId, clean, checkFor(userId, "edit_info"), deps.now(), {
    emit: (r) => [chatDraft(chatId, "chat.updated", { chat: r.chat })],
  });
  await publishCommitted(deps, done);
  return { chat: done.value.chat };
}

export async function setFlags(
  deps: Deps,
  userId: string,
  chatId: string,
  patch: FlagsPatch,
): Promise<{ me: MySettings }> {
  const done = await deps.storage.chats.setFlags(chatId, userId, patch, checkFor(userId, "personal"), deps.now(), {
    emit: (m) => [
      draft([userId], "chat.member_updated", {
        chatId,
        member: { userId, role: m.role, joinedAt: m.joinedAt },
        me: mySettings(m),
      }),
    ],
  });
  await publishCommitted(deps, done);
  return { me: mySettings(done.value) };
}

/** Retention settings (./retention.ts); announced in the chat's log as chat.retention_changed. */
export async function setRetention(deps: Deps, userId: string, p: ChatParams<"chat.set_retention">): Promise<ChatResult<"chat.set_retention">> {
  const patch = validateRetention(p);
  const done = await deps.storage.chats.setRetention(p.chatId, userId, patch, checkFor(userId, "set_retention"), {
    emit: (r) => [chatDraft(p.chatId, "chat.retention_changed", { chat: r.chat, by: userId, ...patch })],
  });
  await publishCommitted(deps, done);
  return { chat: done.value.chat };
}
