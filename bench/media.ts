// `bun run bench media [--mb 1024] [--chunk-mb 8]`: media through the resumable upload
// protocol against a real server process (bun src/main.ts serve, default configuration
// apart from the quotas and rate limits, which would measure themselves):
//  (a) upload throughput in MB/s: POST /api/uploads, then PATCH chunks of --chunk-mb
//      (each streamed to disk and fsync'd before the offset is answered), the last PATCH
//      sniffing and hashing the whole file and moving it into the blob store;
//  (b) server RSS while that --mb upload runs, sampled every 50 ms: it must stay flat
//      (the body is streamed, never buffered whole);
//  (c) thumbnail time per 12-megapixel JPEG: the image pipeline's own bench
//      (bench/media-thumbs.ts), thumbnails + thumbhash alone and the whole processImage.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { startServerProcess } from "../tests/support/harness.ts";
import { authPaths, type AuthTokens } from "../src/protocol/http.ts";
import { mediaPaths } from "../src/protocol/media.ts";
import { benchThumbnails } from "./media-thumbs.ts";

const rssKiB = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))![1]);
const mib = (kib: number) => `${(kib / 1024).toFixed(1)} MiB`;

async function register(url: string): Promise<AuthTokens> {
  const res = await fetch(url + authPaths.register, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username: "bench", password: "correct horse battery staple", deviceName: "bench" }),
  });
  if (!res.ok) throw new Error(`register: ${res.status} ${await res.text()}`);
  return (await res.json()) as AuthTokens;
}

/** Uploads `total` bytes (a random chunk repeated, its first 8 bytes varied) through the protocol. */
async function upload(url: string, token: string, total: number, chunkBytes: number): Promise<{ ms: number; patches: number }> {
  const auth = { authorization: `Bearer ${token}` };
  const created = await fetch(url + mediaPaths.uploads, {
    method: "POST",
    headers: { ...auth, "content-type": "application/json" },
    body: JSON.stringify({ size: total, name: "big.bin", purpose: "attachment" }),
  });
  if (created.status !== 201) throw new Error(`create: ${created.status} ${await created.text()}`);
  const { uploadId, chunkBytesMax } = (await created.json()) as { uploadId: string; chunkBytesMax: number };
  const size = Math.min(chunkBytes, chunkBytesMax);
  const chunk = crypto.getRandomValues(new Uint8Array(Math.min(size, 65_536)));
  const body = new Uint8Array(size);
  for (let i = 0; i < size; i += chunk.length) body.set(chunk.subarray(0, Math.min(chunk.length, size - i)), i);
  const started = performance.now();
  let offset = 0;
  let patches = 0;
  while (offset < total) {
    const n = Math.min(size, total - offset);
    new DataView(body.buffer).setFloat64(0, offset); // no two chunks alike
    const res = await fetch(url + mediaPaths.upload(uploadId), {
      method: "PATCH",
      headers: { ...auth, "content-type": "application/offset+octet-stream", "upload-offset": String(offset) },
      body: body.subarray(0, n),
    });
    patches++;
    if (res.status === 200) break;
    if (res.status !== 204) throw new Error(`patch at ${offset}: ${res.status} ${await res.text()}`);
    offset = Number(res.headers.get("upload-offset"));
  }
  return { ms: performance.now() - started, patches };
}

