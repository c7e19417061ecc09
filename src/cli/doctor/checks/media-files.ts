// Media storage: usage, blobs, orphans (blobs no media refers to: the server's GC removes
// them), rows whose file is missing (FAIL: those attachments cannot be served), and files
// with no row (strays, removed by the GC). Reads only; changes nothing.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { type Check, fail, ok, warn } from "../check.ts";

const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MiB`;

export const mediaFilesCheck: Check = async ({ dataDir, dbFile, db, config }) => {
  if (!existsSync(dbFile)) return [];
  let blobs: { sha256: string; size: number; orphan: number }[];
  let media: { n: number; bytes: number };
  let uploads: { n: number; bytes: number };
  try {
    const d = db();
    if (!d.query("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'media_blobs'").get()) return [];
    blobs = d
      .query(
        `SELECT b.sha256, b.size, (NOT EXISTS (SELECT 1 FROM media WHERE blob_sha256 = b.sha256)
           AND NOT EXISTS (SELECT 1 FROM media_variants WHERE blob_sha256 = b.sha256)) AS orphan FROM media_blobs b`,
      )
      .all() as typeof blobs;
    media = d.query("SELECT count(*) AS n, coalesce(sum(size), 0) AS bytes FROM media").get() as typeof media;
    uploads = d.query("SELECT count(*) AS n, coalesce(sum(size), 0) AS bytes FROM media_uploads").get() as typeof uploads;
  } catch {
    return []; // the database check reports an unreadable database
  }
  const root = join(dataDir, "media");
  const missing = blobs.filter((b) => !existsSync(join(root, b.sha256.slice(0, 2), b.sha256.slice(2))));
  const orphans = blobs.filter((b) => b.orphan === 1);
  const onDisk = blobs.reduce((n, b) => n + b.size, 0);
  const quota = config.media.serverQuotaBytes > 0 ? ` of ${mb(config.media.serverQuotaBytes)} (media.serverQuotaBytes)` : "";
  const out = [
    ok("media usage", `${media.n} media (${mb(media.bytes)})${quota}, ${uploads.n} unfinished upload(s) (${mb(uploads.bytes)} declared); ${blobs.length} stored file(s), ${mb(onDisk)} on disk in ${root}`),
  ];
  const orphanBytes = orphans.reduce((n, b) => n + b.size, 0);
  out.push(orphans.length === 0 ? ok("media orphans", "none") : warn("media orphans", `${orphans.length} file(s) (${mb(orphanBytes)}) no media refers to; the server's media GC removes them`));
  if (missing.length > 0) out.push(fail("media files", `${missing.length} stored file(s) are missing from ${root} (first: ${missing[0]!.sha256}); restore them from the backup's .media directory`));
  return out;
};
