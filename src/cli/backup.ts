// `hearth backup <file>`: an online, consistent copy (VACUUM INTO reads one snapshot)
// that works while the server runs on the same data directory. It opens its own
// read-write connection rather than a read-only one: only a read-write connection
// that closes last removes the -wal/-shm files it had to create, so a backup of a
// stopped server leaves the data directory exactly as it found it.
import { Database } from "bun:sqlite";
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { resolveConfig } from "../config/load.ts";
import { AppError, FatalError } from "../errors.ts";
import { limits } from "../limits.ts";
import type { Config } from "../config/schema.ts";
import { type Command, UsageError } from "./command.ts";
import { backupDirOf, databaseFile } from "../config/paths.ts";

export const backupCommand: Command = {
  name: "backup",
  summary: "Write a consistent copy of the database (and, in <file>.media, its media files) to a new file (safe while serving)",
  args: [{ name: "file", required: false, desc: "Where to write the copy; must not exist (with --verify: the backup to check)" }],
  flags: {
    list: { type: "boolean", desc: "List the scheduled backups (backup.dir): time, size, duration, media" },
    verify: { type: "boolean", desc: "Check a scheduled backup <file> again: integrity, schema, row counts against its manifest, media files" },
  },
  details:
    "Scheduled backups (backup.* in the config) run inside `hearth serve`; --list shows\n" +
    "what they kept, and `hearth restore <dir>/<name>` restores one, media included.",
  examples: ["hearth backup /srv/backups/hearth-$(date +%F).sqlite", "hearth backup --list", "hearth backup --verify /var/lib/hearth/backups/scheduled/hearth-2026-12-02T03-30-00-000Z.sqlite"],
  async run({ positionals, globals, flags }) {
    const config = resolveConfig(globals);
    if (flags.list) return listScheduled(config);
    if (!positionals[0]) throw new UsageError("hearth backup needs a <file> (or --list)", "backup");
    if (flags.verify) return verifyScheduled(resolve(positionals[0]));
    const source = databaseFile(config);
    const target = resolve(positionals[0]!);
    if (existsSync(target)) throw new FatalError(`${target} already exists; choose a new file name`);
    if (!existsSync(source)) throw new FatalError(`no database at ${source}; nothing to back up`);
    const { assertSqliteHeader } = await import("../storage/sqlite/open.ts");
    const { vacuumInto } = await import("../storage/sqlite/backup.ts");
    assertSqliteHeader(source);
    const db = new Database(source, { strict: true });
    try {
      db.run(`PRAGMA busy_timeout = ${limits.busyTimeoutMs}`);
      const { bytes } = vacuumInto(db, target);
      process.stdout.write(`backed up ${source} to ${target} (${bytes} bytes)\n`);
      // the blobs the copy refers to, read from the copy: database and media agree
      const { backupMedia, mediaBackupDir } = await import("../media/backup.ts");
      const media = backupMedia(config.data.dir, target);
      if (media.files > 0) process.stdout.write(`backed up ${media.files} media files (${media.bytes} bytes) to ${mediaBackupDir(target)}\n`);
      if (media.missing.length > 0) process.stderr.write(`hearth: warning: ${media.missing.length} media file(s) the database refers to are missing from the data directory (see hearth doctor)\n`);
    } catch (err) {
      // vacuumInto already removed the partial file; say it in one line.
      if (err instanceof AppError) throw new FatalError(err.message.replace(/^Backup/, "backup"));
      throw new FatalError(`cannot back up ${source}: ${(err as Error).message}`);
    } finally {
      db.close();
    }
    return 0;
  },
};

const mib = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MiB`;

async function listScheduled(config: Config): Promise<number> {
  const { listBackups } = await import("../backups/list.ts");
  const dir = backupDirOf(config);
  const all = listBackups(dir);
  const lines = [`${all.length} scheduled backup${all.length === 1 ? "" : "s"} in ${dir} (${config.backup.enabled ? "enabled" : "disabled: backup.enabled = false"})`];
  for (const b of all) {
    const missing = b.mediaMissing > 0 ? `, ${b.mediaMissing} missing` : "";
    lines.push(`  ${b.name}  ${new Date(b.startedAt).toISOString()}  db ${mib(b.dbBytes)}  media ${b.mediaFiles} files ${mib(b.mediaBytes)} (new ${mib(b.mediaNewBytes)}${missing})  ${b.durationMs} ms  verified`);
  }
  process.stdout.write(`${lines.join("\n")}\n`);
  return 0;
}

async function verifyScheduled(file: string): Promise<number> {
  const { manifestOf } = await import("../backups/list.ts");
  const { verifySnapshot } = await import("../storage/sqlite/backup.ts");
  const { mediaCopyProblem } = await import("../media/backup.ts");
  const manifest = manifestOf(file);
  if (!manifest) throw new FatalError(`${file} has no manifest beside it (not a complete scheduled backup)`);
  const problem = verifySnapshot(file, manifest.counts) ?? (manifest.mediaMissing > 0 ? null : mediaCopyProblem(file));
  if (problem) throw new FatalError(`backup ${file} failed verification: ${problem}`);
  const rows = Object.values(manifest.counts).reduce((a, b) => a + b, 0);
  process.stdout.write(`ok ${file}: integrity ok, ${rows} rows in ${Object.keys(manifest.counts).length} tables as at snapshot time, ${manifest.mediaFiles} media files present\n`);
  return 0;
}
