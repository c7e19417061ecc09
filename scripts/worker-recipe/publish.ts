// Checks a freshly built worker and moves it into the cache in one rename, so a
// reader sees either no entry or a complete, verified one.
import { createHash } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { FatalError } from "../../src/errors.ts";
import type { WorkerCacheEntry } from "./key.ts";
import { capture, run } from "./run.ts";

export function fileSha256(path: string): string {
  return createHash("sha256").update(readFileSync(path)).digest("hex");
}

/** The cached binary if present and matching its .sha256, else null. */
export function cachedWorker(entry: WorkerCacheEntry): { path: string; sha256: string } | null {
  if (!existsSync(entry.binary) || !existsSync(entry.sha256File)) return null;
  const expected = readFileSync(entry.sha256File, "utf8").split(/\s/)[0] ?? "";
  return fileSha256(entry.binary) === expected ? { path: entry.binary, sha256: expected } : null;
}

/** Fully static, or it cannot be embedded and run on another machine. */
export function assertStatic(binary: string): void {
  const { out } = capture(["ldd", binary]);
  if (!out.includes("not a dynamic executable")) {
    throw new FatalError(`${binary} is not fully static; ldd says: ${out.trim().split("\n").slice(0, 5).join("; ")}`);
  }
}

/** Stages binary + .sha256 beside the entry, smoke-tests it, then renames into place. */
export async function publish(built: string, entry: WorkerCacheEntry, logPath: string): Promise<{ path: string; sha256: string }> {
  const parent = dirname(entry.dir);
  mkdirSync(parent, { recursive: true });
  const staging = join(parent, `.staging-${entry.key}-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging);
  try {
    const binary = join(staging, "mediasoup-worker");
    copyFileSync(built, binary);
    // Symbols only matter for debugging the C++; stripping saves ~2 MB per executable.
    await run(["strip", binary], { logPath });
    assertStatic(binary);
    await run([process.execPath, join(import.meta.dir, "smoke.ts"), binary], { logPath });
    const sha256 = fileSha256(binary);
    writeFileSync(`${binary}.sha256`, `${sha256}  mediasoup-worker\n`);
    rmSync(entry.dir, { recursive: true, force: true }); // a stale entry failed its checksum
    renameSync(staging, entry.dir);
    return { path: entry.binary, sha256 };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}
