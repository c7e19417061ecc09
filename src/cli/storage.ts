// Opening the data for one CLI command. Admin commands run beside a live server
// (WAL lets both write; the writer's busy timeout covers the overlap), so they go
// through the same composition root (src/compose.ts), storage port and migrations as `serve`.
import { resolveConfig, type ConfigFlags } from "../config/load.ts";
import type { Config } from "../config/schema.ts";
import type { Storage, UserCredentials } from "../storage/port.ts";
import { FatalError } from "../errors.ts";
import { assertDataDirSafe } from "./data-dir.ts";

export async function withStorage<T>(globals: ConfigFlags, fn: (storage: Storage, config: Config) => Promise<T>): Promise<T> {
  const config = resolveConfig(globals);
  assertDataDirSafe(config.data.dir);
  const { withDeps } = await import("../compose.ts");
  return withDeps(config, (deps) => fn(deps.storage, config));
}

export async function findUser(storage: Storage, username: string): Promise<UserCredentials> {
  const user = await storage.users.credentialsByUsername(username);
  if (!user) throw new FatalError(`no user named "${username}"`);
  return user;
}

export const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
