// Scheduled backups inside `hearth serve`. Each run: a consistent database snapshot with
// the source's row counts of the same instant (injected by the composition root: the
// SQLite adapter's snapshotWithCounts), its media linked from the shared blob store
// (a blob already there is not copied again), verification (the copy opens, passes
// integrity_check, has the source's schema and exactly its row counts; every media file
// is there with its size), then the manifest — the mark of a complete backup — and
// pruning (retention.ts). A failed run leaves nothing behind but its status, which
// /readyz details, /metrics and `backup.status` show.
import { mkdirSync, renameSync, rmSync, writeFileSync, existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { limits } from "../limits.ts";
import type { Logger } from "../log/port.ts";
import { backupMedia, mediaBackupDir, mediaCopyProblem } from "../media/backup.ts";
import type { Metrics } from "../metrics/port.ts";
import type { BackupResult, BackupStatus } from "../protocol/methods/backups.ts";
import { backupName, listBackups, manifestFile, type Manifest, sharedBlobs, snapshotNames } from "./list.ts";
import { backupsToKeep } from "./retention.ts";
import { type BackupSettings, checkSettings, describeSchedule, nextRunAt } from "./schedule.ts";

export interface BackupParts {
  settings: BackupSettings;
  dataDir: string;
  dbFile: string;
  log: Logger;
  metrics: Metrics;
  now: () => number;
  /** Consistent copy of dbFile to target (must not exist) with the source's row counts at that instant. */
  snapshot: (dbFile: string, target: string) => { bytes: number; counts: Record<string, number> };
  /** The first problem of a written copy against the expected counts, or null when it is sound. */
  verify: (file: string, counts: Record<string, number>) => string | null;
}

export interface BackupScheduler {
  start(): void;
  stop(): void;
  /** Runs one backup now (unless one is running: then its result); never throws. */
  runNow(): Promise<BackupResult>;
  status(): BackupStatus;
}

const resultOf = (m: Manifest): BackupResult => ({
  ok: true,
  name: m.name,
  startedAt: m.startedAt,
  durationMs: m.durationMs,
  dbBytes: m.dbBytes,
  mediaFiles: m.mediaFiles,
  mediaBytes: m.mediaBytes,
  mediaNewBytes: m.mediaNewBytes,
  mediaMissing: m.mediaMissing,
});

function removeBackup(dir: string, name: string): void {
  rmSync(manifestFile(dir, name), { force: true }); // first: a half-removed backup is no longer listed
  rmSync(mediaBackupDir(join(dir, name)), { recursive: true, force: true });
  for (const suffix of ["", "-journal", "-wal"]) rmSync(join(dir, name + suffix), { force: true });
}

/** Blobs in the shared store that no kept backup links to. */
function pruneShared(dir: string, kept: readonly string[]): number {
  const root = sharedBlobs(dir);
  if (!existsSync(root)) return 0;
  const used = new Set<string>();
  for (const name of kept) {
    const media = mediaBackupDir(join(dir, name));
    if (!existsSync(media)) continue;
    for (const ab of readdirSync(media)) for (const rest of readdirSync(join(media, ab))) used.add(ab + rest);
  }
  let removed = 0;
  for (const ab of readdirSync(root)) {
    for (const rest of readdirSync(join(root, ab))) {
      if (used.has(ab + rest)) continue;
      rmSync(join(root, ab, rest), { force: true });
      removed += 1;
    }
  }
  return removed;
}

export function createBackupScheduler(p: BackupParts): BackupScheduler {
  checkSettings(p.settings);
  const s = p.settings;
  const m = {
    runs: p.metrics.counter("hearth_backups_total", "Scheduled backups by result (ok, failed)"),
    lastOk: p.metrics.gauge("hearth_backup_last_ok", "1 when the last scheduled backup succeeded and was verified, 0 when it failed"),
    lastSuccess: p.metrics.gauge("hearth_backup_last_success_timestamp_seconds", "When the newest verified backup was taken (Unix time)"),
    duration: p.metrics.gauge("hearth_backup_last_duration_seconds", "How long the last scheduled backup took"),
    bytes: p.metrics.gauge("hearth_backup_last_bytes", "Database bytes plus media bytes of the last good backup"),
    kept: p.metrics.gauge("hearth_backups_kept", "Backups kept in the backup directory"),
  };
  const initial = s.enabled ? listBackups(s.dir) : [];
  let lastSuccess: BackupResult | null = initial[0] ? resultOf(initial[0]) : null;
  let last: BackupResult | null = lastSuccess;
  let kept = initial.length;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let nextAt: number | null = null;
  let running: Promise<BackupResult> | null = null;
  let stopped = false;

  const observe = () => {
    if (last) m.lastOk.set(last.ok ? 1 : 0);
    if (lastSuccess) {
      m.lastSuccess.set(lastSuccess.startedAt / 1000);
      m.bytes.set(lastSuccess.dbBytes + lastSuccess.mediaBytes);
    }
    m.kept.set(kept);
  };
  observe();

  function prune(current: string): void {
    // strays first: snapshots without a manifest (a crash mid-run), never the one just written
    for (const n of snapshotNames(s.dir)) if (n !== current && !existsSync(manifestFile(s.dir, n))) removeBackup(s.dir, n);
    const all = listBackups(s.dir);
    const keep = backupsToKeep(all.map((b) => ({ name: b.name, at: b.startedAt })), s.keepDaily, s.keepWeekly);
    const keepSet = new Set(keep);
    const gone = all.filter((b) => !keepSet.has(b.name));
    for (const b of gone) removeBackup(s.dir, b.name);
    const blobs = pruneShared(s.dir, keep);
    kept = keep.length;
    if (gone.length > 0 || blobs > 0) p.log.info("old backups removed", { backups: gone.map((b) => b.name), blobs, kept });
  }

  async function run(): Promise<BackupResult> {
    const startedAt = p.now();
    const name = backupName(startedAt);
    const file = join(s.dir, name);
    const t0 = performance.now();
    const out: BackupResult = { ok: false, name: null, startedAt, durationMs: 0, dbBytes: 0, mediaFiles: 0, mediaBytes: 0, mediaNewBytes: 0, mediaMissing: 0 };
    try {
      mkdirSync(sharedBlobs(s.dir), { recursive: true, mode: 0o700 });
      const snap = p.snapshot(p.dbFile, file);
      await Promise.resolve(); // let queued work run between the steps
      const media = backupMedia(p.dataDir, file, sharedBlobs(s.dir));
      const problem = p.verify(file, snap.counts) ?? mediaCopyProblem(file, new Set(media.missing));
      if (problem) throw new Error(`verification failed: ${problem}`);
      Object.assign(out, { ok: true, name, dbBytes: snap.bytes, mediaFiles: media.files, mediaBytes: media.bytes, mediaNewBytes: media.newBytes, mediaMissing: media.missing.length });
      out.durationMs = Math.round(performance.now() - t0);
      const manifest: Manifest = { version: 1, name, startedAt, durationMs: out.durationMs, dbBytes: out.dbBytes, mediaFiles: out.mediaFiles, mediaBytes: out.mediaBytes, mediaNewBytes: out.mediaNewBytes, mediaMissing: out.mediaMissing, counts: snap.counts };
      const target = manifestFile(s.dir, name);
      writeFileSync(`${target}.tmp`, JSON.stringify(manifest, null, 1), { mode: 0o600 });
      renameSync(`${target}.tmp`, target);
      prune(name);
      lastSuccess = out;
      if (media.missing.length > 0) p.log.warn("backup: media files the database refers to are missing from the data directory (see hearth doctor)", { missing: media.missing.length });
      p.log.info("backup done", { name, durationMs: out.durationMs, dbBytes: out.dbBytes, mediaFiles: out.mediaFiles, mediaNewBytes: out.mediaNewBytes, kept });
    } catch (err) {
      out.ok = false;
      out.name = null;
      out.durationMs = Math.round(performance.now() - t0);
      out.error = String((err as Error).message ?? err).slice(0, limits.backupErrorCharsMax);
      try {
        removeBackup(s.dir, name);
      } catch {
        // the directory itself may be what failed; the status says so
      }
      p.log.error("backup failed", { dir: s.dir, error: out.error });
    }
    last = out;
    m.runs.inc({ result: out.ok ? "ok" : "failed" });
    m.duration.set(out.durationMs / 1000);
    observe();
    return out;
  }

  function schedule(): void {
    if (stopped || !s.enabled) return;
    const now = p.now();
    nextAt = nextRunAt(s, now, lastSuccess?.startedAt ?? null, last !== null && !last.ok);
    timer = setTimeout(() => {
      timer = null;
      void runNow().finally(schedule);
    }, Math.min(Math.max(0, nextAt - now), 2 ** 31 - 1));
    timer.unref?.();
  }

  function runNow(): Promise<BackupResult> {
    if (running) return running;
    running = run().finally(() => {
      running = null;
    });
    return running;
  }

  return {
    start: () => {
      if (s.enabled && !timer && !stopped) schedule();
    },
    stop: () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      nextAt = null;
    },
    runNow,
    status: () => ({ enabled: s.enabled, dir: s.dir, schedule: describeSchedule(s), nextAt: s.enabled ? nextAt : null, running: running !== null, last, lastSuccess, kept }),
  };
}
