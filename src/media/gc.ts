// The media garbage collector, run every limits.mediaGcIntervalMs by the server:
//  1. unfinished uploads idle longer than limits.uploadIdleMs: row, then part file;
//  2. media nothing refers to (storage decides: deleted messages, replaced pictures,
//     never-sent uploads older than limits.mediaUnattachedKeepMs);
//  3. orphan blobs: row, then file — under the blob's lock, re-checked in the transaction,
//     so a finalize adopting the same content at that moment is never robbed;
//  4. files in the media dir with no row (a crash between writing and recording, or the
//     blobs of a database replaced by `hearth restore`) older than
//     limits.mediaOrphanFileGraceMs, and part files whose upload row is gone.
// Steps 3 and 4 wait while a `hearth backup` marker is fresh (src/media/backup.ts).
// Each step handles at most limits.mediaGcBatchMax items; the rest waits for the next run.
import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { limits } from "../limits.ts";
import type { Deps } from "../core/deps.ts";
import { backupRunning } from "./backup.ts";
import { blobFiles, removeFile } from "./blobs.ts";
import { mediaState } from "./state.ts";

export interface GcReport {
  staleUploads: number;
  media: number;
  orphanBlobs: number;
  orphanBytes: number;
  strayFiles: number;
}

export async function collectMediaGarbage(deps: Deps): Promise<GcReport> {
  const state = mediaState(deps);
  const now = deps.now();
  const report: GcReport = { staleUploads: 0, media: 0, orphanBlobs: 0, orphanBytes: 0, strayFiles: 0 };
  for (const up of await deps.storage.media.staleUploads(now - limits.uploadIdleMs, limits.mediaGcBatchMax)) {
    if (state.busy.has(up.id)) continue;
    if (await deps.storage.media.deleteUpload(up.id)) report.staleUploads += 1;
    await removeFile(state.dir.partPath(up.id));
  }
  report.media = await deps.storage.media.collectMedia(now - limits.mediaUnattachedKeepMs, limits.mediaGcBatchMax);
  if (backupRunning(deps.config.data.dir, Date.now())) return recorded(deps, report); // a backup may be linking blobs right now
  for (const blob of await deps.storage.media.orphanBlobs(limits.mediaGcBatchMax)) {
    if (await dropBlobIfOrphan(deps, blob.sha256)) {
      report.orphanBlobs += 1;
      report.orphanBytes += blob.size;
    }
  }
  report.strayFiles = await removeStrayFiles(deps, now);
  return recorded(deps, report);
}

/** Under the blob's lock: the row goes if nothing refers to it (re-checked in the transaction), then the file. */
async function dropBlobIfOrphan(deps: Deps, sha256: string): Promise<boolean> {
  const state = mediaState(deps);
  return state.blobLocks.run(sha256, async () => {
    const [dropped] = await deps.storage.media.dropOrphanBlobs([sha256]);
    if (!dropped) return false;
    await removeFile(state.dir.blobPath(sha256));
    return true;
  });
}

/**
 * After an account purge (src/accounts/deletion.ts): the blobs that lost a reference go
 * now if they are orphans (content another media still uses stays), and the part files
 * of the person's unfinished uploads. While a backup runs, blobs wait for the next GC run.
 */
export async function dropPurgedMedia(deps: Deps, blobs: readonly string[], uploadIds: readonly string[]): Promise<number> {
  const state = mediaState(deps);
  for (const id of uploadIds) if (!state.busy.has(id)) await removeFile(state.dir.partPath(id));
  if (backupRunning(deps.config.data.dir, Date.now())) return 0;
  let removed = 0;
  for (const sha of blobs) if (await dropBlobIfOrphan(deps, sha)) removed += 1;
  return removed;
}

function recorded(deps: Deps, report: GcReport): GcReport {
  const removed = mediaState(deps).metrics.gcRemoved;
  removed.inc({ what: "upload" }, report.staleUploads);
  removed.inc({ what: "media" }, report.media);
  removed.inc({ what: "blob" }, report.orphanBlobs);
  removed.inc({ what: "stray" }, report.strayFiles);
  if (report.staleUploads + report.media + report.orphanBlobs + report.strayFiles > 0) deps.log.info("media GC", { ...report });
  return report;
}

async function removeStrayFiles(deps: Deps, now: number): Promise<number> {
  const state = mediaState(deps);
  const old = (mtimeMs: number) => now - mtimeMs > limits.mediaOrphanFileGraceMs;
  let removed = 0;
  for await (const f of blobFiles(state.dir)) {
    if (removed >= limits.mediaGcBatchMax) break;
    if (!old(f.mtimeMs)) continue;
    await state.blobLocks.run(f.sha256, async () => {
      if (await deps.storage.media.blobExists(f.sha256)) return;
      await removeFile(f.path);
      removed += 1;
    });
  }
  const uploads = join(state.dir.root, "uploads");
  for (const name of await readdir(uploads).catch(() => [] as string[])) {
    if (removed >= limits.mediaGcBatchMax) break;
    const id = decodeURIComponent(name.replace(/\.part$/, ""));
    const st = await stat(join(uploads, name)).catch(() => null);
    if (!st || !old(st.mtimeMs) || state.busy.has(id) || (await deps.storage.media.upload(id))) continue;
    await removeFile(join(uploads, name));
    removed += 1;
  }
  return removed;
}

/** Runs the GC periodically; returns a stop function. A failed run is logged and retried next time. */
export function startMediaGc(deps: Deps): () => void {
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const run = async () => {
    if (stopped) return;
    try {
      await collectMediaGarbage(deps);
    } catch (err) {
      deps.log.warn("media GC failed", { err });
    }
    if (!stopped) timer = setTimeout(run, limits.mediaGcIntervalMs);
  };
  timer = setTimeout(run, limits.mediaGcStartDelayMs);
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
  };
}
