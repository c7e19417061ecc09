// Where a built worker lives, and the key that says whether it is still valid.
// Shared by the build script (which fills the cache) and by the dev runtime
// (which only looks), so both always agree on the path.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { crossPackages, crossToolPackages } from "./cross.ts";

const recipeDir = import.meta.dir;

/**
 * Debian packages whose contents end up in (or generate code for) the static binary.
 * Their exact versions are part of the key: a security update of libssl-dev must
 * produce a new worker, not keep serving one linked against the old library.
 */
export const linkedPackages = [
  "libc6-dev", "g++", "meson", "libssl-dev", "libuv1-dev", "libabsl-dev",
  "libusrsctp-dev", "libflatbuffers-dev", "flatbuffers-compiler",
] as const;

/** Everything the build needs installed (linked packages plus tools). */
export const requiredPackages = [
  ...linkedPackages, "build-essential", "pkg-config", "python3", "ninja-build", "binutils",
] as const;

export const mediasoupDir = join(recipeDir, "..", "..", "node_modules", "mediasoup");
export const mediasoupVersion: string = JSON.parse(readFileSync(join(mediasoupDir, "package.json"), "utf8")).version;

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
 * worker build options, stripping. Orchestration (logging, locking, apt, this file)
 * is left out on purpose, so editing it does not force a 10-minute rebuild.
 * A new file that changes the output must be added here.
 */
export const recipeFiles = ["patch.ts", "system-deps.meson", "srtp-adapter.cpp", "srtp.ts", "worker.ts", "publish.ts"] as const;

/** The arm64 worker is the same recipe cross-compiled: these files and packages come on top. */
export const arm64RecipeFiles = ["cross.ts", "sysroot.ts"] as const;
// The sysroot's arm64 libraries are pinned to the linked x86-64 versions (sysroot.ts), so
// linkedPackages already covers them.
export const arm64LinkedPackages = crossPackages;
export const arm64RequiredPackages = [...requiredPackages, ...crossToolPackages] as const;

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
