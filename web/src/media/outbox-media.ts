// Attachments of outbox items. The files wait in IndexedDB (`blobs`, keyed by a local id)
// beside the item, so a message written offline keeps its photos through a reload. Before
// the item's message.send, each file is uploaded (resumable: the upload id is saved with the
// item as soon as the server made it, so a retry after a reload continues that upload from
// the server's offset), then, where the server cannot draw one, a poster made in the browser
// is uploaded for it. The send then carries the media ids in the order the files were picked.
import type { Attachment, UploadPurpose } from "./types.ts";
import type { UploadOptions } from "../net/upload.ts";
import type { OutboxItem } from "../sync/outbox.ts";

export interface OutboxAttachment {
  localId: string; // key of its blob in the blob store
  name: string;
  size: number;
  mime: string; // the browser's guess, for the pending bubble only (the server sniffs)
  purpose: Extract<UploadPurpose, "attachment" | "voice">;
  waveform?: string;
  durationMs?: number;
  uploadId?: string; // the server's upload, once created
  chunkBytesMax?: number;
  media?: Attachment; // finished
  posterTried?: boolean;
}

export interface BlobStore {
  get(localId: string): Promise<Blob | undefined>;
  put(localId: string, blob: Blob): Promise<void>;
  remove(localId: string): Promise<void>;
}

export interface AttachmentDeps {
  blobs: BlobStore;
  upload: (o: Omit<UploadOptions, "auth">) => Promise<Attachment>;
  /** persists the item's progress (its upload ids, finished media) */
  save: (item: OutboxItem) => Promise<void>;
  /** a poster (JPEG/WebP) for media the server cannot picture, or null */
  poster?: (blob: Blob, media: Attachment) => Promise<Blob | null>;
  progress?: (clientId: string, sentBytes: number, totalBytes: number) => void;
  signal?: (clientId: string) => AbortSignal | undefined;
}

/** A blob the browser dropped from storage: the message cannot be sent as written. */
export const blobMissing = () => Object.assign(new Error("A file of this message is no longer stored on this device."), { code: "attachment_missing" });

/** Whether the browser must make the picture: the server has no video decoder, and no thumbnails without sharp. */
export const needsPoster = (m: Attachment): boolean => (m.kind === "video" && !m.poster) || (m.kind === "photo" && !m.thumbs && !m.poster);

/** Uploads what is left of the item's files; returns their media ids (undefined: no files). */
export async function uploadAttachments(item: OutboxItem, deps: AttachmentDeps): Promise<string[] | undefined> {
  if (!item.attachments?.length) return undefined;
  let current: OutboxItem = { ...item, attachments: item.attachments.map((a) => ({ ...a })) };
  const list = current.attachments!;
  const total = list.reduce((n, a) => n + a.size, 0);
  const doneBytes = () => list.reduce((n, a) => n + (a.media ? a.size : 0), 0);
  const put = async (i: number, a: OutboxAttachment) => {
    list[i] = a;
    current = { ...current, attachments: [...list] };
    await deps.save(current);
  };
  deps.progress?.(item.clientId, doneBytes(), total);
  for (let i = 0; i < list.length; i++) {
    const a = list[i]!;
    if (a.media && (a.posterTried || !needsPoster(a.media))) continue;
    const blob = await deps.blobs.get(a.localId);
    if (!blob) throw blobMissing();
    let media = a.media;
    if (!media) {
      const before = doneBytes();
      media = await deps.upload({
        blob,
        spec: { name: a.name, purpose: a.purpose, chatId: item.chatId, ...(a.waveform ? { waveform: a.waveform } : {}), ...(a.durationMs !== undefined ? { durationMs: a.durationMs } : {}) },
        resume: a.uploadId ? { uploadId: a.uploadId, chunkBytesMax: a.chunkBytesMax } : undefined,
        onCreated: (u) => put(i, { ...list[i]!, uploadId: u.uploadId, chunkBytesMax: u.chunkBytesMax }),
        onProgress: (sent) => deps.progress?.(item.clientId, before + sent, total),
        signal: deps.signal?.(item.clientId),
      });
      await put(i, { ...list[i]!, media, uploadId: undefined });
    }
    if (needsPoster(media) && deps.poster) media = await uploadPoster(blob, media, item.clientId, deps);
    await put(i, { ...list[i]!, media, posterTried: true });
  }
  return list.map((a) => a.media!.id);
}

// best effort: a message is never held back because its poster could not be made or stored,
// except by a lost network (the next flush tries again)
async function uploadPoster(blob: Blob, media: Attachment, clientId: string, deps: AttachmentDeps): Promise<Attachment> {
  const poster = await deps.poster!(blob, media).catch(() => null);
  if (!poster) return media;
  try {
    return await deps.upload({ blob: poster, spec: { name: "poster.jpg", purpose: "poster", mediaId: media.id }, signal: deps.signal?.(clientId) });
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === "network" || code === "cancelled") throw e;
    return media;
  }
}

/** The blobs of an item that left the outbox (sent or discarded). */
export async function forgetBlobs(item: OutboxItem, blobs: BlobStore): Promise<void> {
  for (const a of item.attachments ?? []) await blobs.remove(a.localId).catch(() => undefined);
}

export function memoryBlobStore(): BlobStore & { map: Map<string, Blob> } {
  const map = new Map<string, Blob>();
  return { map, get: async (id) => map.get(id), put: async (id, b) => void map.set(id, b), remove: async (id) => void map.delete(id) };
}
