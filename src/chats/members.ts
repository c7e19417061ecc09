// Membership changes. Who may do what to whom is decided by access.ts (inside the
// write transaction); here: input rules, and who hears of it. A removed member hears
// of their removal and then nothing more; added members get their own chat entry.
import { invalidField } from "../errors.ts";
import { publishCommitted } from "../events/publish.ts";
import type { WireMember } from "../protocol/methods/chats.ts";
import type { Deps } from "../core/deps.ts";
import type { MemberChange } from "../storage/chats-port.ts";
import type { EventDraft } from "../storage/port.ts";
import { checkFor, mayAdd, requireChat } from "./access.ts";
import { draft, except, someone } from "./drafts.ts";
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
  await publishCommitted(deps, done.events);
  return { members: done.value.members };
}

export function addedDrafts(r: MemberChange): EventDraft[] {
  if (r.members.length === 0) return [];
  const added = r.members.map((m) => m.userId);
  const joinedAt = r.members[0]!.joinedAt;
  const entry = joinedEntry(r.chat, "member", joinedAt, null, r.lastMessage);
  return someone([
    draft(except(r.memberIds, ...added), "chat.member_added", { chat: r.chat, members: r.members }),
    draft(added, "chat.member_added", { chat: r.chat, members: r.members, entry }),
  ]);
}

const removedDrafts = (r: MemberChange): EventDraft[] => [
  draft(r.memberIds, "chat.member_removed", { chat: r.chat, userIds: r.members.map((m) => m.userId) }),
];

export async function removeMember(deps: Deps, userId: string, chatId: string, targetId: string): Promise<object> {
  if (targetId === userId) throw invalidField("userId", "use member.leave to leave a chat");
  const check = checkFor(userId, (t) => ({ do: "remove_member", target: t.role }));
  const done = await deps.storage.chats.removeMember(chatId, userId, targetId, check, { emit: removedDrafts });
  await publishCommitted(deps, done.events);
  return {};
}

export async function leaveChat(deps: Deps, userId: string, chatId: string): Promise<object> {
  const done = await deps.storage.chats.removeMember(chatId, userId, userId, checkFor(userId, "leave"), { emit: removedDrafts });
  await publishCommitted(deps, done.events);
  return {};
}

export async function setMemberRole(deps: Deps, userId: string, chatId: string, targetId: string, role: "admin" | "member") {
  const check = checkFor(userId, (t) => ({ do: role === "admin" ? "promote" : "demote", target: t.role }));
  const done = await deps.storage.chats.setRole(chatId, userId, targetId, role, check, {
    emit: (r) => r.members.map((member) => draft(r.memberIds, "chat.member_updated", { chatId, member })),
  });
  await publishCommitted(deps, done.events);
  return { member: done.value.members[0]! };
}
