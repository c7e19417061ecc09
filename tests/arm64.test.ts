// The Raspberry Pi executable (dist/hearth-linux-arm64) on its own, run under qemu-user
// (Debian's qemu-user-static through binfmt_misc) from an empty directory: it serves the
// web client, and its embedded, cross-compiled mediasoup worker forwards media — RTP
// through a PlainTransport producer and consumer on loopback, counted (`hearth doctor`).
// An arm64 build without the worker FAILS here: setup builds it for tests.
// Figures measured under emulation say nothing about a real Pi's speed.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pkg from "../package.json" with { type: "json" };
import { arm64BinaryPath, arm64BuiltWithWorker, buildArm64Only, isArm64Fresh, libvipsFile } from "../build.ts";
import { startHearth } from "../scripts/run-binary.ts";
import { assertStaticAarch64, ensureAarch64Binfmt } from "../scripts/worker-recipe/cross.ts";

let dir: string;
let exe: string;
// Bun's arm64 runtime links glibc dynamically; qemu finds the arm64 loader and libc here
// (libc6-arm64-cross, part of the cross toolchain). On a Pi the system's own are used.
const env = () => ({ PATH: "/usr/bin:/bin", HOME: dir, QEMU_LD_PREFIX: "/usr/aarch64-linux-gnu" });

beforeAll(async () => {
  await ensureAarch64Binfmt(join(tmpdir(), "hearth-binfmt.log"));
  if (!(await isArm64Fresh())) await buildArm64Only("cached"); // setup built the arm64 worker; never start that build here
  dir = mkdtempSync(join(tmpdir(), "hearth-arm64-"));
  exe = join(dir, "hearth-linux-arm64");
  copyFileSync(arm64BinaryPath, exe);
}, 600_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

test("it is an AArch64 executable with the arm64 worker embedded", () => {
  const header = Bun.spawnSync(["readelf", "-h", exe]).stdout.toString();
  expect(header).toMatch(/Machine:\s+AArch64/);
  expect(arm64BuiltWithWorker()).toBe(true);
});

test("it embeds neither sharp's x86-64 addon nor its libvips (images are processed by clients here)", () => {
  const binary = readFileSync(exe);
  const sample = (path: string) => readFileSync(path).subarray(64 * 1024, 64 * 1024 + 256); // 256 bytes from inside the file
  expect(binary.indexOf(sample(libvipsFile().path))).toBe(-1);
  expect(binary.indexOf(sample(join(import.meta.dir, "..", "node_modules", "@img", "sharp-linux-x64", "lib", "sharp-linux-x64.node")))).toBe(-1);
});

test("version runs under qemu and names the package version", async () => {
  const proc = Bun.spawn([exe, "version"], { cwd: dir, stdout: "pipe", env: env() });
  const out = await new Response(proc.stdout).text();
  expect(await proc.exited).toBe(0);
  expect(out).toContain(`hearth ${pkg.version}`);
}, 60_000);

test("from an empty directory it serves the web client and probes, and stops on SIGTERM", async () => {
  expect(readdirSync(dir)).toEqual(["hearth-linux-arm64"]);
  const { proc, url } = await startHearth([exe], dir, [], env());
  try {
    const page = await fetch(`${url}/`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<div id="root">');
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect((await fetch(`${url}${script}`)).status).toBe(200);
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
  } finally {
    proc.kill("SIGTERM");
  }
  expect(await proc.exited).toBe(0);
}, 120_000);

test("the embedded worker is extracted, is static AArch64, and forwards RTP (doctor)", async () => {
  const proc = Bun.spawn([exe, "doctor", "--port", "0"], { cwd: dir, stdout: "pipe", env: env() });
  const out = await new Response(proc.stdout).text();
  await proc.exited;
  console.log(out.split("\n").find((l) => l.includes("SFU worker")));
  const line = /^ok\s+SFU worker: (\S+): .*router created, (\d+)\/(\d+) RTP packets forwarded/m.exec(out);
  expect(line).not.toBeNull();
  expect(line![2]).toBe(line![3]);
  assertStaticAarch64(join(dir, line![1]!));
  // No native image library in this build: said plainly, a warning (uploads still work).
  expect(out).toContain("warn  image support: this linux-arm64 executable was built without the native image library (sharp); clients upload their own thumbnails\n");
}, 120_000);
