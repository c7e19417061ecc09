// Media in backups. `hearth backup <file>` writes the database copy to <file> and, beside
// it, <file>.media/<ab>/<cdef…>: exactly the blobs the COPIED database refers to (its
// media_blobs rows), read from that copy after the snapshot, so database and media agree.
// Files are hard-linked when the backup is on the same filesystem (instant, and a blob
// the server deletes afterwards survives in the backup), copied otherwise. While a backup
// runs, a marker file tells the server's GC not to delete blobs (mediaBackupMarkerMs).
// `hearth restore` checks that every blob row of the backup has its file (in <file>.media
// or already in the data dir) BEFORE it replaces the database, then brings them in;
// blobs of the replaced database become strays the GC removes.
import { Database } from "bun:sqlite";
import { copyFileSync, existsSync, linkSync, mkdirSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { FatalError } from "../errors.ts";
import { limits } from "../limits.ts";

const SHA = /^[0-9a-f]{64}$/;
export const mediaBackupDir = (backupFile: string) => `${backupFile}.media`;
const blobAt = (root: string, sha: string) => join(root, sha.slice(0, 2), sha.slice(2));
export const backupMarker = (dataDir: string) => join(dataDir, "media", "backup-in-progress");

/** True while a backup (another process) may be reading blobs: the GC then deletes none. */
export function backupRunning(dataDir: string, now: number): boolean {
  try {
    return now - statSync(backupMarker(dataDir)).mtimeMs < limits.mediaBackupMarkerMs;
  } catch {
    return false;
  }
}

function blobsOf(dbFile: string): { sha256: string; size: number }[] {
  const db = new Database(dbFile, { readonly: true, strict: true });
  try {
    const has = db.query("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'media_blobs'").get();
    if (!has) return [];
    return (db.query("SELECT sha256, size FROM media_blobs ORDER BY sha256").all() as { sha256: string; size: number }[]).filter((b) => SHA.test(b.sha256));
  } finally {
    db.close();
  }
}

function linkOrCopy(from: string, to: string): void {
  mkdirSync(dirname(to), { recursive: true, mode: 0o700 });
  if (existsSync(to)) return; // content-addressed: the same name is the same bytes
  try {
    linkSync(from, to);
  } catch {
    copyFileSync(from, to);
  }
}

/**
 * Copies the blobs `backupDb` refers to into <backupDb>.media; `missing` counts rows whose
 * file was not in the data dir. With `shared` (scheduled backups), each blob goes once
 * into that content-addressed store and every backup's .media links to it: a blob already
 * there is not read again (`newFiles`/`newBytes` count the ones that were not).
 */
export function backupMedia(dataDir: string, backupDb: string, shared?: string): { files: number; bytes: number; newFiles: number; newBytes: number; missing: string[] } {
  const blobs = blobsOf(backupDb);
  const out = { files: 0, bytes: 0, newFiles: 0, newBytes: 0, missing: [] as string[] };
  if (blobs.length === 0) return out;
  const marker = backupMarker(dataDir);
  mkdirSync(dirname(marker), { recursive: true, mode: 0o700 });
  writeFileSync(marker, String(process.pid));
  try {
    const root = mediaBackupDir(backupDb);
    mkdirSync(root, { recursive: true, mode: 0o700 });
    for (const [i, b] of blobs.entries()) {
      if (i % 1000 === 0) utimesSync(marker, new Date(), new Date()); // keep the marker fresh on long runs
      const src = blobAt(join(dataDir, "media"), b.sha256);
      const store = shared ? blobAt(shared, b.sha256) : null;
      if (store && existsSync(store)) {
        linkOrCopy(store, blobAt(root, b.sha256));
      } else if (!existsSync(src)) {
        out.missing.push(b.sha256);
        continue;
      } else {
        if (store) linkOrCopy(src, store);
        linkOrCopy(store ?? src, blobAt(root, b.sha256));
        out.newFiles += 1;
        out.newBytes += b.size;
      }
      out.files += 1;
      out.bytes += b.size;
    }
  } finally {
    rmSync(marker, { force: true });
  }
  return out;
}

/** The first blob row of `backupDb` whose file in <backupDb>.media is absent or of another size, or null. */
export function mediaCopyProblem(backupDb: string, missing: ReadonlySet<string> = new Set()): string | null {
  const root = mediaBackupDir(backupDb);
  for (const b of blobsOf(backupDb)) {
    if (missing.has(b.sha256)) continue; // absent from the data dir already when the backup ran
    let size: number;
    try {
      size = statSync(blobAt(root, b.sha256)).size;
    } catch {
      return `media file ${b.sha256} is missing from ${root}`;
    }
    if (size !== b.size) return `media file ${b.sha256} in ${root} has ${size} bytes, ${b.size} expected`;
  }
  return null;
}

/** Brings the backup's blobs into the data dir; FatalError (nothing changed) if any is missing. */
export function restoreMedia(dataDir: string, backupDb: string): { files: number; bytes: number } {
  const blobs = blobsOf(backupDb);
  const root = mediaBackupDir(backupDb);
  const media = join(dataDir, "media");
  const lost = blobs.filter((b) => !existsSync(blobAt(root, b.sha256)) && !existsSync(blobAt(media, b.sha256)));
  if (lost.length > 0) {
    throw new FatalError(`backup ${backupDb} refers to ${lost.length} media file(s) found neither in ${root} nor in ${media} (first: ${lost[0]!.sha256}); nothing was restored`);
  }
  const out = { files: 0, bytes: 0 };
  for (const b of blobs) {
    const src = blobAt(root, b.sha256);
    if (!existsSync(src)) continue; // already in the data dir
    linkOrCopy(src, blobAt(media, b.sha256));
    out.files += 1;
    out.bytes += b.size;
  }
  return out;
}