/** A 12-megapixel JPEG (4000×3000, noisy so it compresses like a photo) uploaded in one PATCH: the completing PATCH's time. */
async function photoThroughServer(url: string, token: string, runs = 3): Promise<void> {
  const sharp = (await import("sharp")).default;
  const [w, h] = [4000, 3000];
  const photo = async () => {
    const raw = new Uint8Array((w / 4) * (h / 4) * 3);
    for (let i = 0; i < raw.length; i += 65_536) raw.set(crypto.getRandomValues(new Uint8Array(Math.min(65_536, raw.length - i))), i);
    return new Uint8Array(await sharp(raw, { raw: { width: w / 4, height: h / 4, channels: 3 } }).resize(w, h).jpeg({ quality: 85 }).toBuffer());
  };
  let jpeg = await photo();
  const auth = { authorization: `Bearer ${token}` };
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    if (i > 0) jpeg = await photo(); // distinct content each run
    const created = await fetch(url + mediaPaths.uploads, { method: "POST", headers: { ...auth, "content-type": "application/json" }, body: JSON.stringify({ size: jpeg.byteLength, name: "12mp.jpg", purpose: "attachment" }) });
    const { uploadId } = (await created.json()) as { uploadId: string };
    const started = performance.now();
    const res = await fetch(url + mediaPaths.upload(uploadId), { method: "PATCH", headers: { ...auth, "content-type": "application/offset+octet-stream", "upload-offset": "0" }, body: jpeg });
    const { media } = (await res.json()) as { media: { thumbs: boolean; width: number } };
    times.push(performance.now() - started);
    if (!media.thumbs) throw new Error("the server made no thumbnails (is sharp available?)");
  }
  const sorted = [...times].sort((a, b) => a - b);
  console.log(`| a 12-MP JPEG (${(jpeg.byteLength / 1e6).toFixed(1)} MB) in one PATCH, until its answer: write + fsync + sniff + hash + stripped copy + 3 thumbnails + thumbhash (median of ${runs}) | ${sorted[Math.floor(runs / 2)]!.toFixed(0)} ms (min ${sorted[0]!.toFixed(0)}, max ${sorted.at(-1)!.toFixed(0)}) |`);
}

export async function benchMedia(argv: string[] = []) {
  const { values } = parseArgs({ args: argv, options: { mb: { type: "string", default: "1024" }, "chunk-mb": { type: "string", default: "8" } } });
  const total = Number(values.mb) * 1024 * 1024;
  const chunkBytes = Number(values["chunk-mb"]) * 1024 * 1024;
  const dir = mkdtempSync(join(tmpdir(), "hearth-bench-media-"));
  const args = ["--set", "accounts.registration=open", "--set", "media.userQuotaBytes=0", "--set", `media.fileBytesMax=${total}`, "--set", "media.uploadsPerMinute=100000"];
  const server = await startServerProcess(dir, { args });
  try {
    const pid = server.proc.pid;
    const { accessToken } = await register(server.url);
    await upload(server.url, accessToken, 16 * 1024 * 1024, chunkBytes); // warm up: JIT, first files
    await Bun.sleep(500);
    const idle = rssKiB(pid);
    let peak = idle;
    const samples: number[] = [];
    const sampler = setInterval(() => {
      const now = rssKiB(pid);
      samples.push(now);
      peak = Math.max(peak, now);
    }, 50);
    const r = await upload(server.url, accessToken, total, chunkBytes);
    clearInterval(sampler);
    const after = rssKiB(pid);
    const mbps = total / 1e6 / (r.ms / 1000);
    console.log(`| upload of ${values.mb} MiB in ${r.patches} PATCHes of ${values["chunk-mb"]} MiB (fsync each) | ${mbps.toFixed(0)} MB/s (${(r.ms / 1000).toFixed(1)} s) |`);
    console.log(`| server RSS before / peak during / after the upload | ${mib(idle)} / ${mib(peak)} / ${mib(after)} (peak − before: ${mib(peak - idle)}) |`);
    const quarter = (q: number) => mib(samples[Math.min(samples.length - 1, Math.floor((samples.length * q) / 4))] ?? idle);
    console.log(`| server RSS at 25 / 50 / 75 / 100 % of the upload time | ${[1, 2, 3, 4].map((q) => quarter(q)).join(" / ")} |`);
    await photoThroughServer(server.url, accessToken);
    const t = await benchThumbnails({});
    console.log(`| thumbnail time per 12-megapixel JPEG (all sizes + thumbhash, median of ${t.runs}) | ${t.thumbsMsPerImage.toFixed(0)} ms |`);
    console.log(`| processImage per 12-megapixel JPEG (stripped full-size copy + thumbnails + thumbhash), ${t.runs} runs | ${t.msPerImage.toFixed(0)} ms (min ${t.msMin.toFixed(0)}, max ${t.msMax.toFixed(0)}) |`);
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.main) await benchMedia(process.argv.slice(2));
