// Images through the real sharp: metadata (EXIF GPS) gone, orientation applied, thumbnails
// and placeholder made; bombs, corrupt files and foreign types answered with typed values.
import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import { limits } from "../../limits.ts";
import { processImage, reencodeImage, sniff, thumbWidths } from "./index.ts";
import { createJobQueue } from "./jobs.ts";

const root = mkdtempSync(join(tmpdir(), "hearth-img-test-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let seq = 0;
const freshDir = () => {
  const d = join(root, `case-${++seq}`);
  require("node:fs").mkdirSync(d);
  return d;
};

/** 400x300, left half red, right half blue, EXIF Orientation 6 (display rotated 90° clockwise) and GPS. */
async function orientedJpegWithGps(): Promise<Buffer> {
  const half = { width: 200, height: 300, channels: 3 as const };
  const red = await sharp({ create: { ...half, background: "#ff0000" } }).png().toBuffer();
  const blue = await sharp({ create: { ...half, background: "#0000ff" } }).png().toBuffer();
  return sharp({ create: { width: 400, height: 300, channels: 3, background: "#000" } })
    .composite([{ input: red, left: 0, top: 0 }, { input: blue, left: 200, top: 0 }])
    .jpeg()
    .withMetadata({ orientation: 6 })
    .withExifMerge({ IFD0: { Make: "HearthCam" }, IFD3: { GPSLatitudeRef: "N", GPSLatitude: "52/1 31/1 0/1", GPSLongitudeRef: "E", GPSLongitude: "13/1 24/1 0/1" } })
    .toBuffer();
}

const hasGpsIfd = (exif: Buffer) => exif.includes(Buffer.from([0x88, 0x25])) || exif.includes(Buffer.from([0x25, 0x88])); // tag 0x8825, either byte order

test("a JPEG with GPS EXIF and Orientation 6 comes back rotated, without any metadata, with thumbnails and a thumbhash", async () => {
  const src = join(root, "gps.jpg");
  const bytes = await orientedJpegWithGps();
  writeFileSync(src, bytes);
  const before = await sharp(bytes).metadata();
  expect(before.orientation).toBe(6);
  expect(hasGpsIfd(before.exif!)).toBe(true);
  expect(bytes.includes(Buffer.from("HearthCam"))).toBe(true);

  const out = freshDir();
  const r = await processImage(src, out);
  if (!r.ok) throw new Error(`${r.code}: ${r.detail}`);
  expect([r.width, r.height]).toEqual([300, 400]); // swapped by the orientation
  expect(r.mime).toBe("image/jpeg");
  const after = await sharp(r.stripped).metadata();
  expect([after.width, after.height]).toEqual([300, 400]);
  for (const key of ["exif", "orientation", "xmp", "iptc", "icc", "comments"] as const) expect(after[key]).toBeUndefined();
  const served = await Bun.file(r.stripped).bytes();
  expect(Buffer.from(served).includes(Buffer.from("Exif\0\0"))).toBe(false);
  expect(Buffer.from(served).includes(Buffer.from("HearthCam"))).toBe(false);
  // Visually rotated: the red left half is now on top, the blue right half at the bottom.
  const { data, info } = await sharp(r.stripped).raw().toBuffer({ resolveWithObject: true });
  const pixel = (x: number, y: number) => [...data.subarray((y * info.width + x) * info.channels, (y * info.width + x) * info.channels + 3)];
  const [top, bottom] = [pixel(150, 20), pixel(150, 380)];
  expect(top[0]).toBeGreaterThan(200);
  expect(top[2]).toBeLessThan(60);
  expect(bottom[2]).toBeGreaterThan(200);
  expect(bottom[0]).toBeLessThan(60);

  expect(r.thumbs.map((t) => t.width)).toEqual([...thumbWidths]);
  for (const t of r.thumbs) {
    const m = await sharp(t.path).metadata();
    expect(m.format).toBe("webp");
    expect(Math.max(m.width!, m.height!)).toBe(Math.min(t.width, 400)); // never enlarged
    expect(m.height).toBeGreaterThan(m.width!); // portrait, like the oriented image
    expect(m.exif).toBeUndefined();
  }
  expect(Buffer.from(r.placeholder, "base64").length).toBeGreaterThanOrEqual(5);
  expect(r.animated).toBe(false);
});

test("reencodeImage (posters, preview images): oriented, stripped, fitted, WebP", async () => {
  const r = await reencodeImage(await orientedJpegWithGps(), 100);
  if (!r.ok) throw new Error(`${r.code}: ${r.detail}`);
  expect([r.width, r.height]).toEqual([75, 100]);
  const m = await sharp(r.bytes).metadata();
  expect([m.format, m.width, m.height, m.exif]).toEqual(["webp", 75, 100, undefined]);
  expect(r.placeholder.length).toBeGreaterThan(0);
});

test("sniffing reads magic bytes: a PNG named .exe is a PNG; SVG and HTML are never inline", async () => {
  const png = await sharp({ create: { width: 4, height: 4, channels: 3, background: "#fff" } }).png().toBuffer();
  const exe = join(root, "setup.exe");
  writeFileSync(exe, png);
  expect(await sniff(exe)).toEqual({ mime: "image/png", ext: "png", kind: "photo", inline: true });

  const svg = join(root, "logo.jpg");
  writeFileSync(svg, '<?xml version="1.0"?>\n<!-- drawn by hand -->\n<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
  expect(await sniff(svg)).toEqual({ mime: "image/svg+xml", ext: "svg", kind: "file", inline: false });
  expect(await sniff(new TextEncoder().encode("<!DOCTYPE html><html><script>alert(1)</script></html>"))).toEqual({ mime: "text/html", ext: "html", kind: "file", inline: false });
  expect(await sniff(new TextEncoder().encode("just some notes"))).toEqual({ mime: "application/octet-stream", ext: "bin", kind: "file", inline: false });
  expect((await sniff(join(root, "does-not-exist"))).kind).toBe("file");
  // An SVG is not made into thumbnails either (no rasterising of untrusted SVG).
  expect(await processImage(svg, freshDir())).toMatchObject({ ok: false, code: "unsupported" });
});

function pngChunk(type: string, data: Uint8Array): Uint8Array {
  const body = new Uint8Array([...new TextEncoder().encode(type), ...data]);
  const chunk = new Uint8Array(4 + body.length + 4);
  const dv = new DataView(chunk.buffer);
  dv.setUint32(0, data.length);
  chunk.set(body, 4);
  dv.setUint32(4 + body.length, Bun.hash.crc32(body));
  return chunk;
}

/** A bomb's header: IHDR claiming width x height, the start of a deflated IDAT of zeros, IEND. */
function pngHeader(width: number, height: number): Uint8Array {
  const ihdr = new Uint8Array(13);
  const dv = new DataView(ihdr.buffer);
  dv.setUint32(0, width);
  dv.setUint32(4, height);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  const idat = Bun.deflateSync(new Uint8Array(1 << 20)); // a megabyte of zero rows, a few KB deflated
  return new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...pngChunk("IHDR", ihdr), ...pngChunk("IDAT", idat), ...pngChunk("IEND", new Uint8Array())]);
}

test("a 20,000 x 20,000 PNG header is refused from its header (too_many_pixels), nothing written", async () => {
  const src = join(root, "bomb.png");
  writeFileSync(src, pngHeader(20_000, 20_000));
  const out = freshDir();
  const r = await processImage(src, out);
  expect(r).toMatchObject({ ok: false, code: "too_many_pixels" });
  expect(readdirSync(out)).toEqual([]);
  expect(await reencodeImage(pngHeader(20_000, 20_000), 800)).toMatchObject({ ok: false, code: "too_many_pixels" });
  // A side beyond imageSidePxMax even when the pixel count would pass.
  expect(await reencodeImage(pngHeader(limits.imageSidePxMax + 1, 1), 800)).toMatchObject({ ok: false, code: "too_large" });
});

test("truncated and corrupt JPEGs give a typed failure and leave nothing behind", async () => {
  const good = await sharp({ create: { width: 640, height: 480, channels: 3, background: "#396" } }).jpeg().toBuffer();
  const cases = { truncated: good.subarray(0, Math.floor(good.length / 2)), garbage: Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(2000, 0x5a)]) };
  for (const [name, bytes] of Object.entries(cases)) {
    const src = join(root, `${name}.jpg`);
    writeFileSync(src, bytes);
    const out = freshDir();
    const r = await processImage(src, out);
    expect({ name, ok: r.ok, code: r.ok ? null : r.code }).toEqual({ name, ok: false, code: "corrupt" });
    expect(readdirSync(out)).toEqual([]);
    expect((await reencodeImage(bytes, 320)).ok).toBe(false);
  }
});

