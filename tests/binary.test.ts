// The compiled executable on its own: copied into an empty directory (no source tree, no
// node_modules), it must serve the web client and its probes, answer `version`, and stop
// cleanly on SIGTERM, and make thumbnails through the embedded sharp (addon + libvips written
// to data/lib). Reuses dist/hearth-linux-x64 when build.ts's input hash matches.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { createHash } from "node:crypto";
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pkg from "../package.json" with { type: "json" };
import { binaryPath, build, builtWithWorker, isFresh, libvipsFile } from "../build.ts";
import { startBinary, startHearth } from "../scripts/run-binary.ts";

let dir: string;
let exe: string;
let workerEmbedded = false;

beforeAll(async () => {
  if (!(await isFresh())) await build({ worker: "cached" }); // setup built the worker; never start a build here
  workerEmbedded = builtWithWorker();
  dir = mkdtempSync(join(tmpdir(), "hearth-bin-"));
  exe = join(dir, "hearth-linux-x64");
  copyFileSync(binaryPath, exe);
}, 600_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

test("version names the package version", async () => {
  const proc = Bun.spawn([exe, "version"], { cwd: dir, stdout: "pipe", env: { PATH: "/usr/bin:/bin" } });
  const out = await new Response(proc.stdout).text();
  expect(await proc.exited).toBe(0);
  expect(out).toContain(`hearth ${pkg.version}`);
});

test("from an empty directory it serves the web client and probes, and stops on SIGTERM", async () => {
  expect(readdirSync(dir)).toEqual(["hearth-linux-x64"]);
  const { proc, url } = await startBinary(exe, dir);
  try {
    const page = await fetch(`${url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toContain("text/html");
    const html = await page.text();
    expect(html).toContain('<div id="root">');
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    const js = await fetch(`${url}${script}`);
    expect(js.status).toBe(200);
    expect(js.headers.get("cache-control")).toContain("immutable");
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    expect((await fetch(`${url}/chats/some-client-route`)).headers.get("content-type")).toContain("text/html");
    expect(readdirSync(dir).sort()).toEqual(["data", "hearth-linux-x64"]); // data lands in ./data
  } finally {
    proc.kill("SIGTERM");
  }
  expect(await proc.exited).toBe(0);
}, 60_000);

test("the embedded mediasoup worker is extracted, runs and forwards RTP (doctor)", async () => {
  // setup builds the worker before the tests: an x86-64 executable without it has no calls,
  // so a build without it is a failure here, never a skip.
  if (!workerEmbedded) {
    throw new Error("dist/hearth-linux-x64 was built WITHOUT the mediasoup worker (its build stamp says worker=none, or the cached worker is missing): an x86-64 executable must embed it, or it has no calls. Run `bun run setup` (it builds the worker once), then run this test again.");
  }
  const proc = Bun.spawn([exe, "doctor", "--port", "0"], { cwd: dir, stdout: "pipe", env: { PATH: "/usr/bin:/bin", HOME: dir } });
  const out = await new Response(proc.stdout).text();
  await proc.exited;
  const line = /^ok\s+SFU worker: .*mediasoup 3\.\d+\.\d+ worker .* router created, (\d+)\/(\d+) RTP packets forwarded/m.exec(out);
  expect(line).not.toBeNull();
  expect(line![1]).toBe(line![2]);
}, 60_000);

test("the embedded sharp makes thumbnails: libvips written to data/lib, checked and restored when damaged (doctor)", async () => {
  const doctor = async () => {
    const proc = Bun.spawn([exe, "doctor", "--port", "0"], { cwd: dir, stdout: "pipe", env: { PATH: "/usr/bin:/bin", HOME: dir } });
    const out = await new Response(proc.stdout).text();
    await proc.exited;
    return out.split("\n").find((l) => l.includes("image support")) ?? out;
  };
  const lib = libvipsFile();
  const line = new RegExp(`^ok {4}image support: sharp 0\\.34\\.\\d+, libvips [\\d.]+ \\(data/lib/${lib.name.replaceAll(".", "\\.")}\\); test image 640x480: 3 thumbnails and a placeholder in \\d+ ms$`);
  expect(await doctor()).toMatch(line);
  const path = join(dir, "data", "lib", lib.name);
  const sha = () => createHash("sha256").update(readFileSync(path)).digest("hex");
  expect(sha()).toBe(lib.sha256);
  writeFileSync(path, "damaged");
  expect(await doctor()).toMatch(line);
  expect(sha()).toBe(lib.sha256);
}, 60_000);

test("serve says in one log line that images are processed on the server", async () => {
  const { proc, log } = await startBinary(exe, dir);
  try {
    for (let i = 0; i < 400 && !log.some((l) => l.includes('"msg":"images: ')); i++) await Bun.sleep(25);
    const line = JSON.parse(log.find((l) => l.includes('"msg":"images: ')) ?? "{}") as { level?: string; msg?: string };
    expect(line.level).toBe("info");
    expect(line.msg).toMatch(/^images: thumbnails made on the server with sharp 0\.34\.\d+, libvips [\d.]+ \(data\/lib\/libvips-cpp\.so\.[\d.]+\)$/);
  } finally {
    proc.kill("SIGTERM");
  }
  expect(await proc.exited).toBe(0);
}, 60_000);

// Root only (a tmpfs mount): a native load failure inside the executable is a warning and a
// log line, never a crash — here Bun cannot map sharp's addon from a noexec TMPDIR.
const root = process.getuid?.() === 0;
test.skipIf(!root)("sharp's addon refused by a noexec TMPDIR: doctor warns, serve logs why and still serves", async () => {
  const work = mkdtempSync(join(tmpdir(), "hearth-bin-noexec-"));
  const tmp = join(work, "tmp");
  mkdirSync(tmp);
  const mounted = Bun.spawnSync(["mount", "-t", "tmpfs", "-o", "noexec,size=16m", "tmpfs", tmp]).exitCode === 0;
  try {
    expect(mounted).toBe(true);
    const local = join(work, "hearth-linux-x64");
    copyFileSync(exe, local);
    const env = { PATH: "/usr/bin:/bin", HOME: work, TMPDIR: tmp };
    const proc = Bun.spawn([local, "doctor", "--port", "0"], { cwd: work, stdout: "pipe", env });
    const out = await new Response(proc.stdout).text();
    await proc.exited;
    expect(out).toMatch(/^warn {2}image support: sharp does not load on this machine: .*failed to map segment.*; clients upload their own thumbnails$/m);
    const { proc: server, url, log } = await startHearth([local], work, [], env);
    try {
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
      for (let i = 0; i < 400 && !log.some((l) => l.includes('"msg":"images: ')); i++) await Bun.sleep(25);
      const line = JSON.parse(log.find((l) => l.includes('"msg":"images: ')) ?? "{}") as { level?: string; msg?: string };
      expect(line.level).toBe("warn");
      expect(line.msg).toMatch(/^images: no server-made thumbnails \(sharp does not load on this machine: .*failed to map segment.*\); clients upload their own$/);
    } finally {
      server.kill("SIGTERM");
      expect(await server.exited).toBe(0);
    }
  } finally {
    if (mounted) Bun.spawnSync(["umount", tmp]);
    rmSync(work, { recursive: true, force: true });
  }
}, 60_000);

test("uploads through the executable: a JPEG with GPS comes back stripped, with thumbnails; a file's type is sniffed", async () => {
  const sharp = (await import("sharp")).default;
  const { uploadBytes } = await import("./support/media.ts");
  const { mediaPaths } = await import("../src/protocol/media.ts");
  const { proc, url } = await startBinary(exe, dir, ["--set", "accounts.registration=open"]);
  try {
    const reg = await fetch(`${url}/api/auth/register`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: "binmedia", password: "correct horse battery staple", deviceName: "t" }),
    });
    const { accessToken } = (await reg.json()) as { accessToken: string };
    const jpeg = await sharp({ create: { width: 64, height: 48, channels: 3, background: "#808000" } })
      .jpeg()
      .withExifMerge({ IFD3: { GPSLatitudeRef: "N", GPSLatitude: "52/1 31/1 0/1" } })
      .toBuffer();
    const photo = await uploadBytes(url, accessToken, new Uint8Array(jpeg), { name: "photo.bin" });
    expect(photo).toMatchObject({ kind: "photo", mime: "image/jpeg", width: 64, height: 48, thumbs: true });
    const back = Buffer.from(await (await fetch(url + mediaPaths.original(photo.id), { headers: { authorization: `Bearer ${accessToken}` } })).arrayBuffer());
    expect((await sharp(back).metadata()).exif).toBeUndefined();
    const thumb = await fetch(url + mediaPaths.thumb(photo.id, 320), { headers: { authorization: `Bearer ${accessToken}` } });
    expect([thumb.status, thumb.headers.get("content-type")]).toEqual([200, "image/webp"]);
    const svg = await uploadBytes(url, accessToken, new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"/>'), { name: "x.png" });
    expect(svg.mime).toBe("image/svg+xml");
  } finally {
    proc.kill("SIGTERM");
  }
  expect(await proc.exited).toBe(0);
}, 60_000);
