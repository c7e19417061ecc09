// What a backup directory holds. Layout (docs/operations.md, "Scheduled backups"):
//   hearth-<time>.sqlite         the database snapshot (restore with `hearth restore <it>`)
//   hearth-<time>.sqlite.media/  hard links to the media files that snapshot refers to
//   hearth-<time>.json           the manifest: written last, only after verification passed
//   blobs/<ab>/<cdef…>           the shared content-addressed store the .media links point at
// A snapshot without its manifest is an unfinished or failed backup and is removed.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { limits } from "../limits.ts";

export const BACKUP_FILE = /^hearth-(\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-\d{3}Z)\.sqlite$/;

export interface Manifest {
  version: 1;
  name: string; // the snapshot's file name
  startedAt: number;
  durationMs: number;
  dbBytes: number;
  mediaFiles: number;
  mediaBytes: number;
  mediaNewBytes: number;
  mediaMissing: number;
  /** Rows per table in the source at snapshot time; verification compared the copy with them. */
  counts: Record<string, number>;
}

export const backupName = (at: number) => `hearth-${new Date(at).toISOString().replace(/[:.]/g, "-")}.sqlite`;
export const manifestFile = (dir: string, name: string) => join(dir, name.replace(/\.sqlite$/, ".json"));
export const sharedBlobs = (dir: string) => join(dir, "blobs");

function readManifest(dir: string, name: string): Manifest | null {
  try {
    const m = JSON.parse(readFileSync(manifestFile(dir, name), "utf8")) as Manifest;
    return m && m.version === 1 && m.name === name && typeof m.startedAt === "number" && m.counts && typeof m.counts === "object" ? m : null;
  } catch {
    return null;
  }
}

/** Snapshot file names in `dir`, newest first (at most limits.backupsListedMax). */
export function snapshotNames(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((n) => BACKUP_FILE.test(n))
    .sort()
    .reverse()
    .slice(0, limits.backupsListedMax);
}

/** The complete (verified, manifest written) backups in `dir`, newest first. */
export function listBackups(dir: string): Manifest[] {
  return snapshotNames(dir).flatMap((n) => readManifest(dir, n) ?? []);
}

/** The manifest of the backup whose snapshot is `file` (a path), or null. */
export function manifestOf(file: string): Manifest | null {
  const i = file.lastIndexOf("/");
  return readManifest(i < 0 ? "." : file.slice(0, i), file.slice(i + 1));
}
