// Read-only figures of the media store: what refers to a media, and the admin totals.
import type { Database } from "bun:sqlite";
import type { MediaStats } from "../../media-port.ts";

/** A media `md` is referenced by a live message or is someone's or some chat's picture. */
export const REFERENCED = `EXISTS (SELECT 1 FROM message_media mm JOIN messages m ON m.id = mm.message_id
    WHERE mm.media_id = md.id AND m.deleted_at IS NULL)
  OR (md.purpose = 'avatar' AND (EXISTS (SELECT 1 FROM users u WHERE u.avatar IS NOT NULL AND json_extract(u.avatar, '$.id') = md.id)
    OR EXISTS (SELECT 1 FROM chats c WHERE c.avatar IS NOT NULL AND json_extract(c.avatar, '$.id') = md.id)))`;

const ORPHANS = `SELECT count(*) AS n, coalesce(sum(b.size), 0) AS bytes FROM media_blobs b
  WHERE NOT EXISTS (SELECT 1 FROM media WHERE blob_sha256 = b.sha256) AND NOT EXISTS (SELECT 1 FROM media_variants WHERE blob_sha256 = b.sha256)`;

export function statsOf(db: Database, usedBytes: number, topUsersMax: number): MediaStats {
  const blobs = db.query("SELECT count(*) AS n, coalesce(sum(size), 0) AS bytes FROM media_blobs").get() as { n: number; bytes: number };
  const orphans = db.query(ORPHANS).get() as { n: number; bytes: number };
  const mediaCount = (db.query("SELECT count(*) AS n FROM media").get() as { n: number }).n;
  const uploads = (db.query("SELECT count(*) AS n FROM media_uploads").get() as { n: number }).n;
  const topUsers = db
    .query(
      `SELECT user_id AS userId, sum(size) AS usedBytes FROM (
         SELECT owner_id AS user_id, size FROM media WHERE owner_id IS NOT NULL
         UNION ALL SELECT user_id, size FROM media_uploads
       ) GROUP BY user_id ORDER BY usedBytes DESC, user_id LIMIT ?`,
    )
    .all(topUsersMax) as { userId: string; usedBytes: number }[];
  return {
    usedBytes,
    blobBytes: blobs.bytes,
    blobCount: blobs.n,
    mediaCount,
    orphanBlobCount: orphans.n,
    orphanBlobBytes: orphans.bytes,
    uploadsInProgress: uploads,
    topUsers,
  };
}
