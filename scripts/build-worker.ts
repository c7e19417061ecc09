// Builds a fully static mediasoup-worker for the pinned mediasoup version, once,
// into the user's cache (see docs/worker-build.md). Usage: `bun scripts/build-worker.ts`.
// Returns at once when the cache already holds a verified build for this recipe.
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FatalError } from "../src/errors.ts";
import { cacheRoot, mediasoupDir, mediasoupVersion, workerCacheEntry, workerCachePath } from "./worker-recipe/key.ts";
import { acquireBuildLock, newBuildDir, sweepStaleBuildDirs } from "./worker-recipe/lock.ts";
import { ensurePackages } from "./worker-recipe/packages.ts";
import { cachedWorker, publish } from "./worker-recipe/publish.ts";
import { StepError } from "./worker-recipe/run.ts";
import { buildSrtp, fetchSrtp } from "./worker-recipe/srtp.ts";
import { compile, configure, copyAndPatch } from "./worker-recipe/worker.ts";

export { workerCachePath };

export interface BuiltWorker {
  path: string;
  sha256: string;
  version: string;
}

const stepsTotal = 7;
const workerSourceDir = join(mediasoupDir, "worker");

type Log = (line: string) => void;

async function buildInto(workDir: string, log: Log, logPath: string): Promise<BuiltWorker> {
  const step = (n: number, what: string) => log(`[worker] step ${n}/${stepsTotal}: ${what}`);
  const buildStarted = Date.now();
  step(1, "checking Debian packages");
  await ensurePackages(log, logPath);
  const entry = workerCacheEntry(); // versions of freshly installed packages are part of the key
  const hit = cachedWorker(entry);
  if (hit) return { ...hit, version: mediasoupVersion }; // built meanwhile (we waited for the lock)
  log(`[worker] building mediasoup-worker ${entry.key} (log: ${logPath})`);
  step(2, "fetching libsrtp2 source (Debian source package, private apt config)");
  const srtpDir = await fetchSrtp(workDir, logPath);
  step(3, "building static libsrtp2 with OpenSSL crypto");
  const pkgConfigDir = await buildSrtp(srtpDir, workDir, logPath);
  step(4, `copying and patching mediasoup ${mediasoupVersion} worker source`);
  const workerDir = copyAndPatch(workerSourceDir, workDir);
  step(5, "configuring (meson)");
  await configure(workerDir, pkgConfigDir, logPath);
  step(6, "compiling (ninja; 6-12 minutes on 2 cores)");
  const started = Date.now();
  const built = await compile(workerDir, {
    logPath,
    onProgress: (done, total) => step(6, `compiling (ninja ${done}/${total}, ${Math.round((Date.now() - started) / 1000)} s)…`),
  });
  step(7, "verifying (fully static, smoke run) and publishing to the cache");
  const published = await publish(built, entry, logPath);
  log(`[worker] built in ${Math.round((Date.now() - buildStarted) / 1000)} s: ${published.path}`);
  return { ...published, version: mediasoupVersion };
}

/** The cached worker for this recipe, building it first if needed (6-12 minutes). */
export async function ensureWorker(opts: { log?: Log } = {}): Promise<BuiltWorker> {
  const log = opts.log ?? ((line: string) => console.log(line));
  const entry = workerCacheEntry();
  const hit = entry.missingPackages.length === 0 ? cachedWorker(entry) : null;
  if (hit) return { ...hit, version: mediasoupVersion };
  const logDir = join(cacheRoot(), "mediasoup-worker");
  mkdirSync(logDir, { recursive: true });
  const release = await acquireBuildLock(join(logDir, `.lock-${mediasoupVersion}`), log);
  try {
    return await buildLocked(logDir, log);
  } finally {
    release();
  }
}

async function buildLocked(logDir: string, log: Log): Promise<BuiltWorker> {
  const logPath = join(logDir, `build-${mediasoupVersion}.log`); // the lock makes it ours alone
  writeFileSync(logPath, `hearth mediasoup-worker build ${new Date().toISOString()}\n`);
  sweepStaleBuildDirs(tmpdir());
  const workDir = newBuildDir(tmpdir());
  try {
    const result = await buildInto(workDir, log, logPath);
    rmSync(workDir, { recursive: true, force: true });
    return result;
  } catch (err) {
    log(`[worker] build failed; full log: ${logPath}; build dir kept for inspection until the next build: ${workDir}`);
    throw err;
  }
}

if (import.meta.main) {
  try {
    const worker = await ensureWorker();
    console.log(`[worker] ready: ${worker.path} (sha256 ${worker.sha256})`);
  } catch (err) {
    if (err instanceof FatalError) {
      console.error(`[worker] ${err.message}`);
      process.exit(err.exitCode);
    }
    if (err instanceof StepError) {
      console.error(`[worker] ${err.message}\n[worker] full log: ${err.logPath}`);
      process.exit(1);
    }
    throw err;
  }
}
