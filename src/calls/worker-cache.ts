// Where a built mediasoup worker lives, and the key that says whether it is still valid.
// Shared by the build recipe (scripts/worker-recipe/, which fills the cache) and the dev
// runtime (worker-binary.ts, which only looks), so both always agree on the path. It lives
// here, in product code, because product code never imports scripts/ (tests/architecture.test.ts);
// the recipe imports it instead. It READS the recipe files to hash them, it imports none.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
// By relative path, as in worker-binary.ts: mediasoup's "exports" hides its package.json.
import mediasoupPackage from "../../node_modules/mediasoup/package.json" with { type: "json" };

/** The recipe's own folder: its files are hashed into the key. */
export const recipeDir = join(import.meta.dir, "..", "..", "scripts", "worker-recipe");

/**
 * Debian packages whose contents end up in (or generate code for) the static binary.
 * Their exact versions are part of the key: a security update of libssl-dev must
 * produce a new worker, not keep serving one linked against the old library.
 */
export const linkedPackages = [
  "libc6-dev", "g++", "meson", "libssl-dev", "libuv1-dev", "libabsl-dev",
  "libusrsctp-dev", "libflatbuffers-dev", "flatbuffers-compiler",
] as const;

/**
 * The arm64 cross toolchain, whose versions key the arm64 build. The recipe's cross.ts
 * declares the same list as `crossPackages` (it cannot import it: cross.ts is hashed into
 * the arm64 key, which must not move); scripts/worker-recipe/key.test.ts checks they agree.
 * The sysroot's arm64 libraries are pinned to the linked x86-64 versions (sysroot.ts), so
 * linkedPackages already covers them.
 */
export const arm64LinkedPackages = ["g++-aarch64-linux-gnu", "gcc-12-aarch64-linux-gnu", "libc6-dev-arm64-cross", "libstdc++-12-dev-arm64-cross", "binutils-aarch64-linux-gnu"] as const;

export const mediasoupVersion: string = mediasoupPackage.version;

export function cacheRoot(): string {
  const xdg = process.env.XDG_CACHE_HOME || join(homedir(), ".cache");
  return process.env.HEARTH_CACHE_DIR || join(xdg, "hearth");
}

/** `pkg=version` lines; packages not installed are reported, not guessed. */
export function installedVersions(packages: readonly string[]): { versions: Map<string, string>; missing: string[] } {
  const out = Bun.spawnSync(["dpkg-query", "-W", "-f", "${Package}\t${Version}\t${db:Status-Status}\n", ...packages]);
  const versions = new Map<string, string>();
  for (const line of out.stdout.toString().split("\n")) {
    const [name, version, status] = line.split("\t");
    if (name && version && status === "installed") versions.set(name, version);
  }
  return { versions, missing: packages.filter((p) => !versions.has(p)) };
}

/**
 * The recipe files that decide the binary's bytes: source patches, the libsrtp2 and
 * worker build options, stripping. Orchestration (logging, locking, apt, key.ts, this
 * file) is left out on purpose, so editing it does not force a 10-minute rebuild.
 * A new file that changes the output must be added here.
 */
export const recipeFiles = ["patch.ts", "system-deps.meson", "srtp-adapter.cpp", "srtp.ts", "worker.ts", "publish.ts"] as const;

/** The arm64 worker is the same recipe cross-compiled: these files and packages come on top. */
export const arm64RecipeFiles = ["cross.ts", "sysroot.ts"] as const;

export type WorkerArch = "x64" | "arm64";

/**
 * Hash of the recipe: its files plus the versions of the linked Debian packages. The
 * x86-64 hash is what it always was, so adding the arm64 recipe kept every cached
 * x86-64 worker valid.
 */
export function recipeHash(versions: Map<string, string>, arch: WorkerArch = "x64"): string {
  const hash = createHash("sha256");
  const files = arch === "x64" ? recipeFiles : [...recipeFiles, ...arm64RecipeFiles];
  const packages = arch === "x64" ? linkedPackages : [...linkedPackages, ...arm64LinkedPackages];
  for (const file of files) hash.update(`${file}\0${readFileSync(join(recipeDir, file))}\0`);
  for (const pkg of packages) hash.update(`${pkg}=${versions.get(pkg) ?? "?"}\n`);
  return hash.digest("hex").slice(0, 12);
}

export interface WorkerCacheEntry {
  dir: string; // <cacheRoot>/mediasoup-worker/<version>-<recipeHash>
  binary: string;
  sha256File: string;
  key: string;
  missingPackages: string[]; // non-empty: the key cannot be trusted until they are installed
}

export function workerCacheEntry(arch: WorkerArch = "x64"): WorkerCacheEntry {
  const { versions, missing } = installedVersions(arch === "x64" ? linkedPackages : [...linkedPackages, ...arm64LinkedPackages]);
  const key = arch === "x64" ? `${mediasoupVersion}-${recipeHash(versions)}` : `${mediasoupVersion}-arm64-${recipeHash(versions, "arm64")}`;
  const dir = join(cacheRoot(), "mediasoup-worker", key);
  const binary = join(dir, "mediasoup-worker");
  return { dir, binary, sha256File: `${binary}.sha256`, key, missingPackages: missing };
}

/** Path of the cached worker binary for the current recipe (it may not exist yet). */
export function workerCachePath(arch: WorkerArch = "x64"): string {
  return workerCacheEntry(arch).binary;
}
