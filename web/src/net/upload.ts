// Resumable uploads (the tus-style protocol of docs/protocol.md, "Uploads"): POST creates an
// upload, PATCH appends chunks at the offset the server confirmed, HEAD tells the offset
// after a network drop, DELETE cancels. A drop never starts the file over: the next
// attempt asks the server how far it got and continues from there, after a growing pause.
// The only state worth keeping across a reload is `uploadId` (handed to onCreated), which a
// later call passes back as `resume`.
import type { Attachment, CreateUploadBody, CreateUploadResult } from "../media/types.ts";
import { ApiError, errorFromBody } from "./http.ts";

// Kept here (not imported from src/protocol/media.ts) so the bundle carries no schema library.
export const uploadPaths = {
  uploads: "/api/uploads",
  upload: (id: string) => `/api/uploads/${encodeURIComponent(id)}`,
} as const;

/** The client's own chunk bound; the server's chunkBytesMax may make chunks smaller. */
export const uploadChunkBytes = 1024 * 1024;
/** Attempts in a row without progress before giving up (the outbox tries again later). */
export const uploadRetriesMax = 8;
/** Pause after the first failed attempt; doubles up to uploadBackoffMaxMs. */
export const uploadBackoffMs = 500;
export const uploadBackoffMaxMs = 15_000;

export interface UploadAuth {
  accessToken(): Promise<string>;
  refresh(): Promise<string>;
}

export interface UploadOptions {
  blob: Blob;
  spec: Omit<CreateUploadBody, "size">;
  auth: UploadAuth;
  /** an upload created earlier (e.g. before a reload): continue it from the server's offset */
  resume?: { uploadId: string; chunkBytesMax?: number };
  onCreated?: (u: { uploadId: string; chunkBytesMax: number }) => void | Promise<void>;
  onProgress?: (sentBytes: number, totalBytes: number) => void;
  signal?: AbortSignal;
  fetch?: Fetch;
  sleep?: (ms: number) => Promise<void>;
  baseUrl?: string;
}

/** Thrown when the signal aborted the upload (the server's copy was deleted). */
export const cancelledError = () => new ApiError("cancelled", "The upload was cancelled.");

class Retry extends Error {}

/** fetch as the upload client uses it (a stand-in in unit tests). */
export type Fetch = (url: string, init: RequestInit) => Promise<Response>;

const wait = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => (clearTimeout(t), resolve()), { once: true });
  });

