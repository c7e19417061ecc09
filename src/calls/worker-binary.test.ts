import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FatalError } from "../errors.ts";
import { extractedName, resolveWorkerBinary, sha256Hex } from "./worker-binary.ts";

let dir: string;
let savedEnv: Record<string, string | undefined>;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "hearth-worker-bin-"));
  savedEnv = { bin: process.env.MEDIASOUP_WORKER_BIN, cache: process.env.HEARTH_CACHE_DIR };
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
  for (const [key, name] of [["bin", "MEDIASOUP_WORKER_BIN"], ["cache", "HEARTH_CACHE_DIR"]] as const) {
    if (savedEnv[key] === undefined) delete process.env[name];
    else process.env[name] = savedEnv[key];
  }
});

/** A stand-in for the embedded file: any bytes work, the module only copies and hashes. */
function embeddedFile(content: string): { path: string; sha256: string } {
  const path = join(dir, "embedded-worker");
  writeFileSync(path, content);
  return { path, sha256: sha256Hex(new TextEncoder().encode(content)) };
}

describe("resolveWorkerBinary with an embedded worker", () => {
  test("extracts it to <dataDir>/bin, executable, and sets MEDIASOUP_WORKER_BIN", async () => {
    const embedded = embeddedFile("#!/bin/sh\necho worker\n");
    const dataDir = join(dir, "data");
    const found = await resolveWorkerBinary({ dataDir, embedded });
    expect(found.path).toBe(join(dataDir, "bin", extractedName(embedded.sha256)));
    expect(found.path).toContain(embedded.sha256.slice(0, 8));
    expect(readFileSync(found.path, "utf8")).toBe("#!/bin/sh\necho worker\n");
    expect(statSync(found.path).mode & 0o777).toBe(0o755);
    expect(process.env.MEDIASOUP_WORKER_BIN).toBe(found.path);
    expect(readdirSync(join(dataDir, "bin"))).toEqual([extractedName(embedded.sha256)]); // no temp files left
  });

  test("reuses an extracted copy whose checksum matches", async () => {
    const embedded = embeddedFile("worker v1");
    const dataDir = join(dir, "data");
    const first = await resolveWorkerBinary({ dataDir, embedded });
    const inode = statSync(first.path).ino;
    rmSync(embedded.path); // the copy alone must be enough now
    const second = await resolveWorkerBinary({ dataDir, embedded });
    expect(second.path).toBe(first.path);
    expect(statSync(second.path).ino).toBe(inode);
  });

  test("replaces an extracted copy whose checksum is wrong", async () => {
    const embedded = embeddedFile("the real worker");
    const dataDir = join(dir, "data");
    const first = await resolveWorkerBinary({ dataDir, embedded });
    writeFileSync(first.path, "tampered");
    const second = await resolveWorkerBinary({ dataDir, embedded });
    expect(readFileSync(second.path, "utf8")).toBe("the real worker");
    expect(statSync(second.path).mode & 0o777).toBe(0o755);
  });

  test("refuses an embedded file that does not match its expected checksum", async () => {
    const embedded = { ...embeddedFile("worker"), sha256: "0".repeat(64) };
    const dataDir = join(dir, "data");
    const attempt = resolveWorkerBinary({ dataDir, embedded });
    await expect(attempt).rejects.toThrow(FatalError);
    await expect(attempt).rejects.toThrow(/corrupt/);
    expect(existsSync(join(dataDir, "bin", extractedName(embedded.sha256)))).toBe(false);
  });
});

describe("resolveWorkerBinary in dev", () => {
  test("a missing cached build is a FatalError that says to run setup", async () => {
    process.env.HEARTH_CACHE_DIR = join(dir, "empty-cache");
    delete process.env.MEDIASOUP_WORKER_BIN;
    const attempt = resolveWorkerBinary({ dataDir: join(dir, "data") });
    await expect(attempt).rejects.toThrow(FatalError);
    await expect(attempt).rejects.toThrow(/bun run setup/);
    expect(process.env.MEDIASOUP_WORKER_BIN).toBeUndefined();
  });
});

describe("resolveWorkerBinary in a compiled executable without a worker (e.g. linux-arm64)", () => {
  test("says plainly that calls are unavailable, without looking for a source tree", async () => {
    delete process.env.MEDIASOUP_WORKER_BIN;
    const attempt = resolveWorkerBinary({ dataDir: join(dir, "data"), compiled: true });
    await expect(attempt).rejects.toThrow(FatalError);
    await expect(attempt).rejects.toThrow(/built without the mediasoup worker/);
    expect(process.env.MEDIASOUP_WORKER_BIN).toBeUndefined();
  });
});
