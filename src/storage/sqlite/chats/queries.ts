// Reads shared by the chat and message sub-stores, usable inside a writer op (same
// transaction) and outside it. `db.query` caches each statement, so these are prepared
// once per connection.
import type { Database } from "bun:sqlite";
import { AppError } from "../../../errors.ts";
import { limits } from "../../../limits.ts";
import type { AccessCheck, ChatKind, ChatListEntry, Membership, Message } from "../../chats-port.ts";
import { storeNotFound } from "../../errors.ts";
import { accessContext } from "./access-context.ts";
import { draftOf } from "./drafts.ts";
import {
  CHAT_COLS,
  type ChatRow,
  MEMBER_COLS,
  type MemberRow,
  type MessageRow,
  messageCols,
  peerOf,
  toChat,
  toMembership,
  toMessage,
} from "./rows.ts";

export const chatNotFound = () => new AppError("not_found", "Chat not found");
export const messageNotFound = () => new AppError("not_found", "Message not found");

export const chatRow = (db: Database, chatId: string) =>
  db.query(`SELECT ${CHAT_COLS} FROM chats WHERE id = ?`).get(chatId) as ChatRow | null;

export function membership(db: Database, chatId: string, userId: string): Membership | null {
  const r = db.query(`SELECT ${MEMBER_COLS} FROM chat_members WHERE chat_id = ? AND user_id = ?`).get(chatId, userId) as MemberRow | null;
  return r ? toMembership(r) : null;
}

export const memberIds = (db: Database, chatId: string): string[] =>
  (db.query("SELECT user_id FROM chat_members WHERE chat_id = ?").values(chatId) as [string][]).map((r) => r[0]);

/**
 * Loads what an AccessCheck needs in the current transaction and runs it. A stranger
 * never gets past here even if a check forgot them: not_found, like a missing chat.
 */
export function guard(db: Database, chatId: string, actorId: string, check: AccessCheck, targetId?: string) {
  const row = chatRow(db, chatId);
  if (!row) throw chatNotFound();
  const chat = toChat(row);
  const actor = membership(db, chatId, actorId);
  const target = targetId === undefined ? undefined : membership(db, chatId, targetId);
  check(chat, actor, target, accessContext(db, row, actorId));
  if (!actor) throw chatNotFound();
  return { row, chat, actor, target: target ?? null };
}

/** The chat's member as the store sees it; for message commands whose check needs the message. */
export function guardMember(db: Database, chatId: string, actorId: string) {
  const row = chatRow(db, chatId);
  const actor = row ? membership(db, chatId, actorId) : null;
  if (!row || !actor) throw chatNotFound();
  return { row, chat: toChat(row), actor };
}

export function messageIn(db: Database, chatId: string, messageId: string): Message | null {
  const r = db.query(`SELECT ${messageCols("m")} FROM messages m WHERE m.id = ? AND m.chat_id = ?`).get(messageId, chatId) as MessageRow | null;
  return r ? toMessage(r) : null;
}

const NOT_HIDDEN = "NOT EXISTS (SELECT 1 FROM message_hidden h WHERE h.user_id = ?3 AND h.message_id = m.id)";

// Unread = messages after the pointer, not mine, not deleted, not hidden for me. Counted
// as (range count, index-only on messages_unread) − (my hidden ones in the range), so no
// per-row subquery runs over a long backlog. Mentions: my mention rows ∪ @all messages
// (a partial index), both small sets. Deletes for everyone purge mention rows and the
// @all flag, so only live messages are found there.
const RANGE = "SELECT count(*) AS n FROM messages m WHERE m.chat_id = ?1 AND m.seq > ?2 AND m.sender_id <> ?3 AND m.deleted_at IS NULL";
const HIDDEN = `SELECT count(*) AS n FROM message_hidden h JOIN messages m ON m.id = h.message_id
  WHERE h.user_id = ?3 AND h.chat_id = ?1 AND h.seq > ?2 AND m.sender_id <> ?3 AND m.deleted_at IS NULL`;
