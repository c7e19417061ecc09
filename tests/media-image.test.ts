// Image support as an operator meets it: `hearth serve` says in one log line whether images
// are processed on the server, `hearth doctor` makes a real thumbnail, and with the native
// library unavailable (here: images.enabled = false, the same path as the arm64 build)
// processing answers `unavailable` — the client-thumbnail path — instead of failing.
import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { freePort, hearth, lines } from "./support/cli.ts";
import { startHearth } from "../scripts/run-binary.ts";

const repo = resolve(import.meta.dir, "..");
const dir = mkdtempSync(join(tmpdir(), "hearth-media-image-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const doctorLine = async (data: string, extra: string[] = []) => {
  const r = await hearth(["doctor", "--data", data, "--port", String(freePort()), "--host", "127.0.0.1", "--set", `tls.port=${freePort()}`, ...extra], { timeoutMs: 60_000 });
  return lines(r.stdout).find((l) => l.slice(6).startsWith("image support:")) ?? `(no image support line)\n${r.stdout}\n${r.stderr}`;
};

test("doctor makes a test thumbnail through sharp, or says why images are not processed", async () => {
  expect(await doctorLine(join(dir, "d1"))).toMatch(/^ok {4}image support: sharp 0\.34\.\d+, libvips [\d.]+ \(node_modules\); test image 640x480: 3 thumbnails and a placeholder in \d+ ms$/);
  expect(await doctorLine(join(dir, "d2"), ["--set", "images.enabled=false"])).toBe("warn  image support: turned off by the config key images.enabled = false; clients upload their own thumbnails");
}, 120_000);

async function imageLogLine(extra: string[]): Promise<{ level: string; msg: string }> {
  const data = join(dir, `s${extra.length}`);
  const s = await startHearth([process.execPath, join(repo, "src", "main.ts")], repo, ["--data", data, "--set", "tls.mode=off", "--set", `calls.rtcPort=0`, ...extra]);
  try {
    for (let i = 0; i < 400; i++) {
      const line = s.log.find((l) => l.includes('"msg":"images: '));
      if (line) return JSON.parse(line) as { level: string; msg: string };
      await Bun.sleep(25); // the line follows "listening" by a few milliseconds
    }
    throw new Error(`no images line in the log:\n${s.log.join("\n")}`);
  } finally {
    s.proc.kill("SIGTERM");
    await s.proc.exited;
  }
}

test("serve logs one line about image support at start", async () => {
  expect(await imageLogLine([])).toMatchObject({ level: "info", msg: expect.stringMatching(/^images: thumbnails made on the server with sharp 0\.34\.\d+, libvips /) });
  expect(await imageLogLine(["--set", "images.enabled=false"])).toMatchObject({
    level: "warn",
    msg: "images: no server-made thumbnails (turned off by the config key images.enabled = false); clients upload their own",
  });
}, 60_000);

test("without the native library, processing and re-encoding answer unavailable and nothing is thrown", async () => {
  const script = join(dir, "unavailable.ts");
  const photo = join(dir, "photo.png");
  // A real PNG (1x1), so only the missing library can be the reason.
  writeFileSync(photo, Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==", "base64"));
  writeFileSync(
    script,
    [
      `import { initImages, imageSupport, processImage, reencodeImage } from ${JSON.stringify(join(repo, "src/media/image/index.ts"))};`,
      `await initImages({ dataDir: ${JSON.stringify(dir)}, enabled: false });`,
      `const r = await processImage(${JSON.stringify(photo)}, ${JSON.stringify(dir)});`,
      `const e = await reencodeImage(await Bun.file(${JSON.stringify(photo)}).bytes(), 320);`,
      "console.log(JSON.stringify({ support: imageSupport(), r, e }));",
    ].join("\n"),
  );
  const proc = Bun.spawn([process.execPath, script], { cwd: repo, stdout: "pipe", stderr: "pipe" });
  const [out, err, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  expect({ code, err }).toEqual({ code: 0, err: "" });
  const reason = "turned off by the config key images.enabled = false";
  expect(JSON.parse(out)).toEqual({
    support: { available: false, reason },
    r: { ok: false, code: "unavailable", detail: reason },
    e: { ok: false, code: "unavailable", detail: reason },
  });
}, 30_000);
