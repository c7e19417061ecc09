// What the server derives from a finished file, through the image pipeline
// (src/media/image/, sharp) and the container probes (src/media/probe/): images get their
// dimensions after orientation, a metadata-stripped copy (served as the original),
// thumbnails for every width and a thumbhash; audio and video their duration (and video
// its dimensions), and an audio-only WebM/MP4 becomes audio. Anything that fails —
// no native library, a decompression bomb, a corrupt file, a busy queue — derives nothing:
// the attachment is then a file card, never a failed upload.
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { probeAudioVideo, processImage, refineKind, type Sniffed } from "./image/index.ts";
import type { MediaKind, VariantName } from "../storage/media-port.ts";

export interface DerivedFile {
  name: VariantName;
  path: string; // in the work dir; moved into the blob store by the caller
  mime: string;
  width: number | null;
  height: number | null;
}

export interface Processed {
  width: number | null;
  height: number | null;
  durationMs: number | null;
  placeholder: string | null;
  thumbs: boolean; // every thumbnail width is among `files`
  files: DerivedFile[];
  mime?: string; // a more exact type found by probing (audio-only WebM → audio/webm)
  kind?: Exclude<MediaKind, "voice">;
}

export const NOTHING_DERIVED: Processed = { width: null, height: null, durationMs: null, placeholder: null, thumbs: false, files: [] };

async function image(path: string, workDir: string): Promise<Processed> {
  const out = join(workDir, "image");
  await mkdir(out, { recursive: true });
  const r = await processImage(path, out);
  if (!r.ok) return NOTHING_DERIVED;
  const files: DerivedFile[] = [{ name: "display", path: r.stripped, mime: r.mime, width: r.width, height: r.height }];
  for (const t of r.thumbs) files.push({ name: `thumb${t.width}` as VariantName, path: t.path, mime: t.mime, width: null, height: null });
  return { width: r.width, height: r.height, durationMs: null, placeholder: r.placeholder, thumbs: true, files };
}

async function audioVideo(path: string, sniffed: Sniffed): Promise<Processed> {
  const probe = await probeAudioVideo(path);
  if (!probe.ok) return NOTHING_DERIVED;
  const refined = refineKind(sniffed, probe);
  return {
    ...NOTHING_DERIVED,
    width: probe.width ?? null,
    height: probe.height ?? null,
    durationMs: probe.durationMs !== undefined ? Math.round(probe.durationMs) : null,
    mime: refined.mime,
    kind: refined.kind,
  };
}

/** Never throws for bad input. `images`: config images.enabled (false: clients make the pictures). */
export async function processFile(path: string, sniffed: Sniffed, workDir: string, images: boolean): Promise<Processed> {
  try {
    if (sniffed.kind === "photo") return images ? await image(path, workDir) : NOTHING_DERIVED;
    if (sniffed.kind === "video" || sniffed.kind === "audio") return await audioVideo(path, sniffed);
  } catch {
    // the pipeline promises values, not exceptions; a bug there must not fail the upload
  }
  return NOTHING_DERIVED;
}
