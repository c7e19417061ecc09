// Builds a fully static mediasoup-worker for the pinned mediasoup version, once,
// into the user's cache (see docs/worker-build.md). Usage: `bun scripts/build-worker.ts
// [--arm64]` (--arm64: the linux-arm64 worker, cross-compiled; see worker-recipe/cross.ts).
// Returns at once when the cache already holds a verified build for this recipe.
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FatalError } from "../src/errors.ts";
import { buildSrtpCross, compileCross, configureCross, publishCross, writeCrossFile } from "./worker-recipe/cross.ts";
import { arm64RequiredPackages, cacheRoot, mediasoupDir, mediasoupVersion, type WorkerArch, workerCacheEntry, workerCachePath } from "./worker-recipe/key.ts";
import { acquireBuildLock, newBuildDir, sweepStaleBuildDirs } from "./worker-recipe/lock.ts";
import { ensurePackages } from "./worker-recipe/packages.ts";
import { cachedWorker, publish } from "./worker-recipe/publish.ts";
import { StepError } from "./worker-recipe/run.ts";
import { buildSrtp, fetchSrtp } from "./worker-recipe/srtp.ts";
import { buildSysroot } from "./worker-recipe/sysroot.ts";
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

const arm64StepsTotal = 8;

/** The same source, patches and options, cross-compiled against an arm64 sysroot. */
async function buildArm64Into(workDir: string, log: Log, logPath: string): Promise<BuiltWorker> {
  const step = (n: number, what: string) => log(`[worker arm64] step ${n}/${arm64StepsTotal}: ${what}`);
  const buildStarted = Date.now();
  step(1, "checking Debian packages (cross toolchain, qemu-user-static)");
  await ensurePackages(log, logPath, arm64RequiredPackages);
  const entry = workerCacheEntry("arm64");
  const hit = cachedWorker(entry);
  if (hit) return { ...hit, version: mediasoupVersion };
  log(`[worker arm64] building mediasoup-worker ${entry.key} (log: ${logPath})`);
  step(2, "fetching libsrtp2 source (Debian source package, private apt config)");
  const srtpDir = await fetchSrtp(workDir, logPath);
  step(3, "arm64 sysroot: Debian's arm64 libraries at the installed versions (private apt config)");
  const { dir: sysroot, packages } = await buildSysroot(workDir, logPath);
  const crossPath = writeCrossFile(workDir, sysroot);
  step(4, "cross-building static libsrtp2 with OpenSSL crypto into the sysroot");
  await buildSrtpCross(srtpDir, crossPath, sysroot, logPath);
  step(5, `copying and patching mediasoup ${mediasoupVersion} worker source`);
  const workerDir = copyAndPatch(workerSourceDir, workDir);
  step(6, "configuring (meson, aarch64 cross file)");
  await configureCross(workerDir, crossPath, sysroot, logPath);
  step(7, "compiling (ninja; 6-12 minutes on 2 cores)");
  const started = Date.now();
  const built = await compileCross(workerDir, {
    logPath,
    onProgress: (done, total) => step(7, `compiling (ninja ${done}/${total}, ${Math.round((Date.now() - started) / 1000)} s)…`),
  });
  step(8, "verifying (static AArch64 ELF, smoke run under qemu) and publishing to the cache");
  const published = await publishCross(built, entry, packages, logPath);
  log(`[worker arm64] built in ${Math.round((Date.now() - buildStarted) / 1000)} s: ${published.path}`);
  return { ...published, version: mediasoupVersion };
}

/** The cached worker for this recipe and architecture, building it first if needed (6-12 minutes). */
export async function ensureWorker(opts: { log?: Log; arch?: WorkerArch } = {}): Promise<BuiltWorker> {
  const log = opts.log ?? ((line: string) => console.log(line));
  const arch = opts.arch ?? "x64";
  const entry = workerCacheEntry(arch);
  const hit = entry.missingPackages.length === 0 ? cachedWorker(entry) : null;
  if (hit) return { ...hit, version: mediasoupVersion };
  const logDir = join(cacheRoot(), "mediasoup-worker");
  mkdirSync(logDir, { recursive: true });
  const suffix = arch === "x64" ? "" : `-${arch}`;
  const release = await acquireBuildLock(join(logDir, `.lock-${mediasoupVersion}${suffix}`), log);
  try {
    return await buildLocked(logDir, log, arch);
  } finally {
    release();
  }
}

async function buildLocked(logDir: string, log: Log, arch: WorkerArch): Promise<BuiltWorker> {
  const suffix = arch === "x64" ? "" : `-${arch}`;
  const logPath = join(logDir, `build-${mediasoupVersion}${suffix}.log`); // the lock makes it ours alone
  writeFileSync(logPath, `hearth mediasoup-worker build (${arch}) ${new Date().toISOString()}\n`);
  sweepStaleBuildDirs(tmpdir());
  const workDir = newBuildDir(tmpdir());
  try {
    const result = arch === "x64" ? await buildInto(workDir, log, logPath) : await buildArm64Into(workDir, log, logPath);
    rmSync(workDir, { recursive: true, force: true });
    return result;
  } catch (err) {
    log(`[worker] build failed; full log: ${logPath}; build dir kept for inspection until the next build: ${workDir}`);
    throw err;
  }
}

if (import.meta.main) {
  try {
    const worker = await ensureWorker({ arch: process.argv.includes("--arm64") ? "arm64" : "x64" });
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
