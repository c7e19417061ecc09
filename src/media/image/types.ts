// The values the media processing API answers with. Nothing here throws for bad input:
// every failure is one of these codes, and a caller treats any of them as "no thumbnails"
// (the attachment becomes a file card; the message never fails).
export const thumbWidths = [320, 800, 1280] as const; // GET /media/:id/thumb/:w
export type ThumbWidth = (typeof thumbWidths)[number];

export type MediaKind = "photo" | "video" | "audio" | "file";

export interface Sniffed {
  mime: string; // "application/octet-stream" when unknown
  ext: string; // "bin" when unknown
  kind: MediaKind;
  inline: boolean; // may be shown inline by a browser (the allowlist); never true for SVG or HTML
}

export type ImageFailureCode =
  | "unavailable" // no native image library here: clients upload their own thumbnails (purpose "poster")
  | "too_many_pixels" // width x height above limits.imageInputPixelsMax, decided from the header
  | "too_large" // a side above limits.imageSidePxMax
  | "too_many_frames" // an animation with more than limits.imageFramesMax frames
  | "corrupt" // truncated or undecodable
  | "unsupported" // not an image in the inline allowlist
  | "busy" // more than limits.imageJobsWaitingMax jobs waiting
  | "timeout"; // longer than limits.imageJobTimeoutMs

export interface ImageFailure {
  ok: false;
  code: ImageFailureCode;
  detail: string;
}

export interface Thumb {
  width: ThumbWidth;
  path: string;
  mime: "image/webp";
}

export type ImageResult =
  | {
      ok: true;
      width: number; // after orientation
      height: number;
      mime: string; // of `stripped`, the source's own format
      stripped: string; // orientation applied, every metadata block removed
      thumbs: Thumb[]; // one per thumbWidths entry, first frame only, never enlarged
      placeholder: string; // thumbhash, base64
      animated: boolean;
      frames: number;
    }
  | ImageFailure;

export type ReencodeResult =
  | { ok: true; bytes: Uint8Array; mime: "image/webp"; width: number; height: number; placeholder: string }
  | ImageFailure;

export type ImageSupport = { available: true; detail: string } | { available: false; reason: string };

export const failure = (code: ImageFailureCode, detail: string): ImageFailure => ({ ok: false, code, detail });
