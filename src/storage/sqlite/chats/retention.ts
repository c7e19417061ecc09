// Retention on SQLite: a chat's two settings (auto-delete after N days, the
// disappearing-messages timer) and the sweeper's batch. A message is due when its
// stamped expires_at has passed, or when its chat auto-deletes and it is older than
// the chat's N days; due messages are purged exactly as a delete for everyone
// (./edits.ts purgeMessage), in one transaction per batch, so the events that tell
// clients commit with the purge.
import type { Database } from "bun:sqlite";
import type { AccessCheck, ChatUpdated, MessageChanged, RetentionPatch } from "../../chats-port.ts";
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

// Both halves use a partial index (messages_expiry, messages_chat_created); the
// auto-delete half walks only chats that have it on (chats_auto_delete). CROSS JOIN fixes
// that order: with a plain JOIN SQLite's planner scanned every live message through
// messages_chat_created and looked each chat up, inside the writer, every sweep
// (retentionSweepIntervalMs) — seen as 12 % of the server's CPU in `bench messaging`.
// retention.test.ts checks the plan.
export const DUE = `
  SELECT id, chat_id FROM (
    SELECT m.id, m.chat_id FROM messages m
    WHERE m.expires_at IS NOT NULL AND m.expires_at <= ?1 AND m.deleted_at IS NULL
    LIMIT ?2)
  UNION
  SELECT id, chat_id FROM (
    SELECT m.id, m.chat_id FROM chats c CROSS JOIN messages m ON m.chat_id = c.id
    WHERE c.auto_delete_days IS NOT NULL AND m.deleted_at IS NULL AND m.created_at < ?1 - c.auto_delete_days * ${DAY_MS}
    LIMIT ?2)
  LIMIT ?2`;

/** Purges up to `limit` due messages; each result as a delete for everyone's. */
export function expireOp(db: Database, now: number, limit: number): { deleted: MessageChanged[] } {
  const due = db.query(DUE).all(now, limit) as { id: string; chat_id: string }[];
  const deleted: MessageChanged[] = [];
  for (const d of due) {
    const m = messageIn(db, d.chat_id, d.id);
    if (!m || m.deletedAt !== null) continue;
    deleted.push(purgeMessage(db, m, now, null));
    // Nobody asked for this delete: not even which message it answered stays.
    db.query("UPDATE messages SET reply_to_id = NULL WHERE id = ?").run(m.id);
  }
  return { deleted };
}
