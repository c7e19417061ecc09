// The browser side of outbox attachments: their blobs in IndexedDB, upload progress per
// outbox item (a Solid store the composer and the pending bubble read), and the abort
// signal a cancel uses. sync/store.ts passes attachmentDeps() to uploadAttachments().
import { createStore } from "solid-js/store";
import { httpAuth } from "../net/connection.ts";
import { upload } from "../net/upload.ts";
import type { OutboxItem } from "../sync/outbox.ts";
import { idbBlobStore } from "./blobs-idb.ts";
import { type AttachmentDeps, forgetBlobs, type OutboxAttachment } from "./outbox-media.ts";
import { makePoster } from "./poster.ts";

export const blobs = idbBlobStore();

export interface Progress { sent: number; total: number }
const [uploadProgress, setUploadProgress] = createStore<Record<string, Progress | undefined>>({});
export { uploadProgress };

const controllers = new Map<string, AbortController>();

function signalFor(clientId: string): AbortSignal {
  let c = controllers.get(clientId);
  if (!c || c.signal.aborted) controllers.set(clientId, (c = new AbortController()));
  return c.signal;
}

/** Stops the item's running upload (the upload client deletes it on the server). */
export function abortUploads(clientId: string): void {
  controllers.get(clientId)?.abort();
  controllers.delete(clientId);
}

export function attachmentDeps(save: (item: OutboxItem) => Promise<void>): AttachmentDeps {
  return {
    blobs,
    save,
    upload: (o) => {
      const auth = httpAuth();
      if (!auth) return Promise.reject(Object.assign(new Error("Not connected"), { code: "disconnected" }));
      return upload({ ...o, auth });
    },
    poster: makePoster,
    progress: (clientId, sent, total) => setUploadProgress(clientId, { sent, total }),
    signal: signalFor,
  };
}

/** The item left the outbox (sent or discarded): its files and progress go too. */
export function forgetItem(item: OutboxItem): void {
  setUploadProgress(item.clientId, undefined);
  controllers.delete(item.clientId);
  void forgetBlobs(item, blobs);
}

/** Puts picked files into IndexedDB; what the outbox item keeps about each. */
export async function stageFiles(files: readonly { file: File; purpose?: OutboxAttachment["purpose"]; waveform?: string; durationMs?: number }[]): Promise<OutboxAttachment[]> {
  const out: OutboxAttachment[] = [];
  for (const f of files) {
    const localId = crypto.randomUUID();
    await blobs.put(localId, f.file);
    out.push({
      localId,
      name: f.file.name || "file",
      size: f.file.size,
      mime: f.file.type,
      purpose: f.purpose ?? "attachment",
      ...(f.waveform ? { waveform: f.waveform } : {}),
      ...(f.durationMs !== undefined ? { durationMs: f.durationMs } : {}),
    });
  }
  return out;
}
