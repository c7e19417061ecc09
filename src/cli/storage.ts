// Opening the database for one CLI command. Admin commands run beside a live server
// (WAL lets both write; the writer's busy timeout covers the overlap), so they go
// through the same storage port and migrations as `serve`.
import { mkdirSync } from "node:fs";
import { resolveConfig, type ConfigFlags } from "../config/load.ts";
import type { Config } from "../config/schema.ts";
import type { Storage, UserCredentials } from "../storage/port.ts";
import { FatalError } from "../errors.ts";
import { assertDataDirSafe } from "./data-dir.ts";
import { databaseFile } from "./paths.ts";

export async function withStorage<T>(globals: ConfigFlags, fn: (storage: Storage, config: Config) => Promise<T>): Promise<T> {
  const config = resolveConfig(globals);
  assertDataDirSafe(config.data.dir);
  mkdirSync(config.data.dir, { recursive: true, mode: 0o700 });
  const { openSqliteStorage } = await import("../storage/sqlite/storage.ts");
  const { loadSecrets, loadTotpBox } = await import("../secrets/store.ts");
  const totpBox = loadTotpBox(config.data.dir, loadSecrets(config.data.dir));
  const storage = await openSqliteStorage({ file: databaseFile(config), durability: config.storage.durability, totpBox });
  try {
    return await fn(storage, config);
  } finally {
    await storage.close();
  }
}

export async function findUser(storage: Storage, username: string): Promise<UserCredentials> {
  const user = await storage.users.credentialsByUsername(username);
  if (!user) throw new FatalError(`no user named "${username}"`);
  return user;
}

export const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
