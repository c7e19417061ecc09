// ChatStore on SQLite: chats, memberships and per-member flags. Every write is one
// writer op (commit() adds idempotency and events in the same savepoint) and re-runs
// the caller's AccessCheck on what it reads inside that transaction.
import type { Database } from "bun:sqlite";
import { limits } from "../../../limits.ts";
import type { AddCheck, ChatCreated, ChatStore, MemberRole, NewChat } from "../../chats-port.ts";
import { usernameKey } from "../../errors.ts";
import { AppError } from "../../../errors.ts";
import { commit, type Ctx } from "../tx.ts";
import { addCandidates, isBlockedIn } from "./access-context.ts";
import { blockStore } from "./blocks.ts";
import { draftStore } from "./drafts.ts";
import { inviteLinkStore } from "./links.ts";
import { setRetentionOp } from "./retention.ts";
import { addMembersOp, removeMemberOp, setFlagsOp, setRoleOp, updateOp } from "./membership.ts";
import { chatRow, ENTRY_SELECT, type EntryRow, entryOf, memberIds, membership, requireUser, sizeMax, tooMany } from "./queries.ts";
import { pairKey, toChat, toMember } from "./rows.ts";

export function chatStore(ctx: Ctx): ChatStore {
  const { db } = ctx;
  return {
    openDirect: (input, opts) => commit(ctx, opts, (tx) => openDirectOp(tx, input)),
    create: (input, mayAdd, opts) => commit(ctx, opts, (tx) => createOp(tx, input, mayAdd, opts?.membersMax)),
    async view(chatId, userId) {
      const row = chatRow(db, chatId);
      return row ? { chat: toChat(row), membership: membership(db, chatId, userId) } : null;
    },
    async listForUser(userId, { limit, before }) {
      const rows = (
        before
          ? db
              .query(`${ENTRY_SELECT} WHERE m.user_id = ?1 AND (c.last_at < ?2 OR (c.last_at = ?2 AND c.id < ?3)) ORDER BY c.last_at DESC, c.id DESC LIMIT ?4`)
              .all(userId, before.lastAt, before.chatId, limit)
          : db.query(`${ENTRY_SELECT} WHERE m.user_id = ?1 ORDER BY c.last_at DESC, c.id DESC LIMIT ?2`).all(userId, limit)
      ) as EntryRow[];
      return rows.map((r) => entryOf(db, r));
    },
    async entryFor(chatId, userId) {
      const r = db.query(`${ENTRY_SELECT} WHERE m.chat_id = ? AND m.user_id = ?`).get(chatId, userId) as EntryRow | null;
      return r ? entryOf(db, r) : null;
    },
    async members(chatId, { limit, afterUserId }) {
      const rows = db
        .query("SELECT user_id, role, joined_at FROM chat_members WHERE chat_id = ? AND user_id > ? ORDER BY user_id LIMIT ?")
        .all(chatId, afterUserId ?? "", limit) as { user_id: string; role: MemberRole; joined_at: number }[];
      return rows.map(toMember);
    },
    async membersByUsername(chatId, keys) {
      const q = db.query("SELECT u.id FROM users u JOIN chat_members m ON m.user_id = u.id AND m.chat_id = ? WHERE u.username_key = ?");
      const out = new Map<string, string>();
      for (const key of keys.slice(0, limits.messageEntitiesMax)) {
        const r = q.get(chatId, usernameKey(key)) as { id: string } | null;
        if (r) out.set(key, r.id);
      }
      return out;
    },
    update: (chatId, actorId, patch, check, now, opts) => commit(ctx, opts, (tx) => updateOp(tx, chatId, actorId, patch, check)),
    setRetention: (chatId, actorId, patch, check, opts) => commit(ctx, opts, (tx) => setRetentionOp(tx, chatId, actorId, patch, check)),
    addMembers: (chatId, actorId, ids, check, mayAdd, now, opts) =>
      commit(ctx, opts, (tx) => addMembersOp(tx, chatId, actorId, ids, check, mayAdd, now, opts?.membersMax)),
    removeMember: (chatId, actorId, targetId, check, opts) => commit(ctx, opts, (tx) => removeMemberOp(tx, chatId, actorId, targetId, check)),
    setRole: (chatId, actorId, targetId, role, check, opts) => commit(ctx, opts, (tx) => setRoleOp(tx, chatId, actorId, targetId, role, check)),
    setFlags: (chatId, userId, patch, check, now, opts) => commit(ctx, opts, (tx) => setFlagsOp(tx, chatId, userId, patch, check, now)),
    ...inviteLinkStore(ctx),
    ...blockStore(ctx),
    ...draftStore(ctx),
  };
}

const INSERT_CHAT = `INSERT INTO chats (id, kind, title, description, created_by, created_at, pair_key, space_id, member_count, last_seq, last_at)
  VALUES (?, ?, ?, ?, ?, ?, ?, NULL, ?, 0, ?)`;
const INSERT_MEMBER = "INSERT INTO chat_members (chat_id, user_id, role, joined_at, read_seq) VALUES (?, ?, ?, ?, ?)";

function openDirectOp(db: Database, input: { id: string; userId: string; peerId: string; now: number }): ChatCreated {
  const key = pairKey(input.userId, input.peerId);
  const existing = db.query("SELECT id FROM chats WHERE pair_key = ?").get(key) as { id: string } | null;
  if (existing) return { chat: toChat(chatRow(db, existing.id)!), created: false, memberIds: memberIds(db, existing.id) };
  requireUser(db, input.peerId);
  // Blocking hides nothing already there (the existing chat above), but starts nothing new.
  if (isBlockedIn(db, input.peerId, input.userId)) throw new AppError("blocked", "This person blocked you");
  const saved = input.userId === input.peerId;
  const people = saved ? [input.userId] : [input.userId, input.peerId];
  db.query(INSERT_CHAT).run(input.id, saved ? "saved" : "direct", "", "", input.userId, input.now, key, people.length, input.now);
  for (const u of people) db.query(INSERT_MEMBER).run(input.id, u, "member", input.now, 0);
  return { chat: toChat(chatRow(db, input.id)!), created: true, memberIds: people };
}

export function createOp(db: Database, c: NewChat, mayAdd: AddCheck, membersMax?: number): ChatCreated {
  const others = [...new Set(c.memberIds)].filter((u) => u !== c.ownerId);
  if (others.length + 1 > sizeMax(c.kind, membersMax)) throw tooMany(c.kind, membersMax);
  for (const u of [c.ownerId, ...others]) requireUser(db, u);
  mayAdd(addCandidates(db, c.ownerId, others));
  db.query(INSERT_CHAT).run(c.id, c.kind, c.title, c.description, c.ownerId, c.now, null, others.length + 1, c.now);
  db.query(INSERT_MEMBER).run(c.id, c.ownerId, "owner", c.now, 0);
  for (const u of others) db.query(INSERT_MEMBER).run(c.id, u, "member", c.now, 0);
  return { chat: toChat(chatRow(db, c.id)!), created: true, memberIds: [c.ownerId, ...others] };
}
