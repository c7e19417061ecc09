// Loads sharp, the native image library, once per process, and says whether it works.
// - from source (`bun src/main.ts`): sharp loads normally from node_modules.
// - compiled executable: build.ts replaced sharp's addon probing with one static require
//   of the embedded linux-x64 addon, whose NEEDED libvips-cpp.so.<v> is embedded as a file.
//   That library is written to <dataDir>/lib (checked by sha256 on every start) and
//   preloaded with bun:ffi dlopen BEFORE sharp is imported, so the addon's NEEDED entry
//   resolves by soname to the already loaded library.
// - no library in the build (arm64), a CPU the prebuilt addon refuses, a missing or
//   corrupt library, `images.enabled = false`: unavailable, with a one-line reason.
// Never throws: the outcome is a value.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Sharp, SharpOptions } from "sharp";
import type { Config } from "../../config/schema.ts";
import type { Logger } from "../../log/port.ts";
import { type EmbeddedLibrary, embedded } from "../../server/embedded.ts";
import type { ImageSupport } from "./types.ts";

export type SharpFn = ((input?: string | Buffer | Uint8Array, options?: SharpOptions) => Sharp) & typeof import("sharp");

interface Loaded {
  support: ImageSupport;
  sharp: SharpFn | null;
}

export interface LoadOptions {
  dataDir: string;
  enabled?: boolean;
  /** The compiled executable's library (default: what the build registered). */
  libvips?: EmbeddedLibrary | null;
  /** True inside a compiled executable (default: whether anything was embedded). */
  compiled?: boolean;
}

let loading: Promise<Loaded> | null = null;
let current: ImageSupport = { available: false, reason: "not initialised" };
// The dlopen handle stays referenced for the life of the process: closing it would unload
// the library under sharp.
let preloaded: unknown = null;

const firstLine = (err: unknown) => (err instanceof Error ? err.message : String(err)).split("\n")[0]!.trim();
const unavailable = (reason: string): Loaded => ({ support: { available: false, reason }, sharp: null });
const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

/** Writes the embedded library to <dataDir>/lib unless a copy with the right content is there. */
export function extractLibrary(dataDir: string, lib: EmbeddedLibrary): string {
  const dir = join(dataDir, "lib");
  const target = join(dir, lib.name);
  if (existsSync(target) && sha256(readFileSync(target)) === lib.sha256) return target;
  const bytes = readFileSync(lib.path);
  const actual = sha256(bytes);
  if (actual !== lib.sha256) throw new Error(`embedded ${lib.name} is corrupt (sha256 ${actual.slice(0, 12)}…, expected ${lib.sha256.slice(0, 12)}…)`);
  mkdirSync(dir, { recursive: true });
  const temp = `${target}.tmp-${process.pid}-${Date.now()}`;
  try {
    writeFileSync(temp, bytes, { mode: 0o644 });
    renameSync(temp, target); // a crash never leaves a half-written library under the final name
  } finally {
    rmSync(temp, { force: true });
  }
  return target;
}

async function preload(path: string): Promise<void> {
  const { dlopen, FFIType } = await import("bun:ffi");
  // dlopen wants at least one symbol; vips_version(int) is in every libvips.
  preloaded = dlopen(path, { vips_version: { args: [FFIType.i32], returns: FFIType.i32 } });
}

async function importSharp(): Promise<SharpFn> {
  const mod = (await import("sharp")) as unknown as { default: SharpFn };
  const sharp = mod.default;
  sharp.cache(false); // every image is new: libvips' operation cache would only hold memory
  // A real encode proves the addon and the library work together, not just that they loaded.
  await sharp({ create: { width: 8, height: 8, channels: 3, background: "#808080" } }).webp().toBuffer();
  return sharp;
}

export async function loadNative(opts: LoadOptions): Promise<Loaded> {
  if (opts.enabled === false) return unavailable("turned off by the config key images.enabled = false");
  const compiled = opts.compiled ?? embedded() !== null;
  const lib = opts.libvips !== undefined ? opts.libvips : (embedded()?.libvips ?? null);
  let where = "node_modules";
  if (compiled) {
    if (!lib) return unavailable(`this ${process.platform}-${process.arch} executable was built without the native image library (sharp)`);
    try {
      where = extractLibrary(opts.dataDir, lib);
      await preload(where);
    } catch (err) {
      return unavailable(`cannot load ${lib.name}: ${firstLine(err)}`);
    }
  }
  try {
    const sharp = await importSharp();
    return { support: { available: true, detail: `sharp ${sharp.versions.sharp}, libvips ${sharp.versions.vips} (${where})` }, sharp };
  } catch (err) {
    return unavailable(`sharp does not load on this machine: ${firstLine(err)}`);
  }
}

/** Loads sharp once (later calls get the first call's outcome). Called by serve and doctor. */
export function initImages(opts: { dataDir: string; enabled?: boolean }): Promise<ImageSupport> {
  loading ??= loadNative(opts).then((loaded) => {
    current = loaded.support;
    return loaded;
  });
  return loading.then((l) => l.support);
}

/** Whether images are processed here; before initImages: unavailable, "not initialised". */
export function imageSupport(): ImageSupport {
  return current;
}

/** sharp, or why not. From source a caller (a test) need not call initImages first. */
export async function sharpOrReason(): Promise<{ sharp: SharpFn } | { reason: string }> {
  if (!loading && embedded() === null) void initImages({ dataDir: "." });
  if (!loading) return { reason: current.available ? "not initialised" : current.reason };
  const loaded = await loading;
  return loaded.sharp ? { sharp: loaded.sharp } : { reason: loaded.support.available ? "not loaded" : loaded.support.reason };
}

/** serve: load sharp before the first upload and say in ONE log line whether images are processed here. */
export async function logImageSupport(config: Config, log: Logger): Promise<void> {
  const support = await initImages({ dataDir: config.data.dir, enabled: config.images.enabled });
  if (support.available) log.info(supportLine(support));
  else log.warn(supportLine(support));
}

/** For the start log and doctor: one line. */
export function supportLine(s: ImageSupport): string {
  return s.available ? `images: thumbnails made on the server with ${s.detail}` : `images: no server-made thumbnails (${s.reason}); clients upload their own`;
}
