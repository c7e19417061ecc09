// Edits (each version kept in message_edits), deletes for everyone (a tombstone: the
// row and its seq stay, content and derived rows go) and deletes for one user.
import { detachMedia } from "../media/attach.ts";
import type { Database } from "bun:sqlite";
import { AppError } from "../../../errors.ts";
import { limits } from "../../../limits.ts";
import type { Entity, Message, MessageChanged, MessageCheck, MessageEdit } from "../../chats-port.ts";
import { accessContext } from "./access-context.ts";
import { guardMember, memberIds, messageIn, messageNotFound } from "./queries.ts";

/** Mention and hashtag rows of a message, replacing any it had. */
export function writeEntities(db: Database, messageId: string, chatId: string, seq: number, entities: readonly Entity[]): void {
  db.query("DELETE FROM message_mentions WHERE message_id = ?").run(messageId);
  db.query("DELETE FROM message_hashtags WHERE message_id = ?").run(messageId);
  const mention = db.query("INSERT OR IGNORE INTO message_mentions (message_id, user_id, chat_id, seq) VALUES (?, ?, ?, ?)");
  const hashtag = db.query("INSERT OR IGNORE INTO message_hashtags (message_id, tag, chat_id, seq) VALUES (?, ?, ?, ?)");
  for (const e of entities) {
    if (e.type === "mention") mention.run(messageId, e.userId, chatId, seq);
    else if (e.type === "hashtag") hashtag.run(messageId, e.tag, chatId, seq);
  }
}

function load(db: Database, chatId: string, messageId: string, actorId: string, check: MessageCheck) {
  const { row, chat, actor } = guardMember(db, chatId, actorId);
  const message = messageIn(db, chatId, messageId);
  if (!message) throw messageNotFound();
  check(chat, actor, message, accessContext(db, row, actorId));
  return message;
}

const INSERT_VERSION = "INSERT INTO message_edits (message_id, version, text, entities, at) VALUES (?, ?, ?, ?, ?)";

export function editOp(
  db: Database,
  chatId: string,
  messageId: string,
  actorId: string,
  change: { text: string; entities: Entity[]; dropPreview?: boolean },
  check: MessageCheck,
  now: number,
): MessageChanged {
  const m = load(db, chatId, messageId, actorId, check);
  const { edit_count: edits } = db.query("SELECT edit_count FROM messages WHERE id = ?").get(messageId) as { edit_count: number };
  if (edits >= limits.messageEditsMax) {
    throw new AppError("limit_exceeded", "This message cannot be edited any more", { limit: "messageEditsMax", max: limits.messageEditsMax });
  }
  // The first edit records the original as version 1; every edit adds the new text.
  if (edits === 0) db.query(INSERT_VERSION).run(messageId, 1, m.text, JSON.stringify(m.entities), m.createdAt);
  const entities = JSON.stringify(change.entities);
  db.query(INSERT_VERSION).run(messageId, edits + 2, change.text, entities, now);
  const all = change.entities.some((e) => e.type === "mention_all") ? 1 : 0;
  db.query("UPDATE messages SET text = ?, entities = ?, mentions_all = ?, edited_at = ?, edit_count = edit_count + 1 WHERE id = ?").run(
    change.text,
    entities,
    all,
    now,
    messageId,
  );
  writeEntities(db, messageId, chatId, m.seq, change.entities);
  if (change.dropPreview) db.query("DELETE FROM message_previews WHERE message_id = ?").run(messageId);
  return { message: messageIn(db, chatId, messageId)!, previous: m, memberIds: seeing(db, chatId, messageId) };
}

// Who hid a message hears nothing more of it: their counts already dropped it, so an
// edit (a mention added) or a later delete for everyone must not move them again.
const seeing = (db: Database, chatId: string, messageId: string): string[] => {
  const hid = new Set((db.query("SELECT user_id FROM message_hidden WHERE message_id = ?").all(messageId) as { user_id: string }[]).map((r) => r.user_id));
  return memberIds(db, chatId).filter((u) => !hid.has(u));
};

export function editHistory(db: Database, messageId: string): MessageEdit[] {
  const rows = db.query("SELECT version, text, entities, at FROM message_edits WHERE message_id = ? ORDER BY version").all(messageId) as {
    version: number;
    text: string;
    entities: string;
    at: number;
  }[];
  if (rows.length > 0) return rows.map((r) => ({ ...r, entities: JSON.parse(r.entities) as Entity[] }));
  const m = db.query("SELECT text, entities, created_at FROM messages WHERE id = ? AND deleted_at IS NULL").get(messageId) as {
    text: string;
    entities: string;
    created_at: number;
  } | null;
  return m ? [{ version: 1, text: m.text, entities: JSON.parse(m.entities) as Entity[], at: m.created_at }] : [];
}

// Deleting for everyone purges what was said (text, entities, forward origin, edit
// history, mention and hashtag rows, reactions, its pin and its link preview) but keeps the row, so seqs stay dense and the
// clients that cached the message learn to drop it.
export function deleteForEveryoneOp(db: Database, chatId: string, messageId: string, actorId: string, check: MessageCheck, now: number): MessageChanged {
  const previous = load(db, chatId, messageId, actorId, check);
  return purgeMessage(db, previous, now, actorId);
}

/**
 * The erasing half of a delete for everyone, shared with the retention sweeper
 * (./retention.ts, deletedBy null). Only the row's place stays: id, seq, sender and
 * send time; expires_at goes too, so the sweeper never sees it again.
 */
export function purgeMessage(db: Database, previous: Message, now: number, deletedBy: string | null): MessageChanged {
  const { chatId, id: messageId } = previous;
  db.query(
    `UPDATE messages SET text = '', entities = '[]', mentions_all = 0, fwd_chat_id = NULL, fwd_message_id = NULL,
     fwd_sender_id = NULL, fwd_at = NULL, expires_at = NULL, deleted_at = ?, deleted_by = ? WHERE id = ?`,
  ).run(now, deletedBy, messageId);
  db.query("DELETE FROM message_edits WHERE message_id = ?").run(messageId);
  db.query("DELETE FROM message_reactions WHERE message_id = ?").run(messageId);
  db.query("DELETE FROM message_pins WHERE message_id = ?").run(messageId);
  db.query("DELETE FROM message_previews WHERE message_id = ?").run(messageId);
  detachMedia(db, messageId);
  writeEntities(db, messageId, chatId, 0, []);
  return { message: messageIn(db, chatId, messageId)!, previous, memberIds: seeing(db, chatId, messageId) };
}

export function deleteForMeOp(db: Database, chatId: string, messageId: string, userId: string, check: MessageCheck): MessageChanged {
  const m = load(db, chatId, messageId, userId, check);
  // Already hidden: gone for this user, and a second event would drop it from the counts twice.
  if (db.query("SELECT 1 FROM message_hidden WHERE user_id = ? AND message_id = ?").get(userId, messageId)) throw messageNotFound();
  db.query("INSERT OR IGNORE INTO message_hidden (user_id, message_id, chat_id, seq) VALUES (?, ?, ?, ?)").run(userId, messageId, chatId, m.seq);
  return { message: m, previous: m, memberIds: [userId] };
}