async function animatedGif(frames: number, side: number): Promise<Buffer> {
  const colours = ["#f00", "#0f0", "#00f"];
  const pages = await Promise.all(Array.from({ length: frames }, (_, i) => sharp({ create: { width: side, height: side, channels: 3, background: colours[i % 3]! } }).png().toBuffer()));
  return sharp(pages, { join: { animated: true } }).gif().toBuffer();
}

test("an animated GIF keeps its frames in the served copy; thumbnails are its first frame", async () => {
  const src = join(root, "anim.gif");
  writeFileSync(src, await animatedGif(3, 40));
  const r = await processImage(src, freshDir());
  if (!r.ok) throw new Error(`${r.code}: ${r.detail}`);
  expect([r.animated, r.frames, r.width, r.height, r.mime]).toEqual([true, 3, 40, 40, "image/gif"]);
  expect((await sharp(r.stripped).metadata()).pages).toBe(3);
  const thumb = await sharp(r.thumbs[0]!.path).metadata();
  expect([thumb.pages ?? 1, thumb.width, thumb.height]).toEqual([1, 40, 40]);
  const { data } = await sharp(r.thumbs[0]!.path).raw().toBuffer({ resolveWithObject: true });
  expect(data[0]).toBeGreaterThan(200); // red: frame one
});

test("an animation with more frames than imageFramesMax is too_many_frames", async () => {
  const src = join(root, "long.gif");
  writeFileSync(src, await animatedGif(limits.imageFramesMax + 1, 2));
  expect(await processImage(src, freshDir())).toMatchObject({ ok: false, code: "too_many_frames" });
});

test("the job queue runs at most runningMax, queues waitingMax, answers busy beyond", async () => {
  const q = createJobQueue(2, 1);
  const gates: (() => void)[] = [];
  const job = () => new Promise<string>((resolve) => gates.push(() => resolve("done")));
  const running = [q.run(job), q.run(job)];
  const waiting = q.run(job);
  expect(await q.run(job)).toBe("busy");
  expect([q.running, q.waiting, gates.length]).toEqual([2, 1, 2]);
  gates[0]!();
  expect(await running[0]).toBe("done");
  await Bun.sleep(0);
  expect([q.running, q.waiting, gates.length]).toEqual([2, 0, 3]); // the waiting job took the slot
  gates[1]!();
  gates[2]!();
  expect(await Promise.all([running[1], waiting])).toEqual(["done", "done"]);
  expect([q.running, q.waiting]).toEqual([0, 0]);
});
