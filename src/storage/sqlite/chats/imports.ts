// An import (src/imports/) as ONE writer op, so one savepoint of one transaction: the
// chat (created here, or guarded like any write), the media rows, and every message with
// its seq — a failure anywhere rolls all of it back. Its size is bounded by
// limits.importMessagesMax and importFilesMax (checked before it is queued): it holds the
// writer for the length of those inserts. Imported messages carry no mentions (an old
// export must not notify anyone now); reply targets are rows of the same import.
import type { Database } from "bun:sqlite";
import { invalidField, notFound } from "../../../errors.ts";
import { limits } from "../../../limits.ts";
import type { AccessCheck, AddCheck, HistoryImported, ImportRemapped, ImportRow, NewImport } from "../../chats-port.ts";
import { attachmentOf, type Media, type StoredAttachment } from "../../media-port.ts";
import { insertMedia } from "../media/store.ts";
import { createOp } from "./chats.ts";
import { chatRow, guard, membership, memberIds, messageIn } from "./queries.ts";
import { toChat } from "./rows.ts";

const INSERT = `INSERT INTO messages (id, chat_id, seq, sender_id, client_id, text, entities, reply_to_id, silent, mentions_all,
  created_at, edited_at, edit_count, attachments, import_source, import_author, import_mapped, import_missing)
  VALUES (?, ?, ?, ?, NULL, ?, '[]', ?, 1, 0, ?, ?, 0, ?, ?, ?, ?, ?)`;

export function importOp(db: Database, input: NewImport, check: AccessCheck, mayAdd: AddCheck, membersMax?: number): HistoryImported {
  const { chatId, created } = target(db, input, check, mayAdd, membersMax);
  const media = new Map<string, Media>();
  for (const m of input.media) media.set(m.id, insertMedia(db, m));
  const row = chatRow(db, chatId)!;
  let seq = row.last_seq;
  let lastAt = row.last_at;
  const insert = db.query(INSERT);
  const attach = db.query("INSERT INTO message_media (message_id, position, media_id, chat_id) VALUES (?, ?, ?, ?)");
  const attached = db.query("UPDATE media SET attached_at = coalesce(attached_at, ?) WHERE id = ?");
  for (const m of input.messages) {
    seq += 1;
    lastAt = Math.max(lastAt, m.createdAt);
    const atts = attachmentsOf(m, media);
    insert.run(
      m.id, chatId, seq, m.senderId, m.text, m.replyToId, m.createdAt, m.editedAt, atts.length > 0 ? JSON.stringify(atts) : null,
      m.imported.source, m.imported.author, m.imported.mapped ? 1 : 0, m.imported.missingFiles,
    );
    m.mediaIds.forEach((id, position) => {
      attach.run(m.id, position, id, chatId);
      attached.run(input.now, id);
    });
  }
  db.query("UPDATE chats SET last_seq = ?, last_at = ? WHERE id = ?").run(seq, lastAt, chatId);
  // Old history is not news: whoever had read everything before has read it too.
  db.query("UPDATE chat_members SET read_seq = ? WHERE chat_id = ? AND read_seq >= ?").run(seq, chatId, row.last_seq);
  const last = input.messages.at(-1);
  return {
    chat: toChat(chatRow(db, chatId)!),
    created,
    memberIds: memberIds(db, chatId),
    count: input.messages.length,
    lastMessage: last ? messageIn(db, chatId, last.id) : null,
  };
}

function target(db: Database, input: NewImport, check: AccessCheck, mayAdd: AddCheck, membersMax?: number): { chatId: string; created: boolean } {
  const senders = [...new Set(input.messages.filter((m) => m.imported.mapped).map((m) => m.senderId))];
  if ("create" in input.target) {
    const c = input.target.create;
    createOp(db, { ...c, memberIds: [...new Set([...c.memberIds, ...senders])] }, mayAdd, membersMax);
    return { chatId: c.id, created: true };
  }
  const { chatId } = input.target;
  guard(db, chatId, input.importerId, check);
  const outsider = senders.find((u) => membership(db, chatId, u) === null);
  if (outsider) throw invalidField("map", `maps an author to someone who is not a member of this chat (${outsider})`);
  return { chatId, created: false };
}

function attachmentsOf(m: ImportRow, media: Map<string, Media>): StoredAttachment[] {
  return m.mediaIds.map((id) => {
    const md = media.get(id);
    if (!md) throw invalidField("media", `is not part of this import (${id})`); // a planning bug, never input
    return attachmentOf(md);
  });
}

/**
 * A placeholder becomes a member (or a member's imported messages go back to being a
 * placeholder, sent by the chat's owner-of-record: the actor). Only imported rows of
 * this chat with this author change, in one UPDATE.
 */
export function mapImportedOp(db: Database, chatId: string, actorId: string, author: string, userId: string | null, check: AccessCheck): ImportRemapped {
  guard(db, chatId, actorId, check);
  if (userId !== null && membership(db, chatId, userId) === null) throw invalidField("userId", "must be a member of this chat");
  const changed = db
    .query("UPDATE messages SET sender_id = ?, import_mapped = ? WHERE chat_id = ? AND import_author = ? AND deleted_at IS NULL")
    .run(userId ?? actorId, userId === null ? 0 : 1, chatId, author).changes;
  if (changed === 0) throw notFound("No imported messages by this author in this chat");
  return { chat: toChat(chatRow(db, chatId)!), changed, memberIds: memberIds(db, chatId), lastMessage: lastLive(db, chatId) };
}

function lastLive(db: Database, chatId: string) {
  const r = db.query("SELECT id FROM messages WHERE chat_id = ? AND deleted_at IS NULL ORDER BY seq DESC LIMIT 1").get(chatId) as { id: string } | null;
  return r ? messageIn(db, chatId, r.id) : null;
}

export function importAuthors(db: Database, chatId: string): { name: string; userId: string | null; messages: number }[] {
  const rows = db
    .query(
      `SELECT import_author AS name, CASE WHEN import_mapped = 1 THEN sender_id END AS user_id, count(*) AS n FROM messages
       WHERE chat_id = ? AND import_author IS NOT NULL AND deleted_at IS NULL GROUP BY import_author, user_id ORDER BY n DESC, name LIMIT ?`,
    )
    .all(chatId, limits.importAuthorsMax) as { name: string; user_id: string | null; n: number }[];
  return rows.map((r) => ({ name: r.name, userId: r.user_id, messages: r.n }));
}
