// Media files on disk, under <data dir>/media/:
//   <ab>/<cdef…>        a blob: content named by its sha-256 (hex), written once, never changed
//   uploads/<id>.part   an unfinished upload, appended chunk by chunk
//   work/<id>/          scratch space of one finalize (image processing output)
// Rows saying which blobs exist live in storage (media-port.ts). A blob file is made
// BEFORE its row and removed AFTER it, so a row always has its file; a file without a row
// (a crash in between) is found by the GC's disk scan and removed after a grace period.
import { createReadStream, mkdirSync } from "node:fs";
import { mkdir, open, readdir, rename, rm, stat, unlink } from "node:fs/promises";
import { join } from "node:path";

const SHA = /^[0-9a-f]{64}$/;

export interface BlobDir {
  root: string;
  blobPath(sha256: string): string;
  partPath(uploadId: string): string;
  workDir(id: string): string;
}

export function blobDir(dataDir: string): BlobDir {
  const root = join(dataDir, "media");
  mkdirSync(join(root, "uploads"), { recursive: true, mode: 0o700 });
  mkdirSync(join(root, "work"), { recursive: true, mode: 0o700 });
  return {
    root,
    blobPath(sha) {
      if (!SHA.test(sha)) throw new Error(`BUG: not a sha-256: ${sha}`);
      return join(root, sha.slice(0, 2), sha.slice(2));
    },
    partPath: (uploadId) => join(root, "uploads", `${encodeURIComponent(uploadId)}.part`),
    workDir: (id) => join(root, "work", encodeURIComponent(id)),
  };
}

/** sha-256 (hex) and size of a file, read as a stream. */
export async function hashFile(path: string): Promise<{ sha256: string; size: number }> {
  const hasher = new Bun.CryptoHasher("sha256");
  let size = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 1024 * 1024 })) {
    hasher.update(chunk as Buffer);
    size += (chunk as Buffer).byteLength;
  }
  return { sha256: hasher.digest("hex"), size };
}

async function fsyncDir(dir: string): Promise<void> {
  const fh = await open(dir, "r");
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/**
 * Moves a finished file into the blob store under its hash (fsync'd, durable). The
 * content may already be there (deduplication): then the source is removed.
 */
export async function adoptFile(dir: BlobDir, src: string, sha256: string): Promise<void> {
  const dest = dir.blobPath(sha256);
  const parent = join(dir.root, sha256.slice(0, 2));
  if (await exists(dest)) {
    await unlink(src).catch(() => {});
    return;
  }
  await mkdir(parent, { recursive: true, mode: 0o700 });
  const fh = await open(src, "r");
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
  await rename(src, dest);
  await fsyncDir(parent);
}

export async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

export const removeFile = (path: string) => rm(path, { force: true });
export const removeDir = (path: string) => rm(path, { recursive: true, force: true });

/** Blob files on disk (sha, mtime), one shard directory at a time. */
export async function* blobFiles(dir: BlobDir): AsyncGenerator<{ sha256: string; mtimeMs: number; path: string }> {
  for (const shard of await readdir(dir.root).catch(() => [] as string[])) {
    if (!/^[0-9a-f]{2}$/.test(shard)) continue;
    for (const rest of await readdir(join(dir.root, shard)).catch(() => [] as string[])) {
      const sha256 = shard + rest;
      if (!SHA.test(sha256)) continue;
      const path = join(dir.root, shard, rest);
      const st = await stat(path).catch(() => null);
      if (st?.isFile()) yield { sha256, mtimeMs: st.mtimeMs, path };
    }
  }
}
