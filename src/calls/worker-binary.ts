// Finds the mediasoup-worker executable and points mediasoup at it.
// mediasoup reads MEDIASOUP_WORKER_BIN once, when its module loads, so this must
// run BEFORE anything imports "mediasoup" (callers import it dynamically after).
// - dev: the binary built by `bun run setup` in the user's cache (never built here).
// - compiled executable: the binary is embedded (/$bunfs/…), which cannot be
//   spawned; we copy it to <dataDir>/bin once, verified by its sha256.
import { createHash } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
// By relative path: mediasoup's "exports" hides package.json from bare imports, and a
// JSON import is bundled into the executable without loading mediasoup itself.
import mediasoupPackage from "../../node_modules/mediasoup/package.json" with { type: "json" };
import { FatalError } from "../errors.ts";
import { type ForwardResult, forwardRtp } from "./selftest.ts";

export interface EmbeddedWorker {
  path: string; // as given by `import p from "./mediasoup-worker" with { type: "file" }`
  sha256: string;
}

export interface WorkerBinary {
  path: string;
  sha256: string;
  version: string; // mediasoup version the binary belongs to
}

export const mediasoupVersion: string = mediasoupPackage.version;

export function sha256Hex(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

function fileSha256(path: string): string {
  return sha256Hex(readFileSync(path));
}

export function extractedName(sha256: string): string {
  return `mediasoup-worker-${mediasoupVersion}-${sha256.slice(0, 8)}`;
}

/** Copies the embedded worker to <dataDir>/bin unless a verified copy is already there. */
export function extractWorker(dataDir: string, embedded: EmbeddedWorker): string {
  const binDir = join(dataDir, "bin");
  const target = join(binDir, extractedName(embedded.sha256));
  if (existsSync(target) && fileSha256(target) === embedded.sha256) return target;
  const bytes = readFileSync(embedded.path);
  const actual = sha256Hex(bytes);
  if (actual !== embedded.sha256) {
    throw new FatalError(`embedded mediasoup worker is corrupt (sha256 ${actual}, expected ${embedded.sha256})`);
  }
  mkdirSync(binDir, { recursive: true });
  // Write beside the target and rename: a crash never leaves a half-written binary
  // under the final name, and a wrong-checksum file there is replaced atomically.
  const temp = `${target}.tmp-${process.pid}-${Date.now()}`;
  try {
    writeFileSync(temp, bytes, { mode: 0o755 });
    chmodSync(temp, 0o755);
    renameSync(temp, target);
  } finally {
    rmSync(temp, { force: true });
  }
  return target;
}

/** The cached dev build; FatalError when `bun run setup` has not built it yet. */
async function devWorker(): Promise<{ path: string; sha256: string }> {
  const { workerCacheEntry } = await import("./worker-cache.ts");
  const entry = workerCacheEntry();
  if (!existsSync(entry.binary) || !existsSync(entry.sha256File)) {
    throw new FatalError(`mediasoup worker ${entry.key} is not built (expected ${entry.binary}); run \`bun run setup\``);
  }
  const expected = readFileSync(entry.sha256File, "utf8").split(/\s/)[0] ?? "";
  if (fileSha256(entry.binary) !== expected) {
    throw new FatalError(`cached mediasoup worker ${entry.binary} does not match its .sha256; run \`bun run setup\``);
  }
  return { path: entry.binary, sha256: expected };
}

/** Resolves the worker binary and sets MEDIASOUP_WORKER_BIN for the later mediasoup import. */
export async function resolveWorkerBinary(opts: {
  dataDir: string;
  embedded?: EmbeddedWorker;
  /** True inside a compiled executable: there is no source tree to find a dev build in. */
  compiled?: boolean;
}): Promise<WorkerBinary> {
  if (opts.compiled && !opts.embedded) {
    // e.g. an executable built with --no-worker: calls are absent.
    throw new FatalError("this executable was built without the mediasoup worker, so calls are unavailable; use a build for this platform that includes it");
  }
  const found = opts.embedded
    ? { path: extractWorker(opts.dataDir, opts.embedded), sha256: opts.embedded.sha256 }
    : await devWorker();
  process.env.MEDIASOUP_WORKER_BIN = found.path;
  return { ...found, version: mediasoupVersion };
}

/** Audio + video codecs a router must accept; also what `workerStatus` checks. */
export const smokeCodecs = [
  { kind: "audio", mimeType: "audio/opus", clockRate: 48000, channels: 2 },
  { kind: "video", mimeType: "video/VP8", clockRate: 90000 },
] as const;

/**
 * For `hearth doctor` (and the build's smoke run): really spawns a worker through
 * mediasoup, creates a router, forwards RTP through it (selftest.ts) and closes it.
 * Never throws: the outcome is a value.
 */
export async function workerStatus(path: string): Promise<{ ok: boolean; detail: string }> {
  const started = performance.now();
  process.env.MEDIASOUP_WORKER_BIN = path;
  try {
    const mediasoup = await import("mediasoup");
    if (mediasoup.workerBin !== path) {
      return { ok: false, detail: `mediasoup was loaded with worker ${mediasoup.workerBin}, not ${path}` };
    }
    const worker = await mediasoup.createWorker({ logLevel: "error" });
    let forwarded: ForwardResult;
    try {
      const router = await worker.createRouter({ mediaCodecs: smokeCodecs.map((c) => ({ ...c })) });
      forwarded = await forwardRtp(router);
    } finally {
      worker.close();
    }
    const ms = Math.round(performance.now() - started);
    const media = `${forwarded.received}/${forwarded.sent} RTP packets forwarded on loopback`;
    if (forwarded.received < forwarded.sent) return { ok: false, detail: `mediasoup ${mediasoup.version} worker started but only ${media}` };
    return { ok: true, detail: `mediasoup ${mediasoup.version} worker (pid ${worker.pid}) started, router created, ${media} in ${ms} ms` };
  } catch (err) {
    return { ok: false, detail: `mediasoup worker ${path} failed: ${(err as Error).message}` };
  }
}
