// Writer ops that change a chat's info or its members. Each runs inside one
// transaction: guard() re-checks rights on fresh rows, member_count moves with the rows.
import type { Database } from "bun:sqlite";
import type { AccessCheck, AddCheck, ChatUpdated, Member, MemberChange, FlagsPatch, Membership } from "../../chats-port.ts";
import { addCandidates } from "./access-context.ts";
import { chatNotFound, chatRow, guard, lastVisible, memberIds, membership, requireUser, sizeMax, tooMany } from "./queries.ts";
import { MUTE_FOREVER, toChat } from "./rows.ts";

const memberOf = (m: Membership): Member => ({ userId: m.userId, role: m.role, joinedAt: m.joinedAt });
const freshChat = (db: Database, chatId: string) => toChat(chatRow(db, chatId)!);

export function updateOp(db: Database, chatId: string, actorId: string, patch: { title?: string; description?: string }, check: AccessCheck): ChatUpdated {
  guard(db, chatId, actorId, check);
  db.query("UPDATE chats SET title = coalesce(?, title), description = coalesce(?, description) WHERE id = ?").run(
    patch.title ?? null,
    patch.description ?? null,
    chatId,
  );
  return { chat: freshChat(db, chatId), memberIds: memberIds(db, chatId) };
}

export function addMembersOp(
  db: Database,
  chatId: string,
  actorId: string,
  userIds: string[],
  check: AccessCheck,
  mayAdd: AddCheck,
  now: number,
  membersMax?: number,
): MemberChange {
  const { row } = guard(db, chatId, actorId, check);
  const fresh = [...new Set(userIds)].filter((u) => !membership(db, chatId, u));
  for (const u of fresh) requireUser(db, u);
  mayAdd(addCandidates(db, actorId, fresh));
  if (row.member_count + fresh.length > sizeMax(row.kind, membersMax)) throw tooMany(row.kind, membersMax);
  // Joining marks everything before as read: a new member starts with no unread backlog.
  const insert = db.query("INSERT INTO chat_members (chat_id, user_id, role, joined_at, read_seq) VALUES (?, ?, 'member', ?, ?)");
  for (const u of fresh) insert.run(chatId, u, now, row.last_seq);
  db.query("UPDATE chats SET member_count = member_count + ? WHERE id = ?").run(fresh.length, chatId);
  return {
    chat: freshChat(db, chatId),
    members: fresh.map((userId) => ({ userId, role: "member", joinedAt: now })),
    memberIds: memberIds(db, chatId),
    lastMessage: fresh.length > 0 ? lastVisible(db, chatId, fresh[0]!) : null,
  };
}

/** The result's memberIds are those BEFORE the removal: the removed member hears of it too. */
export function removeMemberOp(db: Database, chatId: string, actorId: string, targetId: string, check: AccessCheck): MemberChange {
  const { target } = guard(db, chatId, actorId, check, targetId);
  if (!target) throw chatNotFound();
  const before = memberIds(db, chatId);
  db.query("DELETE FROM chat_members WHERE chat_id = ? AND user_id = ?").run(chatId, targetId);
  db.query("UPDATE chats SET member_count = member_count - 1 WHERE id = ?").run(chatId);
  return { chat: freshChat(db, chatId), members: [memberOf(target)], memberIds: before, lastMessage: null };
}

export function setRoleOp(db: Database, chatId: string, actorId: string, targetId: string, role: "admin" | "member", check: AccessCheck): MemberChange {
  const { target } = guard(db, chatId, actorId, check, targetId);
  if (!target) throw chatNotFound();
  db.query("UPDATE chat_members SET role = ? WHERE chat_id = ? AND user_id = ?").run(role, chatId, targetId);
  return { chat: freshChat(db, chatId), members: [{ ...memberOf(target), role }], memberIds: memberIds(db, chatId), lastMessage: null };
}

export function setFlagsOp(
  db: Database,
  chatId: string,
  userId: string,
  patch: FlagsPatch,
  check: AccessCheck,
  now: number,
): Membership {
  const { actor } = guard(db, chatId, userId, check);
  const bit = (b: boolean | undefined) => (b === undefined ? null : b ? 1 : 0);
  // Pinning again keeps the first pin time, so the pinned order does not shuffle.
  const pinnedAt = patch.pinned === undefined ? actor.pinnedAt : patch.pinned ? (actor.pinnedAt ?? now) : null;
  // muted (until unmuted) and a timed mute_until are one setting: muteUntil wins over muted.
  const until = patch.muteUntil !== undefined ? patch.muteUntil : patch.muted === undefined ? actor.muteUntil : patch.muted ? MUTE_FOREVER : null;
  const forever = until === MUTE_FOREVER;
  db.query(
    "UPDATE chat_members SET muted = ?, mute_until = ?, notify_level = coalesce(?, notify_level), archived = coalesce(?, archived), pinned_at = ? WHERE chat_id = ? AND user_id = ?",
  ).run(forever ? 1 : 0, forever ? null : until, patch.notifyLevel ?? null, bit(patch.archived), pinnedAt, chatId, userId);
  return membership(db, chatId, userId)!;
}
