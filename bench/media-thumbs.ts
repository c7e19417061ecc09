// Thumbnail time per 12-megapixel JPEG: processImage (the metadata-stripped full-size copy,
// thumbnails at every width and the thumbhash) and the thumbnails + thumbhash part alone,
// on a generated photo-like 4000x3000 JPEG (blurred noise, ~q90, a few MB like a phone's).
// `up`'s bench/media.ts calls benchThumbnails(); `bun bench/media-thumbs.ts [runs]` runs it alone.
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { initImages, processImage } from "../src/media/image/index.ts";
import { sharpOrReason } from "../src/media/image/native.ts";
import { thumbnails } from "../src/media/image/process.ts";

export interface ThumbBench {
  megapixels: number;
  jpegBytes: number;
  runs: number;
  msPerImage: number; // processImage: stripped copy + every thumbnail + thumbhash (median)
  msMin: number;
  msMax: number;
  thumbsMsPerImage: number; // thumbnails + thumbhash only (median)
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function benchThumbnails(opts: { runs?: number } = {}): Promise<ThumbBench> {
  const runs = opts.runs ?? 5;
  const support = await initImages({ dataDir: tmpdir() });
  const loaded = await sharpOrReason();
  if (!support.available || "reason" in loaded) throw new Error(`images unavailable: ${"reason" in loaded ? loaded.reason : ""}`);
  const sharp = loaded.sharp;
  const dir = mkdtempSync(join(tmpdir(), "hearth-bench-thumbs-"));
  try {
    const [width, height] = [4000, 3000];
    const src = join(dir, "photo.jpg");
    await sharp({ create: { width, height, channels: 3, background: "#808080", noise: { type: "gaussian", mean: 128, sigma: 40 } } })
      .blur(1.5)
      .jpeg({ quality: 90 })
      .toFile(src);
    await processImage(src, dir); // warm-up: code paths and the page cache
    const full: number[] = [];
    const thumbs: number[] = [];
    for (let i = 0; i < runs; i++) {
      let t = performance.now();
      const r = await processImage(src, dir);
      full.push(performance.now() - t);
      if (!r.ok) throw new Error(`${r.code}: ${r.detail}`);
      t = performance.now();
      await thumbnails(sharp, src, dir, []);
      thumbs.push(performance.now() - t);
    }
    return { megapixels: (width * height) / 1e6, jpegBytes: statSync(src).size, runs, msPerImage: median(full), msMin: Math.min(...full), msMax: Math.max(...full), thumbsMsPerImage: median(thumbs) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.main) {
  const r = await benchThumbnails({ runs: Number(process.argv[2] ?? 5) });
  console.log(`12-megapixel JPEG (${(r.jpegBytes / 1e6).toFixed(1)} MB), ${r.runs} runs, medians:`);
  console.log(`  thumbnail time per 12-megapixel JPEG (all sizes + thumbhash): ${r.thumbsMsPerImage.toFixed(0)} ms`);
  console.log(`  processImage (stripped full-size copy + all sizes + thumbhash): ${r.msPerImage.toFixed(0)} ms (min ${r.msMin.toFixed(0)}, max ${r.msMax.toFixed(0)})`);
}
