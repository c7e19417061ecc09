// Images: bounds checked from the header first (a decompression bomb is refused before any
// pixel is decoded), then one decode per output: the stripped copy (orientation applied,
// every metadata block dropped — sharp keeps none unless asked), the thumbnails and the
// thumbhash from one downscaled first frame. Runs through the bounded job queue.
import { rmSync } from "node:fs";
import { join } from "node:path";
import type { FormatEnum, Metadata, SharpOptions } from "sharp";
import { rgbaToThumbHash } from "thumbhash";
import { limits } from "../../limits.ts";
import { createJobQueue } from "./jobs.ts";
import { type SharpFn, sharpOrReason } from "./native.ts";
import { sniff } from "./sniff.ts";
import { failure, type ImageFailure, type ImageResult, type ReencodeResult, type Thumb, thumbWidths } from "./types.ts";

const queue = createJobQueue(limits.imageJobsRunningMax, limits.imageJobsWaitingMax);
const timeout = { seconds: Math.ceil(limits.imageJobTimeoutMs / 1000) };
const input: SharpOptions = { limitInputPixels: limits.imageInputPixelsMax, failOn: "warning" };
const thumbQuality = 80;

const formats: Record<string, { format: keyof FormatEnum; ext: string; options: object }> = {
  "image/jpeg": { format: "jpeg", ext: "jpg", options: { quality: 90 } },
  "image/png": { format: "png", ext: "png", options: {} },
  "image/webp": { format: "webp", ext: "webp", options: { quality: 90 } },
  "image/gif": { format: "gif", ext: "gif", options: {} },
  "image/avif": { format: "avif", ext: "avif", options: { quality: 60, effort: 2 } },
};

interface Header {
  width: number; // oriented
  height: number;
  frames: number;
  orient: boolean;
}

function fromError(err: unknown): ImageFailure {
  const message = (err instanceof Error ? err.message : String(err)).split("\n")[0]!;
  if (/pixel limit/i.test(message)) return failure("too_many_pixels", message);
  if (/timeout/i.test(message)) return failure("timeout", message);
  if (/unsupported image format/i.test(message)) return failure("unsupported", message);
  return failure("corrupt", message);
}

/** The bounds, from the header only (fast whatever the claimed size). */
function checkHeader(meta: Metadata): Header | ImageFailure {
  const width = meta.width ?? 0;
  const pageHeight = meta.pageHeight ?? meta.height ?? 0;
  const frames = Math.max(1, meta.pages ?? 1);
  if (width <= 0 || pageHeight <= 0) return failure("corrupt", "the image header has no dimensions");
  if (width > limits.imageSidePxMax || pageHeight > limits.imageSidePxMax) return failure("too_large", `${width}x${pageHeight} has a side above ${limits.imageSidePxMax} px`);
  if (width * pageHeight > limits.imageInputPixelsMax) return failure("too_many_pixels", `${width}x${pageHeight} is above ${limits.imageInputPixelsMax} pixels`);
  if (frames > limits.imageFramesMax) return failure("too_many_frames", `${frames} frames, more than ${limits.imageFramesMax}`);
  if (frames * width * pageHeight > limits.imageAnimationPixelsMax) return failure("too_many_frames", `${frames} frames of ${width}x${pageHeight} are above ${limits.imageAnimationPixelsMax} pixels`);
  const swap = (meta.orientation ?? 1) >= 5;
  return { width: swap ? pageHeight : width, height: swap ? width : pageHeight, frames, orient: (meta.orientation ?? 1) > 1 };
}

async function readHeader(sharp: SharpFn, src: string | Uint8Array): Promise<Header | ImageFailure> {
  try {
    return checkHeader(await sharp(src, { ...input, limitInputPixels: false }).metadata());
  } catch (err) {
    return fromError(err);
  }
}

/** Thumbhash of raw pixels (any size): downscaled to its 100 px bound first. */
async function thumbhashOf(sharp: SharpFn, raw: Buffer, width: number, height: number, channels: 1 | 2 | 3 | 4): Promise<string> {
  const side = limits.imageThumbhashSidePx;
  const small = await sharp(raw, { raw: { width, height, channels } })
    .resize({ width: side, height: side, fit: "inside", withoutEnlargement: true })
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return Buffer.from(rgbaToThumbHash(small.info.width, small.info.height, small.data)).toString("base64");
}

