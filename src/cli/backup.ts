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
import type { Command } from "./command.ts";
import { databaseFile } from "./paths.ts";

export const backupCommand: Command = {
  name: "backup",
  summary: "Write a consistent copy of the database (and, in <file>.media, its media files) to a new file (safe while serving)",
  args: [{ name: "file", required: true, desc: "Where to write the copy; must not exist" }],
  examples: ["hearth backup /srv/backups/hearth-$(date +%F).sqlite"],
  async run({ positionals, globals }) {
    const config = resolveConfig(globals);
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
