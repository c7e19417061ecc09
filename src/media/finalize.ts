// The last PATCH of an upload: sniff the type from the bytes, refuse what the purpose
// does not take, derive what the server can (process.ts), then move the file and its
// derived files into the blob store by hash and record the media in ONE transaction.
// Order matters for the GC: a blob file exists before its row (adoptFile, under the
// blob's lock), so a row never points at a missing file.
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { limits } from "../limits.ts";
import { reencodeImage } from "./image/index.ts";
import { AppError } from "../errors.ts";
import { newId } from "../ids.ts";
import type { Attachment } from "../protocol/media.ts";
import type { Deps } from "../core/deps.ts";
import { attachmentOf, type BlobRef, type Media, type NewMedia, type Upload, type Variant } from "../storage/media-port.ts";
import { adoptFile, hashFile, removeDir, removeFile } from "./blobs.ts";
import { processFile } from "./process.ts";
import { kindFor, sniff } from "./sniff.ts";
import { mediaState } from "./state.ts";

/** Hashes a file and moves it into the blob store; `then` runs while the blob's lock is held. */
async function adopt<T>(deps: Deps, path: string, then: (blob: BlobRef) => Promise<T>): Promise<T> {
  const { sha256, size } = await hashFile(path);
  const state = mediaState(deps);
  return state.blobLocks.run(sha256, async () => {
    await adoptFile(state.dir, path, sha256);
    return then({ sha256, size });
  });
}

export async function finalizeUpload(deps: Deps, up: Upload): Promise<Attachment> {
  const state = mediaState(deps);
  const part = state.dir.partPath(up.id);
  const sniffed = await sniff(part);
  const kind = kindFor(up.purpose, sniffed);
  if (!kind) {
    await deps.storage.media.deleteUpload(up.id);
    await removeFile(part);
    throw new AppError("media_type_refused", `A ${up.purpose} cannot be of type ${sniffed.mime}`, { mime: sniffed.mime, purpose: up.purpose });
  }
  if (up.purpose === "poster") return finalizePoster(deps, up, sniffed.mime);
  const work = state.dir.workDir(up.id);
  await mkdir(work, { recursive: true });
  try {
    const p = await processFile(part, sniffed, work, deps.config.images.enabled);
    const variants: Omit<Variant, "mediaId">[] = [];
    for (const f of p.files) {
      // derived files are adopted one by one; a crash in between leaves orphans the GC finds
      await adopt(deps, f.path, async (blob) => variants.push({ name: f.name, blob, mime: f.mime, width: f.width, height: f.height }));
    }
    const media = await adopt(deps, part, (blob) => {
      const m: NewMedia = {
        id: newId(deps.now()), ownerId: up.userId, purpose: up.purpose, blob, mime: p.mime ?? sniffed.mime,
        kind: kind === "voice" ? "voice" : (p.kind ?? kind), name: up.name, width: p.width, height: p.height,
        durationMs: p.durationMs ?? up.durationMs, waveform: up.waveform, placeholder: p.placeholder, thumbs: p.thumbs, now: deps.now(), variants,
      };
      return deps.storage.media.finishUpload(up.id, m);
    });
    state.metrics.uploadsFinished.inc({ kind: media.kind });
    return attachmentOf(media);
  } finally {
    await removeDir(work);
  }
}

// A client-made poster is re-encoded by the server when it can (metadata stripped, fit
// inside limits.posterSidePxMax, WebP); without the image pipeline it is kept as sent.
async function finalizePoster(deps: Deps, up: Upload, mime: string): Promise<Attachment> {
  const state = mediaState(deps);
  const part = state.dir.partPath(up.id);
  const r = deps.config.images.enabled
    ? await reencodeImage(new Uint8Array(await Bun.file(part).arrayBuffer()), limits.posterSidePxMax).catch(() => null)
    : null;
  let file = part;
  let poster = { mime, width: null as number | null, height: null as number | null };
  if (r?.ok) {
    file = join(state.dir.workDir(up.id), "poster.webp");
    await Bun.write(file, r.bytes);
    await removeFile(part);
    poster = { mime: r.mime, width: r.width, height: r.height };
  }
  try {
    const media: Media = await adopt(deps, file, (blob) => deps.storage.media.finishPoster(up.id, up.forMediaId!, { name: "poster", blob, ...poster }));
    return attachmentOf(media);
  } finally {
    await removeDir(state.dir.workDir(up.id));
  }
}
