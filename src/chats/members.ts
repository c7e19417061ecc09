// Membership changes. Who may do what to whom is decided by access.ts (inside the
// write transaction); here: input rules, and who hears of it. The change goes to the
// chat's log; added members get chat.joined with their own entry, removed ones
// chat.left, both at the chat's pos after the change (their follow starts or ends there).
import { invalidField } from "../errors.ts";
import { publishCommitted } from "../events/publish.ts";
import type { WireMember } from "../protocol/methods/chats.ts";
import type { Deps } from "../core/deps.ts";
import type { MemberChange } from "../storage/chats-port.ts";
import type { ChatLogDraft, EventDraft } from "../storage/port.ts";
import { checkFor, mayAdd, requireChat } from "./access.ts";
import { chatDraft, posDraft } from "./drafts.ts";
import { pageSize, validateMemberIds } from "./validate.ts";
import { joinedEntry } from "./views.ts";

export async function listMembers(deps: Deps, userId: string, p: { chatId: string; afterUserId?: string; limit?: number }) {
  await requireChat(deps.storage, userId, p.chatId, "list_members");
  const limit = pageSize(p.limit, 100);
  const rows = await deps.storage.chats.members(p.chatId, { limit: limit + 1, afterUserId: p.afterUserId });
  return { members: rows.slice(0, limit), hasMore: rows.length > limit };
}

export async function addMembers(deps: Deps, userId: string, chatId: string, userIds: string[]): Promise<{ members: WireMember[] }> {
  const ids = validateMemberIds(userIds, userId);
  const done = await deps.storage.chats.addMembers(chatId, userId, ids, checkFor(userId, "add_members"), mayAdd, deps.now(), {
    emit: addedDrafts,
    membersMax: deps.config.chats.groupMembersMax,
  });
  await publishCommitted(deps, done);
  return { members: done.value.members };
}

/** The chat's log hears who came; each of them their own chat.joined, at the pos after it. */
export function addedDrafts(r: MemberChange): (EventDraft | ChatLogDraft)[] {
  if (r.members.length === 0) return [];
  const added = r.members.map((m) => m.userId);
  const joinedAt = r.members[0]!.joinedAt;
  const entry = joinedEntry(r.chat, "member", joinedAt, null, r.lastMessage);
  return [
    chatDraft(r.chat.id, "chat.member_added", { chat: r.chat, members: r.members }),
    posDraft(added, r.chat.id, "chat.joined", { entry, pos: 0 }),
  ];
}

/** In the SAME transaction: the chat's log says who went, and each of them gets chat.left at that pos. */
const removedDrafts = (r: MemberChange): (EventDraft | ChatLogDraft)[] => {
  const gone = r.members.map((m) => m.userId);
  return [chatDraft(r.chat.id, "chat.member_removed", { chat: r.chat, userIds: gone }), posDraft(gone, r.chat.id, "chat.left", { chatId: r.chat.id, pos: 0 })];
};

export async function removeMember(deps: Deps, userId: string, chatId: string, targetId: string): Promise<object> {
  if (targetId === userId) throw invalidField("userId", "use member.leave to leave a chat");
  const check = checkFor(userId, (t) => ({ do: "remove_member", target: t.role }));
  const done = await deps.storage.chats.removeMember(chatId, userId, targetId, check, { emit: removedDrafts });
  await publishCommitted(deps, done);
  return {};
}

export async function leaveChat(deps: Deps, userId: string, chatId: string): Promise<object> {
  const done = await deps.storage.chats.removeMember(chatId, userId, userId, checkFor(userId, "leave"), { emit: removedDrafts });
  await publishCommitted(deps, done);
  return {};
}

export async function setMemberRole(deps: Deps, userId: string, chatId: string, targetId: string, role: "admin" | "member") {
  const check = checkFor(userId, (t) => ({ do: role === "admin" ? "promote" : "demote", target: t.role }));
  const done = await deps.storage.chats.setRole(chatId, userId, targetId, role, check, {
    emit: (r) => r.members.map((member) => chatDraft(chatId, "chat.member_updated", { chatId, member })),
  });
  await publishCommitted(deps, done);
  return { member: done.value.members[0]! };
}
