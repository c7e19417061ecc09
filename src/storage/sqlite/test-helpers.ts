// Shared by the adapter-specific tests: temp dirs, file hashes, a fake "next" migration.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Migration } from "./migrate.ts";
import { migrations } from "./migrations.gen.ts";

export function tempDir(): { dir: string; done(): void } {
  const dir = mkdtempSync(join(tmpdir(), "hearth-sqlite-"));
  return { dir, done: () => rmSync(dir, { recursive: true, force: true }) };
}

export const sha = (file: string) => new Bun.CryptoHasher("sha256").update(readFileSync(file)).digest("hex");

/** A migration newer than every bundled one, as a future release would ship. */
export function futureMigration(tag = "9999_future"): Migration {
  const sql = "CREATE TABLE `future_things` (`id` text PRIMARY KEY NOT NULL);";
  return { tag, when: migrations.at(-1)!.when + 1000, hash: new Bun.CryptoHasher("sha256").update(sql).digest("hex"), sql };
}

export const withFuture = () => [...migrations, futureMigration()];

/** Runs a TypeScript snippet in a separate bun process; returns the process. */
export function spawnBun(dir: string, name: string, source: string) {
  const file = join(dir, name);
  Bun.write(file, source);
  return Bun.spawn([process.execPath, file], { stdout: "pipe", stderr: "pipe", cwd: dir });
}