export async function upload(o: UploadOptions): Promise<Attachment> {
  const f = o.fetch ?? fetch.bind(globalThis);
  const sleep = o.sleep ?? ((ms: number) => wait(ms, o.signal));
  const base = o.baseUrl ?? "";
  const size = o.blob.size;
  let id = o.resume?.uploadId ?? null;
  let chunkMax = Math.min(uploadChunkBytes, o.resume?.chunkBytesMax ?? uploadChunkBytes);
  let offset: number | null = id ? null : 0; // null: ask the server (HEAD) first
  let failures = 0;
  let best = 0; // the furthest offset the server confirmed: moving past it resets the backoff

  // one HTTP request with the access token; a 401 refreshes once
  const send = async (method: string, path: string, init: { headers?: Record<string, string>; body?: BodyInit } = {}): Promise<Response> => {
    for (let again = true; ; again = false) {
      const token = await o.auth.accessToken();
      let res: Response;
      try {
        res = await f(base + path, { method, headers: { authorization: `Bearer ${token}`, ...init.headers }, body: init.body, signal: o.signal });
      } catch {
        if (o.signal?.aborted) throw cancelledError();
        throw new Retry("network");
      }
      if (res.status === 401 && again) {
        await o.auth.refresh();
        continue;
      }
      if (res.status >= 500 || res.status === 429) throw new Retry(String(res.status));
      return res;
    }
  };
  const fail = async (res: Response): Promise<never> => {
    throw errorFromBody(res.status, await res.json().catch(() => null));
  };

  const create = async () => {
    const res = await send("POST", uploadPaths.uploads, { headers: { "content-type": "application/json" }, body: JSON.stringify({ ...o.spec, size }) });
    if (res.status !== 201 && res.status !== 200) await fail(res);
    const r = (await res.json()) as CreateUploadResult;
    id = r.uploadId;
    chunkMax = Math.max(1, Math.min(uploadChunkBytes, r.chunkBytesMax));
    offset = r.offset;
    await o.onCreated?.({ uploadId: r.uploadId, chunkBytesMax: r.chunkBytesMax });
  };

  const head = async () => {
    const res = await send("HEAD", uploadPaths.upload(id!));
    if (res.status === 404 || res.status === 410) {
      // the server dropped it (expired or collected): the only case that starts over
      id = null;
      offset = 0;
      return;
    }
    if (!res.ok) await fail(res);
    offset = Number(res.headers.get("upload-offset"));
    if (!Number.isSafeInteger(offset) || offset < 0 || offset > size) throw new ApiError("bad_response", "The server sent no valid Upload-Offset.");
  };

  // one PATCH; returns the finished media when this chunk completed the file
  const patch = async (): Promise<Attachment | null> => {
    const at = offset!;
    const end = Math.min(size, at + chunkMax);
    const res = await send("PATCH", uploadPaths.upload(id!), {
      headers: { "upload-offset": String(at), "content-type": "application/offset+octet-stream" },
      body: o.blob.slice(at, end),
    });
    if (res.status === 409) {
      const body = (await res.json().catch(() => null)) as { error?: { code?: string; data?: { offset?: number } } } | null;
      if (body?.error?.code === "conflict") throw new Retry("busy"); // an earlier PATCH still runs there
      const theirs = body?.error?.data?.offset;
      if (typeof theirs !== "number") throw errorFromBody(409, body);
      offset = theirs;
      return null;
    }
    if (res.status === 404 || res.status === 410) {
      offset = null; // let HEAD decide (it starts over when the upload is gone)
      return null;
    }
    if (res.status === 413 && chunkMax > 1) {
      // the server's chunk bound is lower than we knew (a resumed upload): use the one it names
      const body = (await res.json().catch(() => null)) as { error?: { data?: { limit?: number } } } | null;
      const limit = body?.error?.data?.limit;
      chunkMax = typeof limit === "number" && limit > 0 && limit < chunkMax ? limit : Math.max(1, Math.floor(chunkMax / 2));
      return null;
    }
    if (!res.ok) await fail(res);
    if (res.status === 200) return ((await res.json()) as { media: Attachment }).media;
    const next = Number(res.headers.get("upload-offset"));
    offset = Number.isSafeInteger(next) && next > at ? next : end;
    return null;
  };

  try {
    for (;;) {
      if (o.signal?.aborted) throw cancelledError();
      try {
        if (id === null) await create();
        else if (offset === null) await head();
        else {
          const done = await patch();
          if (done) {
            o.onProgress?.(size, size);
            return done;
          }
        }
        if (offset !== null && offset > best) {
          best = offset;
          failures = 0;
        }
        if (offset !== null) o.onProgress?.(offset, size);
      } catch (e) {
        if (!(e instanceof Retry)) throw e;
        if (++failures > uploadRetriesMax) throw new ApiError("network", "The upload could not reach the server.");
        offset = id === null ? 0 : null; // after a drop, ask the server where we are
        await sleep(Math.min(uploadBackoffMaxMs, uploadBackoffMs * 2 ** (failures - 1)));
      }
    }
  } catch (e) {
    if (o.signal?.aborted && id) await cancelUpload(id, o.auth, f, base).catch(() => undefined);
    throw o.signal?.aborted ? cancelledError() : e;
  }
}

/** DELETE: the server forgets the upload and its bytes. */
export async function cancelUpload(uploadId: string, auth: UploadAuth, f: Fetch = fetch.bind(globalThis), base = ""): Promise<void> {
  const token = await auth.accessToken();
  await f(base + uploadPaths.upload(uploadId), { method: "DELETE", headers: { authorization: `Bearer ${token}` } });
}
