// MessageStore on SQLite. The seq of a new message is the chat's last_seq + 1, taken
// and stored in the same transaction as the insert (the writer serializes writes), so
// seqs are gap-free per chat and unique(chat_id, seq) can never trip.
import type { Database } from "bun:sqlite";
import { invalidField } from "../../../errors.ts";
import { limits } from "../../../limits.ts";
import type { AccessCheck, MessageSent, MessageStore, NewMessage, ReadState } from "../../chats-port.ts";
import { commit, type Ctx } from "../tx.ts";
import { deleteForEveryoneOp, deleteForMeOp, editHistory, editOp, writeEntities } from "./edits.ts";
import { clearDraft } from "./drafts.ts";
import { listMediaPage, listPage } from "./history.ts";
import { pinStore } from "./pins.ts";
import { reactionStore } from "./reactions.ts";
import { guard, memberIds, messageIn, unreadCounts } from "./queries.ts";
import { type MessageRow, messageCols, toMessage } from "./rows.ts";
import { attachMedia } from "../media/attach.ts";
import { expireOp, expiryFor } from "./retention.ts";
import { importAuthors, importOp, mapImportedOp } from "./imports.ts";

export function messageStore(ctx: Ctx): MessageStore {
  const { db } = ctx;
  return {
    send: (input, check, opts) => commit(ctx, opts, (tx) => sendOp(tx, input, check)),
    importHistory: (input, check, mayAdd, opts) => commit(ctx, opts, (tx) => importOp(tx, input, check, mayAdd, opts?.membersMax)),
    mapImported: (chatId, actorId, author, userId, check, opts) => commit(ctx, opts, (tx) => mapImportedOp(tx, chatId, actorId, author, userId, check)),
    importAuthors: async (chatId) => importAuthors(db, chatId),
    byId: async (chatId, messageId) => messageIn(db, chatId, messageId),
    async visible(chatId, messageId, userId) {
      const hidden = db.query("SELECT 1 FROM message_hidden WHERE user_id = ? AND message_id = ?").get(userId, messageId);
      return hidden ? null : messageIn(db, chatId, messageId);
    },
    edit: (chatId, messageId, actorId, change, check, now, opts) => commit(ctx, opts, (tx) => editOp(tx, chatId, messageId, actorId, change, check, now)),
    editHistory: async (messageId) => editHistory(db, messageId),
    deleteForEveryone: (chatId, messageId, actorId, check, now, opts) =>
      commit(ctx, opts, (tx) => deleteForEveryoneOp(tx, chatId, messageId, actorId, check, now)),
    expire: (now, limit, opts) => commit(ctx, opts, (tx) => expireOp(tx, now, limit)),
    deleteForMe: (chatId, messageId, userId, check, opts) => commit(ctx, opts, (tx) => deleteForMeOp(tx, chatId, messageId, userId, check)),
    list: async (chatId, userId, anchor, direction, limit) => listPage(db, chatId, userId, anchor, direction, limit),
    listMedia: async (chatId, userId, tab, beforeSeq, limit) => listMediaPage(db, chatId, userId, tab, beforeSeq, limit),
    markRead: (chatId, userId, seq, check, opts) => commit(ctx, opts, (tx) => markReadOp(tx, chatId, userId, seq, check)),
    async readState(chatId, userId) {
      const r = db.query("SELECT read_seq FROM chat_members WHERE chat_id = ? AND user_id = ?").get(chatId, userId) as { read_seq: number } | null;
      if (!r) return null;
      return { chatId, userId, readSeq: r.read_seq, ...unreadCounts(db, chatId, r.read_seq, userId), changed: false, memberIds: [] };
    },
    ...reactionStore(ctx),
    ...pinStore(ctx),
    async readers(chatId, messageId) {
      const m = messageIn(db, chatId, messageId);
      if (!m) return [];
      const rows = db
        .query("SELECT user_id, read_seq FROM chat_members WHERE chat_id = ? AND read_seq >= ? AND user_id <> ? ORDER BY user_id")
        .all(chatId, m.seq, m.senderId) as { user_id: string; read_seq: number }[];
      return rows.map((r) => ({ userId: r.user_id, readSeq: r.read_seq }));
    },
  };
}

