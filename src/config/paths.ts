// Where things live inside the data directory: the composition root and the commands that
// work on files both need it, so it sits with the configuration it reads.
import { join, resolve } from "node:path";
import type { Config } from "./schema.ts";

export const databaseFile = (config: Config) => join(config.data.dir, "hearth.sqlite");

/** The scheduled backups' directory: backup.dir, or <data>/backups/scheduled. */
export const backupDirOf = (config: Config) => resolve(config.backup.dir || join(config.data.dir, "backups", "scheduled"));
