// The linux-arm64 worker, cross-compiled on the x86-64 build machine with Debian's
// aarch64 cross toolchain against a private arm64 sysroot (sysroot.ts). Cross-compiling
// was chosen over a native build under qemu-user: it runs at native speed (minutes, not
// the hours an emulated C++ build takes on 2 cores), uses only Debian packages, and
// gives the same bytes for the same recipe. The same patched source, srtp options and
// static link as the x86-64 worker; qemu-user only RUNS the result, for the smoke test.
import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { FatalError } from "../../src/errors.ts";
import type { WorkerCacheEntry } from "./key.ts";
import { fileSha256 } from "./publish.ts";
import { capture, run, type RunOpts } from "./run.ts";
import { srtpMesonOptions } from "./srtp.ts";
import { workerMesonOptions } from "./worker.ts";

export const crossTriple = "aarch64-linux-gnu";
const multiarchLib = `lib/${crossTriple}`;

/** Debian packages of the cross toolchain and the emulator; their versions key the arm64 build. */
export const crossPackages = ["g++-aarch64-linux-gnu", "gcc-12-aarch64-linux-gnu", "libc6-dev-arm64-cross", "libstdc++-12-dev-arm64-cross", "binutils-aarch64-linux-gnu"] as const;
export const crossToolPackages = [...crossPackages, "qemu-user-static", "dpkg-dev"] as const;

const quote = (s: string) => `'${s.replaceAll("\\", "\\\\").replaceAll("'", "\\'")}'`;
const list = (items: string[]) => `[${items.map(quote).join(", ")}]`;

/** A meson cross file: the aarch64 toolchain, and pkg-config and headers from the sysroot only. */
export function crossFile(sysroot: string): string {
  const includes = ["-isystem", join(sysroot, "usr/include", crossTriple), "-isystem", join(sysroot, "usr/include")];
  return [
    "[binaries]",
    `c = ${quote(`${crossTriple}-gcc`)}`,
    `cpp = ${quote(`${crossTriple}-g++`)}`,
    `ar = ${quote(`${crossTriple}-ar`)}`,
    `strip = ${quote(`${crossTriple}-strip`)}`,
    // Meson 1.0 (Debian 12) reads `pkgconfig`; 1.3+ renamed it `pkg-config`.
    "pkgconfig = 'pkg-config'",
    // flatc generates C++ sources, so the build machine's own (x86-64) one is right.
    "flatc = '/usr/bin/flatc'",
    "",
    "[properties]",
    `sys_root = ${quote(sysroot)}`,
    `pkg_config_libdir = ${list([join(sysroot, "usr", multiarchLib, "pkgconfig"), join(sysroot, "usr/share/pkgconfig")])}`,
    "",
    "[built-in options]",
    `c_args = ${list(includes)}`,
    `cpp_args = ${list(includes)}`,
    "",
    "[host_machine]",
    "system = 'linux'",
    "cpu_family = 'aarch64'",
    "cpu = 'aarch64'",
    "endian = 'little'",
    "",
  ].join("\n");
}

export function writeCrossFile(workDir: string, sysroot: string): string {
  const path = join(workDir, "arm64-cross.ini");
  writeFileSync(path, crossFile(sysroot));
  return path;
}

/** The x86-64 worker's options, with the sysroot's library dir added to the static link. */
export function crossWorkerOptions(sysroot: string): string[] {
  const libDir = join(sysroot, "usr", multiarchLib);
  return workerMesonOptions.map((o) => (/^-D(c|cpp)_link_args=-static$/.test(o) ? `${o} -L${libDir}` : o));
}

/** libsrtp2 (static, OpenSSL crypto) installed INTO the sysroot, so pkg-config finds it there. */
export async function buildSrtpCross(srcDir: string, crossPath: string, sysroot: string, logPath: string): Promise<void> {
  await run(["meson", "setup", "build-arm64", `--cross-file=${crossPath}`, "--prefix=/usr", `--libdir=${multiarchLib}`, ...srtpMesonOptions], { cwd: srcDir, logPath });
  await run(["ninja", "-C", "build-arm64", "install"], { cwd: srcDir, logPath, env: { DESTDIR: sysroot } });
}