const INSERT = `INSERT INTO messages (id, chat_id, seq, sender_id, client_id, text, entities, reply_to_id,
  fwd_chat_id, fwd_message_id, fwd_sender_id, fwd_at, silent, mentions_all, created_at, expires_at)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;

function sendOp(db: Database, m: NewMessage, check: AccessCheck): MessageSent {
  const { row } = guard(db, m.chatId, m.senderId, check);
  if (m.clientId !== null) {
    const prior = db
      .query(`SELECT ${messageCols("m")} FROM messages m WHERE m.chat_id = ? AND m.sender_id = ? AND m.client_id = ?`)
      .get(m.chatId, m.senderId, m.clientId) as MessageRow | null;
    if (prior) return { message: toMessage(prior), created: false, draftCleared: false }; // nothing to tell anyone
  }
  if (m.replyToId !== null) {
    const target = messageIn(db, m.chatId, m.replyToId);
    if (!target || target.deletedAt !== null) throw invalidField("replyToId", "must be a message of this chat");
  }
  const seq = row.last_seq + 1;
  const lastAt = Math.max(row.last_at, m.now); // the chat list order never goes back
  db.query("UPDATE chats SET last_seq = ?, last_at = ? WHERE id = ?").run(seq, lastAt, m.chatId);
  const all = m.entities.some((e) => e.type === "mention_all") ? 1 : 0;
  const r = inserted(m, seq, expiryFor(row, m.now));
  db.query(INSERT).run(
    r.id, r.chat_id, r.seq, r.sender_id, r.client_id, r.text, r.entities, r.reply_to_id,
    r.fwd_chat_id, r.fwd_message_id, r.fwd_sender_id, r.fwd_at, r.silent, all, r.created_at, r.expires_at,
  );
  writeEntities(db, m.id, m.chatId, seq, m.entities);
  if (m.preview) db.query("INSERT INTO message_previews (message_id, preview, image_id) VALUES (?, ?, ?)").run(m.id, JSON.stringify(m.preview), m.preview.image?.id ?? null);
  attachMedia(db, m);
  // What was being written is now sent (a forward is not what the composer held).
  const draftCleared = m.forward === null && clearDraft(db, m.chatId, m.senderId);
  // A message without a preview or media is exactly what was inserted: mapped from those
  // values by the same toMessage a read uses, instead of read back (the others are read,
  // with their joined preview and attachments).
  const message = m.preview || m.media ? messageIn(db, m.chatId, m.id)! : toMessage(r);
  return { message, created: true, draftCleared };
}

/** The row INSERT writes, as a read returns it (no preview, no attachments, not imported). */
function inserted(m: NewMessage, seq: number, expiresAt: number | null): MessageRow {
  const f = m.forward;
  return {
    id: m.id, chat_id: m.chatId, seq, sender_id: m.senderId, client_id: m.clientId, text: m.text, entities: JSON.stringify(m.entities), reply_to_id: m.replyToId,
    fwd_chat_id: f?.chatId ?? null, fwd_message_id: f?.messageId ?? null, fwd_sender_id: f?.senderId ?? null, fwd_at: f?.at ?? null,
    silent: m.silent ? 1 : 0, created_at: m.now, edited_at: null, deleted_at: null, preview: null, attachments: null, expires_at: expiresAt,
    deleted_by: null, import_source: null, import_author: null, import_mapped: 0, import_missing: 0,
  };
}

function markReadOp(db: Database, chatId: string, userId: string, seq: number, check: AccessCheck): ReadState {
  const { row, actor } = guard(db, chatId, userId, check);
  const target = Math.min(seq, row.last_seq);
  const changed = target > actor.readSeq;
  if (changed) db.query("UPDATE chat_members SET read_seq = ? WHERE chat_id = ? AND user_id = ?").run(target, chatId, userId);
  const readSeq = changed ? target : actor.readSeq;
  // Receipts go only to small chats; a channel's thousands of subscribers are never listed here.
  const small = row.member_count <= limits.readReceiptsMembersMax;
  return { chatId, userId, readSeq, ...unreadCounts(db, chatId, readSeq, userId), changed, memberIds: small ? memberIds(db, chatId) : [] };
}
