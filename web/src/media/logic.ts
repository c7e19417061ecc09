// Plain logic behind the media screens (unit-tested in logic.test.ts): which files fit an
// album, how big a file is in words, which URL shows an attachment at a size, the album
// grid, the first link of a text, and the lightbox's zoom and swipe rules.
import type { Attachment } from "./types.ts";

/** At most this many files in one message (the server's messageAttachmentsMax). */
export const albumMax = 10;

/** Adds picked files up to albumMax; what did not fit is counted, never silently lost. */
export function addUpTo<T>(current: readonly T[], incoming: readonly T[], max = albumMax): { list: T[]; refused: number } {
  const room = Math.max(0, max - current.length);
  return { list: [...current, ...incoming.slice(0, room)], refused: Math.max(0, incoming.length - room) };
}

export function fileSize(bytes: number, locale = "en-GB"): string {
  const units = ["B", "KB", "MB", "GB", "TB"];
  let n = bytes;
  let u = 0;
  while (n >= 1000 && u < units.length - 1) {
    n /= 1000;
    u++;
  }
  const digits = u === 0 || n >= 100 ? 0 : 1;
  return `${new Intl.NumberFormat(locale, { maximumFractionDigits: digits }).format(n)} ${units[u]}`;
}

export const thumbWidths = [320, 800, 1280] as const;

/** The smallest server thumbnail at least `cssPx × dpr` wide. */
export function thumbWidthFor(cssPx: number, dpr = 1): (typeof thumbWidths)[number] {
  const want = cssPx * dpr;
  return thumbWidths.find((w) => w >= want) ?? 1280;
}

const enc = encodeURIComponent;
export const mediaUrl = {
  original: (id: string) => `/media/${enc(id)}`,
  download: (id: string) => `/media/${enc(id)}?download=1`,
  thumb: (id: string, w: number) => `/media/${enc(id)}/thumb/${w}`,
  poster: (id: string) => `/media/${enc(id)}/poster`,
};

/** The picture of a photo or video at a width, or null when there is none to show (a file card then). */
export function pictureUrl(a: Pick<Attachment, "id" | "kind" | "thumbs" | "poster">, width: number): string | null {
  if (a.kind === "photo") return a.thumbs || a.poster ? mediaUrl.thumb(a.id, width) : mediaUrl.original(a.id);
  if (a.kind === "video") return a.thumbs ? mediaUrl.thumb(a.id, width) : a.poster ? mediaUrl.poster(a.id) : null;
  return null;
}

export const isVisual = (a: Pick<Attachment, "kind">) => a.kind === "photo" || a.kind === "video";

/** Width / height of an attachment for its box, kept between tall and wide bounds. */
export function aspect(a: Pick<Attachment, "width" | "height">, min = 0.5, max = 2): number {
  const r = a.width && a.height ? a.width / a.height : 4 / 3;
  return Math.min(max, Math.max(min, r));
}

/** Album rows (how many tiles each row holds), for 1 to albumMax tiles: the first row is the widest. */
const rowsTable: Record<number, number[]> = { 1: [1], 2: [2], 3: [1, 2], 4: [2, 2], 5: [2, 3], 6: [3, 3], 7: [1, 3, 3], 8: [2, 3, 3], 9: [3, 3, 3], 10: [2, 2, 3, 3] };
export function albumRows(n: number): number[] {
  if (n <= 0) return [];
  return rowsTable[Math.min(n, albumMax)] ?? [];
}

// a URL as people type it: http(s) up to whitespace, without trailing punctuation
const urlRe = /\bhttps?:\/\/[^\s<>"]+/i;
/** The first http(s) link of a text (what a link preview is asked for), or null. */
export function firstUrl(text: string): string | null {
  const m = urlRe.exec(text);
  if (!m) return null;
  let url = m[0].replace(/[.,;:!?'»”’]+$/u, "");
  // a closing bracket that was not opened inside the URL belongs to the text
  while (/[)\]]$/.test(url) && (url.match(/[([]/g)?.length ?? 0) < (url.match(/[)\]]/g)?.length ?? 0)) url = url.slice(0, -1);
  try {
    return new URL(url).protocol.startsWith("http") ? url : null;
  } catch {
    return null;
  }
}

export const zoomMax = 4;

/** Pinch: the new scale from the distance between two fingers now and at the start. */
export function pinchScale(startScale: number, startDist: number, dist: number): number {
  if (startDist <= 0) return startScale;
  return Math.min(zoomMax, Math.max(1, startScale * (dist / startDist)));
}

/** Double tap (or double click): zoom in to 2.5× around the point, or back to fit. */
export const doubleTapScale = (scale: number) => (scale > 1 ? 1 : 2.5);

/** A horizontal swipe at fit size: -1 = next, +1 = previous, 0 = none (too short or mostly vertical). */
export function swipeStep(dx: number, dy: number, width: number): -1 | 0 | 1 {
  if (Math.abs(dx) < Math.max(40, width * 0.15) || Math.abs(dy) > Math.abs(dx)) return 0;
  return dx < 0 ? -1 : 1;
}

export const clampIndex = (i: number, n: number) => Math.min(n - 1, Math.max(0, i));

export type MediaTabName = "photos" | "videos" | "files" | "links" | "voice";
export interface MediaEntry { messageId: string; seq: number; at: number; a?: Attachment; url?: string; title?: string }

const allUrls = /\bhttps?:\/\/[^\s<>"]+/gi;

/** The chat info's media tab from messages (newest first): attachments by kind, and links
 * (a message's preview, else the links in its text), each link once. */
export function gatherMedia(messages: readonly { id: string; seq: number; createdAt: number; text: string; deletedAt: number | null; attachments?: Attachment[]; preview?: { url: string; title?: string } }[]): Record<MediaTabName, MediaEntry[]> {
  const out: Record<MediaTabName, MediaEntry[]> = { photos: [], videos: [], files: [], links: [], voice: [] };
  const seen = new Set<string>();
  const sorted = [...messages].sort((a, b) => b.seq - a.seq);
  for (const m of sorted) {
    if (m.deletedAt !== null) continue;
    for (const a of m.attachments ?? []) {
      const tab: MediaTabName = a.kind === "photo" ? "photos" : a.kind === "video" ? "videos" : a.kind === "voice" ? "voice" : "files";
      out[tab].push({ messageId: m.id, seq: m.seq, at: m.createdAt, a });
    }
    const urls = m.preview ? [m.preview.url] : [...m.text.matchAll(allUrls)].map((x) => firstUrl(x[0])).filter((u): u is string => !!u);
    for (const url of urls) {
      if (seen.has(url)) continue;
      seen.add(url);
      out.links.push({ messageId: m.id, seq: m.seq, at: m.createdAt, url, title: m.preview?.url === url ? m.preview.title : undefined });
    }
  }
  return out;
}
