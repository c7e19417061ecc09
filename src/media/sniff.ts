// A file's type from its first bytes (file-type's magic numbers), never from the name or
// the type the client sent. Text without magic is told apart as SVG, HTML or plain text
// (all three are served only as downloads). Also the policy per upload purpose: what
// kind a type is, and which types a purpose accepts.
import { fileTypeFromBuffer } from "file-type";
import type { MediaKind, UploadPurpose } from "../storage/media-port.ts";

export interface Sniffed {
  mime: string;
  kind: Exclude<MediaKind, "voice">;
}

const PHOTO = new Set(["image/jpeg", "image/png", "image/gif", "image/webp", "image/avif"]);
/** Played by browsers: served inline (with Range) — images only from their stripped copy. */
export const INLINE_MEDIA = new Set([
  "video/mp4", "video/webm", "video/ogg", "video/quicktime",
  "audio/mpeg", "audio/ogg", "audio/opus", "audio/webm", "audio/mp4", "audio/x-m4a", "audio/wav", "audio/x-wav", "audio/flac", "audio/x-flac", "audio/aac",
]);
export const INLINE_IMAGES = PHOTO;

function textType(head: Uint8Array): string {
  if (head.includes(0)) return "application/octet-stream";
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(head.length >= 4 ? trimPartial(head) : head);
  } catch {
    return "application/octet-stream";
  }
  const start = text.replace(/^\uFEFF/, "").trimStart().slice(0, 1024).toLowerCase();
  if (/<svg[\s>]/.test(start) || (start.startsWith("<?xml") && start.includes("<svg"))) return "image/svg+xml";
  if (/^<!doctype html|^<html[\s>]|<head[\s>]|<body[\s>]|<script[\s>]/.test(start)) return "text/html";
  if (start.startsWith("<?xml")) return "application/xml";
  return "text/plain";
}

// The sniffed window may end inside a multi-byte character: drop an incomplete tail.
function trimPartial(b: Uint8Array): Uint8Array {
  for (let back = 1; back <= 3 && back <= b.length; back++) {
    const c = b[b.length - back]!;
    if ((c & 0xc0) === 0xc0) return b.subarray(0, b.length - back); // a lead byte whose sequence is cut
    if ((c & 0xc0) !== 0x80) break;
  }
  return b;
}

export async function sniff(head: Uint8Array): Promise<Sniffed> {
  const found = await fileTypeFromBuffer(head).catch(() => undefined);
  const mime = found?.mime ?? textType(head);
  return { mime, kind: kindOf(mime) };
}

export function kindOf(mime: string): Sniffed["kind"] {
  if (PHOTO.has(mime)) return "photo";
  if (mime.startsWith("video/")) return "video";
  if (mime.startsWith("audio/")) return "audio";
  return "file";
}

const AVATAR_TYPES = new Set(["image/jpeg", "image/png", "image/webp", "image/gif"]);
const POSTER_TYPES = new Set(["image/jpeg", "image/png", "image/webp"]);
// MediaRecorder writes audio-only WebM/MP4, which sniff as video by their container.
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
