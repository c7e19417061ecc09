// The files of outbox items in IndexedDB (store `blobs`), so they survive a reload.
import { run } from "../sync/idb.ts";
import type { BlobStore } from "./outbox-media.ts";

export function idbBlobStore(): BlobStore {
  return {
    get: async (localId) => (await run("blobs", "readonly", (s) => s.get(localId) as IDBRequest<{ blob: Blob } | undefined>))?.blob,
    put: async (localId, blob) => void (await run("blobs", "readwrite", (s) => s.put({ localId, blob }))),
    remove: async (localId) => void (await run("blobs", "readwrite", (s) => s.delete(localId))),
  };
}
