// Media on messages, inside the message store's transactions: a send attaches (after
// checking, in the same transaction, that each media is usable), a delete for everyone
// detaches, so the media's blob can become an orphan for the GC.
import type { Database } from "bun:sqlite";
import type { NewMessage } from "../../chats-port.ts";
import { attachmentOf, type StoredAttachment } from "../../media-port.ts";
import { mediaNotFound } from "../../media-errors.ts";
import { MEDIA_SELECT, type MediaRow, toMedia } from "./rows.ts";

function usable(db: Database, senderId: string, mediaId: string, from: { messageId: string } | null): MediaRow | null {
  if (from) {
    return db
      .query(`${MEDIA_SELECT} WHERE md.id = ?1 AND EXISTS (SELECT 1 FROM message_media mm WHERE mm.message_id = ?2 AND mm.media_id = md.id)`)
      .get(mediaId, from.messageId) as MediaRow | null;
  }
  return db
    .query(`${MEDIA_SELECT} WHERE md.id = ?1 AND md.owner_id = ?2 AND md.purpose IN ('attachment', 'voice')`)
    .get(mediaId, senderId) as MediaRow | null;
}

/** Writes the message's attachments (already inserted as `m.id`); not_found for any media that may not be attached. */
export function attachMedia(db: Database, m: NewMessage): StoredAttachment[] {
  const media = m.media;
  if (!media || media.ids.length === 0) return [];
  const out: StoredAttachment[] = [];
  media.ids.forEach((id, position) => {
    const row = usable(db, m.senderId, id, media.from);
    if (!row) throw mediaNotFound();
    out.push(attachmentOf(toMedia(row)));
    db.query("INSERT INTO message_media (message_id, position, media_id, chat_id) VALUES (?, ?, ?, ?)").run(m.id, position, id, m.chatId);
    db.query("UPDATE media SET attached_at = coalesce(attached_at, ?) WHERE id = ?").run(m.now, id);
  });
  db.query("UPDATE messages SET attachments = ? WHERE id = ?").run(JSON.stringify(out), m.id);
  return out;
}

/** A tombstone carries no media. */
export function detachMedia(db: Database, messageId: string): void {
  db.query("DELETE FROM message_media WHERE message_id = ?").run(messageId);
  db.query("UPDATE messages SET attachments = NULL WHERE id = ?").run(messageId);
}
