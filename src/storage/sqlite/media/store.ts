// MediaStore on SQLite (port: ../../media-port.ts). Every write is one writer op; the
// checks that matter (quota, offset, ownership) run inside it, on rows read in the same
// transaction.
import type { Database } from "bun:sqlite";
import type { AccessCheck, ChatUpdated } from "../../chats-port.ts";
import type { BlobRef, Media, MediaStore, NewMedia, NewUpload, QuotaBounds, Upload, Variant } from "../../media-port.ts";
import type { User } from "../../port.ts";
import { storeNotFound } from "../../errors.ts";
import { guard, memberIds } from "../chats/queries.ts";
import { toChat, type ChatRow, CHAT_COLS } from "../chats/rows.ts";
import { USER_COLS, toUser, type UserRow } from "../rows.ts";
import { commit, type Ctx } from "../tx.ts";
import { checkQuota, mediaNotFound, offsetMismatch, uploadNotFound } from "../../media-errors.ts";
import { MEDIA_SELECT, type MediaRow, toMedia, toUpload, toVariant, UPLOAD_COLS, type UploadRow, VARIANT_COLS, type VariantRow } from "./rows.ts";
import { REFERENCED, statsOf } from "./stats.ts";

const uploadRow = (db: Database, id: string) => db.query(`SELECT ${UPLOAD_COLS} FROM media_uploads WHERE id = ?`).get(id) as UploadRow | null;
export const mediaRow = (db: Database, id: string) => db.query(`${MEDIA_SELECT} WHERE md.id = ?`).get(id) as MediaRow | null;

function usedBytes(db: Database, userId: string | null): number {
  const where = userId === null ? "" : " WHERE owner_id = ?1";
  const whereU = userId === null ? "" : " WHERE user_id = ?1";
  const r = db
    .query(`SELECT (SELECT coalesce(sum(size), 0) FROM media${where}) + (SELECT coalesce(sum(size), 0) FROM media_uploads${whereU}) AS n`)
    .get(...(userId === null ? [] : [userId])) as { n: number };
  return r.n;
}

function createUploadOp(db: Database, u: NewUpload, q: QuotaBounds): Upload {
  checkQuota(u.size, { user: usedBytes(db, u.userId), server: q.serverBytesMax > 0 ? usedBytes(db, null) : 0 }, q);
  db.query(
    `INSERT INTO media_uploads (id, user_id, purpose, chat_id, for_media_id, name, size, offset, waveform, duration_ms, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?)`,
  ).run(u.id, u.userId, u.purpose, u.chatId, u.forMediaId, u.name, u.size, u.waveform, u.durationMs, u.createdAt, u.createdAt);
  return toUpload(uploadRow(db, u.id)!);
}

function advanceOp(db: Database, id: string, from: number, to: number, now: number): Upload {
  const row = uploadRow(db, id);
  if (!row) throw uploadNotFound();
  if (row.offset !== from) throw offsetMismatch(row.offset);
  db.query("UPDATE media_uploads SET offset = ?, updated_at = ? WHERE id = ?").run(to, now, id);
  return { ...toUpload(row), offset: to, updatedAt: now };
}

const putBlob = (db: Database, b: BlobRef, now: number) =>
  db.query("INSERT OR IGNORE INTO media_blobs (sha256, size, created_at) VALUES (?, ?, ?)").run(b.sha256, b.size, now);

function putVariant(db: Database, mediaId: string, v: Omit<Variant, "mediaId">, now: number): void {
  putBlob(db, v.blob, now);
  db.query(`INSERT OR REPLACE INTO media_variants (${VARIANT_COLS}) VALUES (?, ?, ?, ?, ?, ?, ?)`).run(
    mediaId, v.name, v.blob.sha256, v.blob.size, v.mime, v.width, v.height,
  );
}

