// What the server derives from a finished file: dimensions, duration, placeholder, and
// derived files (the metadata-stripped copy served as the original, thumbnails, a video
// poster). The image pipeline (src/media/image/, branch img) plugs in here; without it
// nothing is derived and the client's own poster/thumbnail is the picture to show.
import type { MediaKind, VariantName } from "../storage/media-port.ts";
import type { Sniffed } from "./sniff.ts";

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

/** Never throws for bad input: a file that cannot be processed gets nothing derived (a file card). */
export async function processFile(_path: string, _sniffed: Sniffed, _workDir: string): Promise<Processed> {
  return NOTHING_DERIVED;
}
