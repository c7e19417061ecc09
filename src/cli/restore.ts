import { mkdirSync } from "node:fs";
import { resolve } from "node:path";
import { resolveConfig } from "../config/load.ts";
import type { Command } from "./command.ts";
import { assertDataDirSafe } from "./data-dir.ts";
import { databaseFile } from "../config/paths.ts";

export const restoreCommand: Command = {
  name: "restore",
  summary: "Replace the database with a backup (the server must be stopped)",
  args: [{ name: "file", required: true, desc: "A file written by `hearth backup`" }],
  details:
    "The backup is checked first (integrity, known schema, every media file present in\n" +
    "<file>.media or the data directory). The current database is kept,\n" +
    "moved aside to <database>.before-restore-<time>; nothing is deleted.",
  examples: ["systemctl stop hearth && hearth restore /srv/backups/hearth-2026-01-31.sqlite && systemctl start hearth"],
  async run({ positionals, globals }) {
    const config = resolveConfig(globals);
    const dbFile = databaseFile(config);
    const backupFile = resolve(positionals[0]!);
    assertDataDirSafe(config.data.dir);
    mkdirSync(config.data.dir, { recursive: true, mode: 0o700 });
    const { restoreDatabase, validateBackup } = await import("../storage/sqlite/backup.ts");
    const { restoreMedia, mediaBackupDir } = await import("../media/backup.ts");
    validateBackup(backupFile);
    // media first: a backup whose files are missing changes nothing
    const media = restoreMedia(config.data.dir, backupFile);
    const { movedAside } = restoreDatabase({ dbFile, backupFile });
    const lines = [`restored ${dbFile} from ${backupFile}`];
    if (movedAside) lines.push(`previous database kept as ${movedAside}`);
    if (media.files > 0) lines.push(`restored ${media.files} media files (${media.bytes} bytes) from ${mediaBackupDir(backupFile)}`);
    process.stdout.write(`${lines.join("\n")}\n`);
    return 0;
  },
};
