// Pinned messages on SQLite: a row per (chat, message). Deleting a message for everyone
// removes its pin (edits.ts), so the list holds live messages only.
import type { Database } from "bun:sqlite";
import { AppError } from "../../../errors.ts";
import { limits } from "../../../limits.ts";
import type { MessageCheck, Pin, PinChanged, PinStore } from "../../chats-port.ts";
import { commit, type Ctx } from "../tx.ts";
import { accessContext } from "./access-context.ts";
import { guardMember, memberIds, messageIn, messageNotFound } from "./queries.ts";
import { type MessageRow, messageCols, toMessage } from "./rows.ts";

function load(db: Database, chatId: string, messageId: string, actorId: string, check: MessageCheck) {
  const { row, chat, actor } = guardMember(db, chatId, actorId);
  const message = messageIn(db, chatId, messageId);
  if (!message) throw messageNotFound();
  check(chat, actor, message, accessContext(db, row, actorId));
  return message;
}

const pinRow = (db: Database, chatId: string, messageId: string) =>
  db.query("SELECT pinned_by, pinned_at FROM message_pins WHERE chat_id = ? AND message_id = ?").get(chatId, messageId) as {
    pinned_by: string;
    pinned_at: number;
  } | null;

function pinOp(db: Database, chatId: string, messageId: string, actorId: string, check: MessageCheck, now: number): PinChanged {
  const message = load(db, chatId, messageId, actorId, check);
  if (message.deletedAt !== null) throw messageNotFound(); // a tombstone is never pinned
  const prior = pinRow(db, chatId, messageId);
  if (!prior) {
    const { n } = db.query("SELECT count(*) AS n FROM message_pins WHERE chat_id = ?").get(chatId) as { n: number };
    if (n >= limits.pinnedMessagesPerChatMax) {
      throw new AppError("limit_exceeded", "Too many pinned messages; unpin some", { limit: "pinnedMessagesPerChatMax", max: limits.pinnedMessagesPerChatMax });
    }
    db.query("INSERT INTO message_pins (chat_id, message_id, pinned_by, pinned_at) VALUES (?, ?, ?, ?)").run(chatId, messageId, actorId, now);
  }
  const pin = { message, pinnedBy: prior?.pinned_by ?? actorId, pinnedAt: prior?.pinned_at ?? now };
  return { chatId, messageId, pin, changed: !prior, memberIds: memberIds(db, chatId) };
}

function unpinOp(db: Database, chatId: string, messageId: string, actorId: string, check: MessageCheck): PinChanged {
  load(db, chatId, messageId, actorId, check);
  const { changes } = db.query("DELETE FROM message_pins WHERE chat_id = ? AND message_id = ?").run(chatId, messageId);
  return { chatId, messageId, pin: null, changed: changes > 0, memberIds: memberIds(db, chatId) };
}

const PINNED = `SELECT ${messageCols("m")}, p.pinned_by, p.pinned_at FROM message_pins p JOIN messages m ON m.id = p.message_id
  WHERE p.chat_id = ?1 AND m.deleted_at IS NULL
    AND NOT EXISTS (SELECT 1 FROM message_hidden h WHERE h.user_id = ?2 AND h.message_id = m.id)
  ORDER BY p.pinned_at DESC, m.seq DESC LIMIT ?3`;

export function pinStore(ctx: Ctx): PinStore {
  const { db } = ctx;
  return {
    pin: (chatId, messageId, actorId, check, now, opts) => commit(ctx, opts, (tx) => pinOp(tx, chatId, messageId, actorId, check, now)),
    unpin: (chatId, messageId, actorId, check, opts) => commit(ctx, opts, (tx) => unpinOp(tx, chatId, messageId, actorId, check)),
    async pinned(chatId, userId): Promise<Pin[]> {
      const rows = db.query(PINNED).all(chatId, userId, limits.pinnedMessagesPerChatMax) as (MessageRow & { pinned_by: string; pinned_at: number })[];
      return rows.map((r) => ({ message: toMessage(r), pinnedBy: r.pinned_by, pinnedAt: r.pinned_at }));
    },
  };
}
