// One call for an uploaded file: its sniffed type, and whichever of image processing or
// container probing applies, with the facts an Attachment carries pulled out.
import { probeAudioVideo } from "../probe/index.ts";
import type { ProbeResult } from "../probe/types.ts";
import { type ImageOptions, processImage } from "./process.ts";
import { refineKind, sniff } from "./sniff.ts";
import type { ImageResult, Sniffed } from "./types.ts";

export interface Described {
  sniffed: Sniffed; // a video container without a video track is already audio here
  width?: number;
  height?: number;
  durationMs?: number;
  image: ImageResult | null; // photos only; ok: false means a file card without thumbnails
  probe: ProbeResult | null; // audio and video only
}

export async function describeMedia(path: string, outDir: string, opts: ImageOptions = {}): Promise<Described> {
  const sniffed = await sniff(path);
  if (sniffed.kind === "photo") {
    const image = await processImage(path, outDir, opts);
    return { sniffed, image, probe: null, ...(image.ok ? { width: image.width, height: image.height } : {}) };
  }
  if (sniffed.kind === "video" || sniffed.kind === "audio") {
    const probe = await probeAudioVideo(path);
    const facts = probe.ok ? { width: probe.width, height: probe.height, durationMs: probe.durationMs } : {};
    const defined = Object.fromEntries(Object.entries(facts).filter(([, v]) => v !== undefined));
    return { sniffed: refineKind(sniffed, probe), image: null, probe, ...defined };
  }
  return { sniffed, image: null, probe: null };
}