/** Thumbnails and the placeholder from ONE decode of the first frame, downscaled to the largest thumb. */
async function thumbnails(sharp: SharpFn, src: string, outDir: string, written: string[]): Promise<{ thumbs: Thumb[]; placeholder: string }> {
  const largest = Math.max(...thumbWidths);
  const { data, info } = await sharp(src, { ...input, pages: 1 })
    .timeout(timeout)
    .rotate()
    .resize({ width: largest, height: largest, fit: "inside", withoutEnlargement: true })
    .raw()
    .toBuffer({ resolveWithObject: true });
  const raw = { width: info.width, height: info.height, channels: info.channels };
  const thumbs: Thumb[] = [];
  for (const width of thumbWidths) {
    const path = join(outDir, `thumb-${width}.webp`);
    written.push(path);
    await sharp(data, { raw }).resize({ width, height: width, fit: "inside", withoutEnlargement: true }).webp({ quality: thumbQuality }).timeout(timeout).toFile(path);
    thumbs.push({ width, path, mime: "image/webp" });
  }
  return { thumbs, placeholder: await thumbhashOf(sharp, data, info.width, info.height, info.channels) };
}

async function processWith(sharp: SharpFn, src: string, outDir: string): Promise<ImageResult> {
  const sniffed = await sniff(src);
  const format = formats[sniffed.mime];
  if (sniffed.kind !== "photo" || !format) return failure("unsupported", `${sniffed.mime} is not an image made into thumbnails`);
  const header = await readHeader(sharp, src);
  if ("ok" in header) return header;
  const animated = header.frames > 1;
  const written: string[] = [];
  try {
    const stripped = join(outDir, `stripped.${format.ext}`);
    written.push(stripped);
    let pipeline = sharp(src, { ...input, animated }).timeout(timeout);
    if (header.orient && !animated) pipeline = pipeline.rotate();
    await pipeline.toFormat(format.format, format.options).toFile(stripped);
    const { thumbs, placeholder } = await thumbnails(sharp, src, outDir, written);
    return { ok: true, width: header.width, height: header.height, mime: sniffed.mime, stripped, thumbs, placeholder, animated, frames: header.frames };
  } catch (err) {
    for (const path of written) rmSync(path, { force: true });
    return fromError(err);
  }
}

async function withSharp<T>(job: (sharp: SharpFn) => Promise<T | ImageFailure>): Promise<T | ImageFailure> {
  const loaded = await sharpOrReason();
  if ("reason" in loaded) return failure("unavailable", loaded.reason);
  const result = await queue.run(() => job(loaded.sharp));
  return result === "busy" ? failure("busy", `more than ${limits.imageJobsWaitingMax} image jobs are waiting`) : result;
}

/** The stripped copy, every thumbnail width and the placeholder, written into outDir. */
export function processImage(srcPath: string, outDir: string): Promise<ImageResult> {
  return withSharp((sharp) => processWith(sharp, srcPath, outDir));
}

async function reencodeWith(sharp: SharpFn, bytes: Uint8Array, maxW: number): Promise<ReencodeResult> {
  const sniffed = await sniff(bytes);
  if (sniffed.kind !== "photo") return failure("unsupported", `${sniffed.mime} is not an image that is re-encoded`);
  const header = await readHeader(sharp, bytes);
  if ("ok" in header) return header;
  const side = Math.max(1, Math.min(Math.floor(maxW), limits.imageSidePxMax));
  try {
    const { data, info } = await sharp(bytes, { ...input, pages: 1 })
      .timeout(timeout)
      .rotate()
      .resize({ width: side, height: side, fit: "inside", withoutEnlargement: true })
      .raw()
      .toBuffer({ resolveWithObject: true });
    const raw = { width: info.width, height: info.height, channels: info.channels };
    const webp = await sharp(data, { raw }).webp({ quality: thumbQuality }).timeout(timeout).toBuffer();
    const placeholder = await thumbhashOf(sharp, data, info.width, info.height, info.channels);
    return { ok: true, bytes: new Uint8Array(webp), mime: "image/webp", width: info.width, height: info.height, placeholder };
  } catch (err) {
    return fromError(err);
  }
}

/** Posters and link-preview images: oriented, stripped, inside maxW x maxW, WebP. */
export function reencodeImage(bytes: Uint8Array, maxW: number): Promise<ReencodeResult> {
  return withSharp((sharp) => reencodeWith(sharp, bytes, maxW));
}
