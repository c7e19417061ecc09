// The type of a file from its first bytes (file-type's magic numbers), never from the
// name or the type a client claims. Only the inline allowlist may be shown by a browser;
// SVG (scripts) and HTML are recognised here so they are named, but never inline.
import { fileTypeFromBlob, fileTypeFromBuffer } from "file-type";
import type { ProbeResult } from "../probe/types.ts";
import type { MediaKind, Sniffed } from "./types.ts";

export const inlineImageMimes: readonly string[] = ["image/jpeg", "image/png", "image/gif", "image/webp", "image/avif"];

const videoMimes = new Set(["video/mp4", "video/x-m4v", "video/quicktime", "video/webm", "video/matroska", "video/ogg", "video/3gpp"]);
const audioMimes = new Set(["audio/mpeg", "audio/mp4", "audio/x-m4a", "audio/ogg", "audio/opus", "audio/wav", "audio/flac", "audio/aac", "audio/webm", "audio/aiff"]);
// What browsers play by themselves: served inline (with Range) rather than as a download.
const playableMimes = new Set(["video/mp4", "video/x-m4v", "video/webm", "video/ogg", "audio/mpeg", "audio/mp4", "audio/x-m4a", "audio/ogg", "audio/opus", "audio/wav", "audio/flac", "audio/aac", "audio/webm"]);

const textSniffBytes = 4096;
const unknown: Sniffed = { mime: "application/octet-stream", ext: "bin", kind: "file", inline: false };

function kindOf(mime: string): MediaKind {
  if (inlineImageMimes.includes(mime)) return "photo";
  if (videoMimes.has(mime)) return "video";
  if (audioMimes.has(mime)) return "audio";
  return "file";
}

// file-type's names for MP4 flavours; browsers and the Content-Type header want the standard one.
const standardMimes: Record<string, string> = { "audio/x-m4a": "audio/mp4", "video/x-m4v": "video/mp4" };

// file-type 22 names Opus in Ogg "audio/ogg; codecs=opus": the kind and the served type
// go by the bare type (a Telegram or WhatsApp voice message is exactly that file).
function classify(found: string, ext: string): Sniffed {
  const bare = found.split(";")[0]!.trim();
  const mime = standardMimes[bare] ?? bare;
  const kind = kindOf(mime);
  return { mime, ext, kind, inline: kind === "photo" || playableMimes.has(mime) };
}

/** SVG and HTML are text: file-type does not name them. Looks at the start only. */
function sniffMarkup(head: Uint8Array): Sniffed | null {
  const text = new TextDecoder("utf-8", { fatal: false })
    .decode(head.subarray(0, textSniffBytes))
    .replace(/^\uFEFF/, "")
    .trimStart()
    .toLowerCase();
  // Skip an XML declaration, comments and a doctype before the first element.
  const start = text.replace(/^(<\?xml[\s\S]*?\?>|<!--[\s\S]*?-->|\s)*/, "");
  if (start.startsWith("<svg") || (start.startsWith("<!doctype svg") && text.includes("<svg"))) {
    return { mime: "image/svg+xml", ext: "svg", kind: "file", inline: false };
  }
  if (/^<(!doctype html|html|head|body|script|iframe)[\s>]/.test(start)) return { mime: "text/html", ext: "html", kind: "file", inline: false };
  return null;
}

async function headOf(input: string | Uint8Array): Promise<Uint8Array> {
  return typeof input === "string" ? new Uint8Array(await Bun.file(input).slice(0, textSniffBytes).arrayBuffer()) : input.subarray(0, textSniffBytes);
}

/** Never throws for content; a missing or unreadable path is reported as unknown. */
export async function sniff(input: string | Uint8Array): Promise<Sniffed> {
  try {
    // Not fileTypeFromFile: it imports strtok3 at run time, which a compiled executable cannot resolve.
    const found = typeof input === "string" ? await fileTypeFromBlob(Bun.file(input)) : await fileTypeFromBuffer(input);
    if (found && !found.mime.endsWith("/xml")) return classify(found.mime, found.ext);
    return sniffMarkup(await headOf(input)) ?? (found ? classify(found.mime, found.ext) : unknown);
  } catch {
    return unknown;
  }
}

/**
 * WebM and MP4 name a video container even when it carries only audio (a voice message
 * from MediaRecorder): after probing, a "video" without a video track is audio.
 */
export function refineKind(sniffed: Sniffed, probe: ProbeResult): Sniffed {
  if (sniffed.kind !== "video" || !probe.ok || probe.video || !probe.audio) return sniffed;
  const mime = sniffed.mime === "video/webm" ? "audio/webm" : sniffed.mime === "video/ogg" ? "audio/ogg" : "audio/mp4";
  return { ...sniffed, mime, kind: "audio", inline: playableMimes.has(mime) };
}
