// Upload policy on top of the sniffed type (src/media/image/ sniff: magic bytes only,
// never the name or the client's claim): which types each purpose takes and what kind
// a file gets, and which types are served inline.
import type { Sniffed } from "./image/index.ts";
import type { MediaKind, UploadPurpose } from "../storage/media-port.ts";

export { sniff } from "./image/index.ts";
export type { Sniffed } from "./image/index.ts";

/** Served inline only from their metadata-stripped copy (the image pipeline's `display`). */
export const INLINE_IMAGES = new Set(["image/jpeg", "image/png", "image/gif", "image/webp", "image/avif"]);
/** Played by browsers: served inline (with Range) as uploaded. */
export const INLINE_MEDIA = new Set([
  "video/mp4", "video/x-m4v", "video/webm", "video/ogg",
  "audio/mpeg", "audio/ogg", "audio/opus", "audio/webm", "audio/mp4", "audio/x-m4a", "audio/wav", "audio/flac", "audio/aac",
]);

const AVATAR_TYPES = new Set(["image/jpeg", "image/png", "image/webp", "image/gif"]);
const POSTER_TYPES = new Set(["image/jpeg", "image/png", "image/webp"]);
// MediaRecorder writes audio-only WebM/MP4/Ogg, which sniff as video by their container.
const VOICE_CONTAINERS = new Set(["video/webm", "video/mp4", "video/ogg"]);

/** The kind a file gets for this purpose, or null when the purpose does not take this type. */
export function kindFor(purpose: UploadPurpose, s: Sniffed): MediaKind | null {
  switch (purpose) {
    case "attachment":
      return s.kind;
    case "voice":
      return s.kind === "audio" || VOICE_CONTAINERS.has(s.mime) ? "voice" : null;
    case "avatar":
      return AVATAR_TYPES.has(s.mime) ? "photo" : null;
    case "poster":
      return POSTER_TYPES.has(s.mime) ? "photo" : null;
  }
}
