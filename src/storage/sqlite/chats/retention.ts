// Retention on SQLite: a chat's two settings (auto-delete after N days, the
// disappearing-messages timer) and the sweeper's batch. A message is due when its
// stamped expires_at has passed, or when its chat auto-deletes and it is older than
// the chat's N days; due messages are purged exactly as a delete for everyone
// (./edits.ts purgeMessage), in one transaction per batch, so the events that tell
// clients commit with the purge.
import type { Database } from "bun:sqlite";
import type { AccessCheck, ChatUpdated, MessageChanged, RetentionPatch } from "../../chats-port.ts";
import { limits } from "../../../limits.ts";
import { purgeMessage } from "./edits.ts";
import { chatRow, guard, memberIds, messageIn } from "./queries.ts";
import { type ChatRow, toChat } from "./rows.ts";

const DAY_MS = 86_400_000;

export function setRetentionOp(db: Database, chatId: string, actorId: string, patch: RetentionPatch, check: AccessCheck): ChatUpdated {
  guard(db, chatId, actorId, check);
  if (patch.autoDeleteDays !== undefined) db.query("UPDATE chats SET auto_delete_days = ? WHERE id = ?").run(patch.autoDeleteDays, chatId);
  if (patch.disappearSeconds !== undefined) db.query("UPDATE chats SET disappear_seconds = ? WHERE id = ?").run(patch.disappearSeconds, chatId);
  return { chat: toChat(chatRow(db, chatId) as ChatRow), memberIds: memberIds(db, chatId) };
}

/** When a message sent now in this chat expires: its timer, read in the send's transaction. */
export const expiryFor = (row: Pick<ChatRow, "disappear_seconds">, now: number): number | null =>
  row.disappear_seconds === null ? null : now + row.disappear_seconds * 1000;

// The timer half walks a partial index (messages_expiry). The auto-delete half walks each
// chat that has it on (chats_auto_delete) in seq order from its cursor
// (chats.auto_deleted_seq: every message at or below it is deleted), purging while
// messages are older than the chat's N days and stopping at the first younger one: one
// probe of messages_unread per chat when nothing is due, and no per-chat time index that
// every send would pay for. Seq order is time order for sent messages (both are taken in
// the send's turn, through the one writer); an imported message keeps its original date
// and is purged once the messages before it are. retention.test.ts checks the plans.
export const EXPIRED = `SELECT m.id, m.chat_id FROM messages m
  WHERE m.expires_at IS NOT NULL AND m.expires_at <= ?1 AND m.deleted_at IS NULL LIMIT ?2`;
export const AUTO_DELETING = "SELECT c.id, c.auto_delete_days, c.auto_deleted_seq FROM chats c WHERE c.auto_delete_days IS NOT NULL";
export const OLDEST = "SELECT m.id, m.seq, m.created_at, m.deleted_at FROM messages m WHERE m.chat_id = ?1 AND m.seq > ?2 ORDER BY m.seq LIMIT ?3";

/** Purges up to `limit` due messages; each result as a delete for everyone's. */
export function expireOp(db: Database, now: number, limit: number): { deleted: MessageChanged[] } {
  const deleted: MessageChanged[] = [];
  const purge = (chatId: string, id: string) => {
    const m = messageIn(db, chatId, id);
    if (!m || m.deletedAt !== null) return;
    deleted.push(purgeMessage(db, m, now, null));
    // Nobody asked for this delete: not even which message it answered stays.
    db.query("UPDATE messages SET reply_to_id = NULL WHERE id = ?").run(m.id);
  };
  for (const d of db.query(EXPIRED).all(now, limit) as { id: string; chat_id: string }[]) purge(d.chat_id, d.id);
  // Rows looked at (deleted ones included) are bounded too: a chat turned to auto-delete
  // over a long history is worked through over several transactions.
  let budget = limits.retentionSweepRowsMax;
  const chats = db.query(AUTO_DELETING).all() as { id: string; auto_delete_days: number; auto_deleted_seq: number }[];
  for (const c of chats) {
    if (deleted.length >= limit || budget <= 0) break;
    const cutoff = now - c.auto_delete_days * DAY_MS;
    // Stepped through, not read whole (a chat with nothing due costs its first row), and
    // purged after the walk: SQLite leaves a scan undefined when its table changes under it.
    const rows = db.query(OLDEST).iterate(c.id, c.auto_deleted_seq, budget) as Iterable<{ id: string; seq: number; created_at: number; deleted_at: number | null }>;
    const due: string[] = [];
    let cursor = c.auto_deleted_seq;
    for (const r of rows) {
      budget -= 1;
      if (r.deleted_at === null) {
        if (r.created_at >= cutoff || deleted.length + due.length >= limit) break;
        due.push(r.id);
      }
      cursor = r.seq;
    }
    for (const id of due) purge(c.id, id);
    if (cursor !== c.auto_deleted_seq) db.query("UPDATE chats SET auto_deleted_seq = ? WHERE id = ?").run(cursor, c.id);
  }
  return { deleted };
}