const MENTIONS = `SELECT count(*) AS n FROM (
    SELECT message_id AS id FROM message_mentions WHERE user_id = ?3 AND chat_id = ?1 AND seq > ?2
    UNION SELECT id FROM messages WHERE chat_id = ?1 AND seq > ?2 AND mentions_all = 1
  ) x JOIN messages m ON m.id = x.id
  WHERE m.sender_id <> ?3 AND m.deleted_at IS NULL AND NOT EXISTS (SELECT 1 FROM message_hidden h WHERE h.user_id = ?3 AND h.message_id = m.id)`;

export function unreadCounts(db: Database, chatId: string, readSeq: number, userId: string) {
  const n = (sql: string) => (db.query(sql).get(chatId, readSeq, userId) as { n: number }).n;
  return { unreadCount: n(RANGE) - n(HIDDEN), unreadMentionCount: n(MENTIONS) };
}

// The newest entryHiddenUnreadMax of the rows HIDDEN counts, ascending.
const HIDDEN_SEQS = `SELECT seq FROM (SELECT h.seq FROM message_hidden h JOIN messages m ON m.id = h.message_id
  WHERE h.user_id = ?3 AND h.chat_id = ?1 AND h.seq > ?2 AND m.sender_id <> ?3 AND m.deleted_at IS NULL
  ORDER BY h.seq DESC LIMIT ${limits.entryHiddenUnreadMax}) ORDER BY seq`;

export function hiddenUnread(db: Database, chatId: string, readSeq: number, userId: string): number[] {
  return (db.query(HIDDEN_SEQS).all(chatId, readSeq, userId) as { seq: number }[]).map((r) => r.seq);
}

const LAST_VISIBLE = `SELECT ${messageCols("m")} FROM messages m
  WHERE m.chat_id = ?1 AND m.deleted_at IS NULL AND ${NOT_HIDDEN.replace("?3", "?2")} ORDER BY m.seq DESC LIMIT 1`;

export function lastVisible(db: Database, chatId: string, userId: string): Message | null {
  const r = db.query(LAST_VISIBLE).get(chatId, userId) as MessageRow | null;
  return r ? toMessage(r) : null;
}

/** A chat-list entry from a joined chats + chat_members row (ENTRY_SELECT, log_pos read with it). */
export function entryOf(db: Database, row: EntryRow): ChatListEntry {
  const m = toMembership(row);
  return {
    chat: toChat({ ...row, id: row.chat_id }),
    pos: row.log_pos,
    membership: m,
    peerId: peerOf(row, m.userId),
    ...unreadCounts(db, row.chat_id, m.readSeq, m.userId),
    hiddenUnread: hiddenUnread(db, row.chat_id, m.readSeq, m.userId),
    lastMessage: lastVisible(db, row.chat_id, m.userId),
    draft: draftOf(db, row.chat_id, m.userId),
  };
}

export const ENTRY_SELECT = `SELECT ${CHAT_COLS.split(", ").map((c) => `c.${c}`).join(", ")}, c.log_pos, ${MEMBER_COLS.split(", ").map((c) => `m.${c}`).join(", ")}
  FROM chat_members m JOIN chats c ON c.id = m.chat_id`;

export type EntryRow = ChatRow & MemberRow & { log_pos: number };

/** A live account: a purged one (a "Deleted account", src/storage/sqlite/deletions.ts) joins, blocks and starts nothing. */
export function requireUser(db: Database, userId: string): void {
  if (!db.query("SELECT 1 FROM users WHERE id = ? AND deleted_at IS NULL").get(userId)) throw storeNotFound("User");
}

/** A group's limit comes from config (ChatSizeOpts.membersMax) when the caller passes it. */
export const sizeMax = (kind: ChatKind, membersMax?: number) =>
  kind === "channel" ? limits.channelSubscribersMax : (membersMax ?? limits.groupMembersMax);

export function tooMany(kind: ChatKind, membersMax?: number): AppError {
  const limit = kind === "channel" ? "channelSubscribersMax" : "groupMembersMax";
  return new AppError("limit_exceeded", `This ${kind} is full`, { limit, max: sizeMax(kind, membersMax) });
}
