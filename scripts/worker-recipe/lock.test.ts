import { afterEach, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { acquireBuildLock, newBuildDir, sweepStaleBuildDirs } from "./lock.ts";

const dir = mkdtempSync(join(tmpdir(), "hearth-lock-test-"));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A pid that surely belongs to no live process: a child that has already exited. */
function deadPid(): number {
  const child = Bun.spawnSync(["true"]);
  return child.pid;
}

describe("build lock and build dirs", () => {
  test("takes a free lock, records our pid, releases it", async () => {
    mkdirSync(dir, { recursive: true });
    const lockPath = join(dir, ".lock");
    const release = await acquireBuildLock(lockPath, () => {});
    expect(readFileSync(lockPath, "utf8").trim()).toBe(String(process.pid));
    release();
    expect(existsSync(lockPath)).toBe(false);
  });

  test("takes over a lock whose builder is gone", async () => {
    mkdirSync(dir, { recursive: true });
    const lockPath = join(dir, ".lock");
    writeFileSync(lockPath, `${deadPid()}\n`);
    const lines: string[] = [];
    const release = await acquireBuildLock(lockPath, (l) => lines.push(l));
    expect(readFileSync(lockPath, "utf8").trim()).toBe(String(process.pid));
    expect(lines).toEqual([]); // no waiting for a dead builder
    release();
  });

  test("sweeps build dirs of dead builders only", () => {
    mkdirSync(dir, { recursive: true });
    const mine = newBuildDir(dir);
    const dead = newBuildDir(dir);
    writeFileSync(join(dead, ".owner"), `${deadPid()}\n`);
    sweepStaleBuildDirs(dir);
    expect(existsSync(mine)).toBe(true);
    expect(existsSync(dead)).toBe(false);
  });
});
