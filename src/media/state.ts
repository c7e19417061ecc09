// In-memory state of media, one per Deps (each test server has its own): the blob
// directory, the upload rate limiter, the uploads a PATCH is writing right now, and the
// per-blob locks that keep a finalize and the GC from crossing (one adopts a file while
// the other deletes the same content). Lost on restart without harm.
import { limits } from "../limits.ts";
import type { Counter } from "../metrics/port.ts";
import type { Deps } from "../core/deps.ts";
import { type BlobDir, blobDir } from "./blobs.ts";
import { KeyedMutex } from "./mutex.ts";
import { WindowLimiter } from "./rate.ts";

export interface MediaMetrics {
  uploadBytes: Counter; // bytes accepted by PATCHes
  uploadsFinished: Counter; // by kind
  gcRemoved: Counter; // by what: upload, media, blob, stray
}

export interface MediaState {
  metrics: MediaMetrics;
  dir: BlobDir;
  rate: WindowLimiter;
  busy: Set<string>; // upload ids with a PATCH in progress
  blobLocks: KeyedMutex;
}

const states = new WeakMap<Deps, MediaState>();

export function mediaState(deps: Deps): MediaState {
  let s = states.get(deps);
  if (!s) {
    s = {
      metrics: {
        uploadBytes: deps.metrics.counter("hearth_media_upload_bytes_total", "Bytes accepted by upload chunks (PATCH /api/uploads/:id)."),
        uploadsFinished: deps.metrics.counter("hearth_media_uploads_finished_total", "Uploads finished into media, by kind."),
        gcRemoved: deps.metrics.counter("hearth_media_gc_removed_total", "Items the media GC removed, by what (upload, media, blob, stray)."),
      },
      dir: blobDir(deps.config.data.dir),
      rate: new WindowLimiter(60_000, deps.config.media.uploadsPerMinute, limits.uploadRateKeysMax),
      busy: new Set(),
      blobLocks: new KeyedMutex(),
    };
    states.set(deps, s);
  }
  return s;
}
