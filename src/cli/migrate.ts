import { existsSync, mkdirSync } from "node:fs";
import { resolveConfig } from "../config/load.ts";
import type { Command } from "./command.ts";
import { assertDataDirSafe } from "./data-dir.ts";
import { databaseFile } from "../config/paths.ts";

export const migrateCommand: Command = {
  name: "migrate",
  summary: "Apply pending database migrations (backing up the database first)",
  details:
    "`hearth serve` does this by itself at start; run it by hand to upgrade on your own schedule.\n" +
    "An existing database is copied to <data>/backups/pre-migrate-<time>.sqlite before it changes.",
  examples: ["hearth migrate", "hearth migrate --data /var/lib/hearth"],
  async run({ globals }) {
    const config = resolveConfig(globals);
    assertDataDirSafe(config.data.dir);
    mkdirSync(config.data.dir, { recursive: true, mode: 0o700 });
    const file = databaseFile(config);
    const existed = existsSync(file);
    const { migrate } = await import("../storage/sqlite/migrate.ts");
    const { applied, backup } = migrate({ file, durability: config.storage.durability });
    const lines: string[] = [];
    if (!existed) lines.push(`created ${file}`);
    if (backup) lines.push(`backed up to ${backup}`);
    lines.push(applied.length ? `applied ${applied.length}: ${applied.join(", ")}` : "database is up to date; nothing to apply");
    process.stdout.write(`${lines.join("\n")}\n`);
    return 0;
  },
};