export async function configureCross(workerDir: string, crossPath: string, sysroot: string, logPath: string): Promise<void> {
  await run(["meson", "setup", "build", `--cross-file=${crossPath}`, ...crossWorkerOptions(sysroot)], { cwd: workerDir, logPath });
}

export async function compileCross(workerDir: string, opts: Pick<RunOpts, "logPath" | "onProgress">): Promise<string> {
  await run(["ninja", "-C", "build", "fbs/FBS"], { cwd: workerDir, ...opts });
  await run(["ninja", "-C", "build", "mediasoup-worker"], { cwd: workerDir, ...opts });
  return join(workerDir, "build", "mediasoup-worker");
}

/** An aarch64 ELF executable with no interpreter and no dynamic section: runs on any arm64 Linux. */
export function assertStaticAarch64(binary: string): void {
  const header = capture(["readelf", "-h", binary]).out;
  if (!/Machine:\s+AArch64/.test(header)) throw new FatalError(`${binary} is not an AArch64 executable: ${/Machine:.*$/m.exec(header)?.[0] ?? header.slice(0, 200)}`);
  const segments = capture(["readelf", "-l", binary]).out;
  if (/\bINTERP\b/.test(segments)) throw new FatalError(`${binary} asks for a dynamic loader (INTERP segment): not fully static`);
  const dynamic = capture(["readelf", "-d", binary]).out;
  if (!/There is no dynamic section/.test(dynamic)) throw new FatalError(`${binary} has a dynamic section: not fully static`);
}

const binfmtDir = "/proc/sys/fs/binfmt_misc";
const binfmtEntry = join(binfmtDir, "qemu-aarch64");
const binfmtConf = "/usr/lib/binfmt.d/qemu-aarch64.conf";

/**
 * The smoke test spawns the arm64 worker from an x86-64 process (mediasoup does the
 * spawning), so the kernel must hand aarch64 executables to qemu: binfmt_misc, as
 * Debian's qemu-user-static registers it under systemd. Outside systemd we register it.
 */
export async function ensureAarch64Binfmt(logPath: string): Promise<void> {
  if (existsSync(binfmtEntry)) return;
  if (process.getuid?.() !== 0) throw new FatalError(`aarch64 programs cannot run here: register qemu-user-static with binfmt_misc (as root: cat ${binfmtConf} > ${binfmtDir}/register)`);
  if (!existsSync(join(binfmtDir, "register"))) await run(["mount", "-t", "binfmt_misc", "binfmt_misc", binfmtDir], { logPath });
  if (!existsSync(binfmtConf)) throw new FatalError(`${binfmtConf} is missing: install qemu-user-static`);
  writeFileSync(join(binfmtDir, "register"), readFileSync(binfmtConf, "utf8").trim());
  if (!existsSync(binfmtEntry)) throw new FatalError("registering qemu-aarch64 with binfmt_misc did not take effect");
}

/**
 * publish.ts for the arm64 binary: the cross strip, the ELF checks above instead of ldd
 * (which cannot read a foreign executable), and the same smoke run, through qemu.
 * Kept apart from publish.ts because that file is part of the x86-64 recipe hash.
 */
export async function publishCross(built: string, entry: WorkerCacheEntry, sysrootPackages: string[], logPath: string): Promise<{ path: string; sha256: string }> {
  const parent = dirname(entry.dir);
  mkdirSync(parent, { recursive: true });
  const staging = join(parent, `.staging-${entry.key}-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging);
  try {
    const binary = join(staging, "mediasoup-worker");
    copyFileSync(built, binary);
    await run([`${crossTriple}-strip`, binary], { logPath });
    assertStaticAarch64(binary);
    await ensureAarch64Binfmt(logPath);
    await run([process.execPath, join(import.meta.dir, "smoke.ts"), binary], { logPath });
    const sha256 = fileSha256(binary);
    writeFileSync(`${binary}.sha256`, `${sha256}  mediasoup-worker\n`);
    // Which arm64 libraries went in: the archive moves on, so this is the only record.
    writeFileSync(join(staging, "sysroot-packages.txt"), `${sysrootPackages.join("\n")}\n`);
    rmSync(entry.dir, { recursive: true, force: true });
    renameSync(staging, entry.dir);
    return { path: entry.binary, sha256 };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}
