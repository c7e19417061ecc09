// GET/HEAD /media/:id[/thumb/:w|/poster]. Permission on every request (the uploader,
// readers of a live message carrying it, anyone signed in for pictures): anything else
// is 404, the same as a missing id. Files are data, never pages: nosniff, a CSP that
// allows nothing and sandboxes, and `attachment` for every type outside the inline
// allowlist (SVG and HTML included, always). Images are inline only from their
// metadata-stripped copy. Caching: `private, no-cache` + a strong ETag (the content's
// sha-256), so a browser revalidates (cheap 304) and a removed member's next request fails.
import { AppError } from "../errors.ts";
import { MEDIA_THUMB_WIDTHS } from "../protocol/media.ts";
import type { Deps } from "../core/deps.ts";
import type { Media, Variant } from "../storage/media-port.ts";
import { mediaReader } from "./cookie.ts";
import { contentDisposition } from "./disposition.ts";
import { byteRange } from "./range.ts";
import { INLINE_IMAGES, INLINE_MEDIA } from "./sniff.ts";
import { mediaState } from "./state.ts";

export type Want = { what: "original" } | { what: "thumb"; width: number } | { what: "poster" };

export const MEDIA_CSP = "default-src 'none'; sandbox";
const missing = () => new AppError("not_found", "Media not found");

interface Chosen {
  sha256: string;
  size: number;
  mime: string;
  inline: boolean;
}

function choose(media: Media, variants: Variant[], want: Want): Chosen {
  const v = (name: Variant["name"]) => variants.find((x) => x.name === name);
  const of = (x: Variant, inline: boolean): Chosen => ({ sha256: x.blob.sha256, size: x.blob.size, mime: x.mime, inline });
  if (want.what === "original") {
    const display = v("display");
    if (display) return of(display, INLINE_IMAGES.has(display.mime));
    return { sha256: media.blob.sha256, size: media.blob.size, mime: media.mime, inline: INLINE_MEDIA.has(media.mime) };
  }
  const poster = v("poster");
  if (want.what === "poster") {
    if (!poster) throw missing();
    return of(poster, true);
  }
  if (!(MEDIA_THUMB_WIDTHS as readonly number[]).includes(want.width)) throw missing();
  const thumb = media.thumbs ? v(`thumb${want.width}` as Variant["name"]) : undefined;
  if (thumb) return of(thumb, true);
  if (poster) return of(poster, true);
  throw missing();
}

const typeHeader = (mime: string) => (mime.startsWith("text/") ? `${mime}; charset=utf-8` : mime);

export async function serveMedia(deps: Deps, request: Request, mediaId: string, want: Want): Promise<Response> {
  const reader = await mediaReader(deps, request);
  if (!(await deps.storage.media.mayRead(mediaId, reader.userId))) throw missing();
  const media = await deps.storage.media.media(mediaId);
  if (!media) throw missing();
  const chosen = choose(media, await deps.storage.media.variants(mediaId), want);
  const forceDownload = new URL(request.url).searchParams.get("download") === "1";
  const inline = chosen.inline && !forceDownload;
  const etag = `"${chosen.sha256}"`;
  const headers: Record<string, string> = {
    "content-type": typeHeader(chosen.mime),
    etag,
    "cache-control": "private, no-cache",
    "accept-ranges": "bytes",
    "x-content-type-options": "nosniff",
    "content-security-policy": MEDIA_CSP,
    "cross-origin-resource-policy": "same-origin",
    "content-disposition": contentDisposition(inline ? "inline" : "attachment", want.what === "original" ? media.name : `${want.what}-${media.name}`),
  };
  if (matchesEtag(request.headers.get("if-none-match"), etag)) return new Response(null, { status: 304, headers });
  const file = Bun.file(mediaState(deps).dir.blobPath(chosen.sha256));
  const ifRange = request.headers.get("if-range");
  const range = ifRange !== null && ifRange !== etag ? { kind: "full" as const } : byteRange(request.headers.get("range"), chosen.size);
  if (range.kind === "unsatisfiable") {
    return new Response(null, { status: 416, headers: { ...headers, "content-range": `bytes */${chosen.size}` } });
  }
  const head = request.method === "HEAD";
  if (range.kind === "part") {
    const { start, end } = range;
    headers["content-range"] = `bytes ${start}-${end}/${chosen.size}`;
    headers["content-length"] = String(end - start + 1);
    return new Response(head ? null : file.slice(start, end + 1), { status: 206, headers });
  }
  headers["content-length"] = String(chosen.size);
  return new Response(head ? null : file, { status: 200, headers });
}

function matchesEtag(header: string | null, etag: string): boolean {
  if (!header) return false;
  return header.split(",").some((t) => {
    const tag = t.trim().replace(/^W\//, "");
    return tag === etag || tag === "*";
  });
}