export function insertMedia(db: Database, m: NewMedia): Media {
  putBlob(db, m.blob, m.now);
  db.query(
    `INSERT INTO media (id, owner_id, purpose, blob_sha256, size, mime, kind, name, width, height, duration_ms, waveform, placeholder, thumbs, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(m.id, m.ownerId, m.purpose, m.blob.sha256, m.blob.size, m.mime, m.kind, m.name, m.width, m.height, m.durationMs, m.waveform, m.placeholder, m.thumbs ? 1 : 0, m.now);
  for (const v of m.variants) putVariant(db, m.id, v, m.now);
  return toMedia(mediaRow(db, m.id)!);
}

function takeUpload(db: Database, uploadId: string): Upload {
  const row = uploadRow(db, uploadId);
  if (!row) throw uploadNotFound();
  db.query("DELETE FROM media_uploads WHERE id = ?").run(uploadId);
  return toUpload(row);
}

function finishPosterOp(db: Database, uploadId: string, mediaId: string, v: Omit<Variant, "mediaId">, now: number): Media {
  const up = takeUpload(db, uploadId);
  const row = mediaRow(db, mediaId);
  if (!row || row.owner_id !== up.userId) throw mediaNotFound();
  putVariant(db, mediaId, v, now);
  return toMedia(mediaRow(db, mediaId)!);
}

/** Your finished avatar media, marked as used (so replacing it later lets the GC take it). */
function ownAvatar(db: Database, userId: string, mediaId: string, now: number): string {
  const row = mediaRow(db, mediaId);
  if (!row || row.owner_id !== userId || row.purpose !== "avatar") throw mediaNotFound();
  db.query("UPDATE media SET attached_at = coalesce(attached_at, ?) WHERE id = ?").run(now, mediaId);
  return JSON.stringify(row.placeholder ? { id: row.id, placeholder: row.placeholder } : { id: row.id });
}

function setUserAvatarOp(db: Database, userId: string, mediaId: string | null, now: number): User {
  if (!db.query("SELECT 1 FROM users WHERE id = ?").get(userId)) throw storeNotFound("User");
  const avatar = mediaId === null ? null : ownAvatar(db, userId, mediaId, now);
  db.query("UPDATE users SET avatar = ? WHERE id = ?").run(avatar, userId);
  return toUser(db.query(`SELECT ${USER_COLS} FROM users WHERE id = ?`).get(userId) as UserRow);
}

function setChatAvatarOp(db: Database, chatId: string, actorId: string, mediaId: string | null, check: AccessCheck, now: number): ChatUpdated {
  guard(db, chatId, actorId, check);
  const avatar = mediaId === null ? null : ownAvatar(db, actorId, mediaId, now);
  db.query("UPDATE chats SET avatar = ? WHERE id = ?").run(avatar, chatId);
  const chat = toChat(db.query(`SELECT ${CHAT_COLS} FROM chats WHERE id = ?`).get(chatId) as ChatRow);
  return { chat, memberIds: memberIds(db, chatId) };
}

// Media nothing refers to: no live message, no user's or chat's picture. Those once
// attached (or set as a picture) go at once; never-attached ones after a grace period
// (an upload finished but not yet sent). Link-preview images are link previews' to keep.
const COLLECTABLE = `SELECT md.id FROM media md WHERE md.purpose <> 'preview' AND NOT (${REFERENCED})
  AND (md.attached_at IS NOT NULL OR md.created_at < ?1) LIMIT ?2`;

function collectOp(db: Database, unattachedBefore: number, limit: number): number {
  // message_media rows of messages gone with their chat
  db.query("DELETE FROM message_media WHERE NOT EXISTS (SELECT 1 FROM messages m WHERE m.id = message_media.message_id)").run();
  const ids = (db.query(COLLECTABLE).values(unattachedBefore, limit) as [string][]).map((r) => r[0]);
  for (const id of ids) {
    db.query("DELETE FROM media_variants WHERE media_id = ?").run(id);
    db.query("DELETE FROM media WHERE id = ?").run(id);
  }
  return ids.length;
}

const ORPHAN = `NOT EXISTS (SELECT 1 FROM media WHERE blob_sha256 = b.sha256)
  AND NOT EXISTS (SELECT 1 FROM media_variants WHERE blob_sha256 = b.sha256)`;

export function mediaStore(ctx: Ctx): MediaStore {
  const { db } = ctx;
  return {
    createUpload: (u, q) => ctx.writer.run((tx) => createUploadOp(tx, u, q)),
    upload: async (id) => {
      const r = uploadRow(db, id);
      return r ? toUpload(r) : null;
    },
    advanceUpload: (id, from, to, now) => ctx.writer.run((tx) => advanceOp(tx, id, from, to, now)),
    deleteUpload: (id) => ctx.writer.run((tx) => tx.query("DELETE FROM media_uploads WHERE id = ?").run(id).changes > 0),
    finishUpload: (uploadId, m) =>
      ctx.writer.run((tx) => {
        takeUpload(tx, uploadId);
        return insertMedia(tx, m);
      }),
    finishPoster: (uploadId, mediaId, v) => ctx.writer.run((tx) => finishPosterOp(tx, uploadId, mediaId, v, ctx.now())),
    putServerMedia: (m) => ctx.writer.run((tx) => insertMedia(tx, m)),
    media: async (id) => {
      const r = mediaRow(db, id);
      return r ? toMedia(r) : null;
    },
    variants: async (mediaId) =>
      (db.query(`SELECT ${VARIANT_COLS} FROM media_variants WHERE media_id = ?`).all(mediaId) as VariantRow[]).map(toVariant),
    mayRead: async (mediaId, userId) =>
      db
        .query(
          `SELECT 1 FROM media md WHERE md.id = ?1 AND (md.owner_id = ?2 OR md.purpose IN ('avatar', 'preview') OR EXISTS (
             SELECT 1 FROM message_media mm JOIN messages m ON m.id = mm.message_id
             JOIN chat_members cm ON cm.chat_id = m.chat_id AND cm.user_id = ?2
             WHERE mm.media_id = md.id AND m.deleted_at IS NULL))`,
        )
        .get(mediaId, userId) !== null,
    usage: async (userId) => {
      const n = db.query("SELECT count(*) AS n FROM media_uploads WHERE user_id = ?").get(userId) as { n: number };
      return { usedBytes: usedBytes(db, userId), uploadsInProgress: n.n };
    },
    stats: async (topUsersMax) => statsOf(db, usedBytes(db, null), topUsersMax),
    staleUploads: async (before, limit) =>
      (db.query(`SELECT ${UPLOAD_COLS} FROM media_uploads WHERE updated_at < ? ORDER BY updated_at LIMIT ?`).all(before, limit) as UploadRow[]).map(toUpload),
    collectMedia: (unattachedBefore, limit) => ctx.writer.run((tx) => collectOp(tx, unattachedBefore, limit)),
    orphanBlobs: async (limit) =>
      (db.query(`SELECT b.sha256, b.size FROM media_blobs b WHERE ${ORPHAN} LIMIT ?`).all(limit) as BlobRef[]).map((b) => ({ sha256: b.sha256, size: b.size })),
    dropOrphanBlobs: (shas) =>
      ctx.writer.run((tx) => shas.filter((s) => tx.query(`DELETE FROM media_blobs AS b WHERE b.sha256 = ? AND ${ORPHAN}`).run(s).changes > 0)),
    blobExists: async (sha) => db.query("SELECT 1 FROM media_blobs WHERE sha256 = ?").get(sha) !== null,
    allBlobs: async (afterSha, limit) =>
      db.query("SELECT sha256, size FROM media_blobs WHERE sha256 > ? ORDER BY sha256 LIMIT ?").all(afterSha, limit) as BlobRef[],
    setUserAvatar: (userId, mediaId, opts) => commit(ctx, opts, (tx) => setUserAvatarOp(tx, userId, mediaId, ctx.now())),
    setChatAvatar: (chatId, actorId, mediaId, check, opts) => commit(ctx, opts, (tx) => setChatAvatarOp(tx, chatId, actorId, mediaId, check, ctx.now())),
  };
}
