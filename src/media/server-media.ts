// Media the server makes itself, with no upload and no owner: link-preview images (the
// previews module fetches, then re-encodes with reencodeImage, then stores here). Readable
// by every signed-in user; the media GC leaves purpose "preview" to its owner module.
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { newId } from "../ids.ts";
import type { Deps } from "../core/deps.ts";
import type { Media } from "../storage/media-port.ts";
import { adoptFile, hashFile, removeDir } from "./blobs.ts";
import { mediaState } from "./state.ts";

export interface ServerImage {
  bytes: Uint8Array; // already re-encoded (metadata-free): served inline as is
  mime: string;
  width: number;
  height: number;
  placeholder?: string;
  name: string;
}

/** Stores the image as a media of purpose "preview"; served at /media/:id and /media/:id/thumb/:w. */
export async function storeServerImage(deps: Deps, img: ServerImage): Promise<Media> {
  const state = mediaState(deps);
  const id = newId(deps.now());
  const work = state.dir.workDir(id);
  await mkdir(work, { recursive: true });
  try {
    const file = join(work, "image");
    await Bun.write(file, img.bytes);
    const { sha256, size } = await hashFile(file);
    return await state.blobLocks.run(sha256, async () => {
      await adoptFile(state.dir, file, sha256);
      const blob = { sha256, size };
      // the bytes are the stripped copy and every thumbnail: one file serves them all
      const variants = (["display", "thumb320", "thumb800", "thumb1280"] as const).map((name) => ({ name, blob, mime: img.mime, width: img.width, height: img.height }));
      return deps.storage.media.putServerMedia({
        id, ownerId: null, purpose: "preview", blob, mime: img.mime, kind: "photo", name: img.name, width: img.width, height: img.height,
        durationMs: null, waveform: null, placeholder: img.placeholder ?? null, thumbs: true, now: deps.now(), variants,
      });
    });
  } finally {
    await removeDir(work);
  }
}
