// The export's files as Hearth media, through the same pipeline as an upload
// (src/media/finalize.ts): the bytes are sniffed (never the name), images go through
// the image pipeline (orientation applied, metadata such as EXIF stripped from the copy
// that is served, thumbnails, a thumbhash), audio and video through the container probes;
// then the file and its derived files move into the blob store by hash. The media ROWS are
// not written here: they go into the import's one transaction. So when the import fails
// after this, the blob files stay without rows, and the media GC removes them as stray
// files after limits.mediaOrphanFileGraceMs (src/media/gc.ts step 4).
// Each blob's lock is taken when its file is adopted and HELD until the import's
// transaction is over (HeldLocks): the GC's orphan step (3) takes the same lock, so content
// that happened to be an orphan blob (say, the same photo from a deleted message) cannot be
// deleted between its adoption here and the commit that refers to it. An existing file's
// mtime is renewed, so the stray-file step (4) sees it as new. (A `hearth import` runs in
// another process, whose locks the server's GC does not see: there only the mtime helps.)
import { mkdir, utimes } from "node:fs/promises";
import { join } from "node:path";
import { newId } from "../ids.ts";
import { adoptFile, hashFile, removeDir, type BlobDir } from "../media/blobs.ts";
import type { KeyedMutex } from "../media/mutex.ts";
import { processFile } from "../media/process.ts";
import { kindFor, sniff } from "../media/sniff.ts";
import { cleanName } from "../media/validate.ts";
import type { BlobRef, NewMedia, Variant } from "../storage/media-port.ts";
import type { Planned } from "./plan.ts";
import type { ZipArchive } from "./zip.ts";

export interface FileEnv {
  dir: BlobDir;
  workRoot: string; // a private folder under the data dir, removed afterwards
  images: boolean; // config images.enabled
  locks: HeldLocks;
  ownerId: string;
  now: () => number;
}

/** Blob locks taken one by one and released together (after the import's transaction). */
export class HeldLocks {
  private held = new Map<string, () => void>();
  constructor(private readonly locks: KeyedMutex) {}

  /** Resolves once `key` is held (at once when this set holds it already). */
  async hold(key: string): Promise<void> {
    if (this.held.has(key)) return;
    await new Promise<void>((acquired) => {
      void this.locks.run(key, () => new Promise<void>((release) => {
        this.held.set(key, release);
        acquired();
      }));
    });
  }

  releaseAll(): void {
    for (const release of this.held.values()) release();
    this.held.clear();
  }
}

async function adopt(env: FileEnv, path: string): Promise<BlobRef> {
  const { sha256, size } = await hashFile(path);
  await env.locks.hold(sha256);
  await adoptFile(env.dir, path, sha256);
  const at = new Date(env.now());
  await utimes(env.dir.blobPath(sha256), at, at).catch(() => {});
  return { sha256, size };
}

/** Stores every planned file; sets each row's mediaIds; returns the media rows to write. */
export async function storeFiles(env: FileEnv, zip: ZipArchive, planned: Planned, onFile?: (done: number, total: number) => void): Promise<NewMedia[]> {
  const out: NewMedia[] = [];
  await mkdir(env.workRoot, { recursive: true, mode: 0o700 });
  try {
    for (const [i, { row, file }] of planned.files.entries()) {
      const media = await storeOne(env, zip, file, join(env.workRoot, String(i)));
      planned.rows[row]!.mediaIds.push(media.id);
      out.push(media);
      onFile?.(i + 1, planned.files.length);
    }
  } finally {
    await removeDir(env.workRoot);
  }
  return out;
}

async function storeOne(env: FileEnv, zip: ZipArchive, file: { path: string; name: string; voice: boolean }, work: string): Promise<NewMedia> {
  await mkdir(work, { recursive: true, mode: 0o700 });
  const original = join(work, "original");
  await Bun.write(original, await zip.read(zip.entries.get(file.path)!));
  const sniffed = await sniff(original);
  const kind = (file.voice ? kindFor("voice", sniffed) : null) ?? kindFor("attachment", sniffed)!;
  const p = await processFile(original, sniffed, work, env.images);
  const variants: Omit<Variant, "mediaId">[] = [];
  for (const f of p.files) variants.push({ name: f.name, blob: await adopt(env, f.path), mime: f.mime, width: f.width, height: f.height });
  const blob = await adopt(env, original);
  return {
    id: newId(env.now()), ownerId: env.ownerId, purpose: kind === "voice" ? "voice" : "attachment", blob, mime: p.mime ?? sniffed.mime,
    kind: kind === "voice" ? "voice" : (p.kind ?? kind), name: cleanName(file.name), width: p.width, height: p.height,
    durationMs: p.durationMs, waveform: null, placeholder: p.placeholder, thumbs: p.thumbs, now: env.now(), variants,
  };
}
