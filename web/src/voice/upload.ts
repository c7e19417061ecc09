// A minimal client of the resumable upload protocol (docs/protocol.md, Uploads) for voice
// messages and avatars: create, then PATCH chunks of at most chunkBytesMax at the server's
// offset; a wrong offset (409) re-reads it with HEAD and goes on from there. The general
// attachment uploader (progress in the composer, resume across reloads) is media/'s.
import { type Attachment, type CreateUploadBody, type CreateUploadResult, mediaPaths } from "../../../src/protocol/media.ts";
import { accessToken } from "../net/connection.ts";
import { ApiError, errorFromBody } from "../net/http.ts";

export type UploadOptions = Omit<CreateUploadBody, "size"> & { signal?: AbortSignal };

const attemptsMax = 5; // offset mismatches / network drops per upload before giving up

async function send(method: string, path: string, body?: BodyInit, headers: Record<string, string> = {}, signal?: AbortSignal): Promise<Response> {
  const token = await accessToken();
  try {
    return await fetch(path, { method, body, signal, headers: { authorization: `Bearer ${token}`, ...headers } });
  } catch (e) {
    if ((e as Error).name === "AbortError") throw e;
    throw new ApiError("network", "The server cannot be reached.");
  }
}

async function failed(res: Response): Promise<ApiError> {
  return errorFromBody(res.status, await res.json().catch(() => null));
}

export async function uploadMedia(blob: Blob, o: UploadOptions): Promise<Attachment> {
  const { signal, ...rest } = o;
  const body: CreateUploadBody = { ...rest, size: blob.size };
  const created = await send("POST", mediaPaths.uploads, JSON.stringify(body), { "content-type": "application/json" }, signal);
  if (!created.ok) throw await failed(created);
  const { uploadId, chunkBytesMax } = (await created.json()) as CreateUploadResult;
  const path = mediaPaths.upload(uploadId);
  signal?.addEventListener("abort", () => void send("DELETE", path).catch(() => undefined), { once: true });
  let offset = 0;
  for (let attempts = 0; attempts < attemptsMax; ) {
    const res = await send("PATCH", path, blob.slice(offset, offset + chunkBytesMax), {
      "upload-offset": String(offset), "content-type": "application/offset+octet-stream",
    }, signal).catch((e: unknown) => (e instanceof ApiError ? null : Promise.reject(e)));
    if (res?.status === 200) return ((await res.json()) as { media: Attachment }).media;
    const next = Number(res?.headers.get("upload-offset"));
    if (res?.status === 204 && Number.isSafeInteger(next) && next > offset && next <= blob.size) {
      offset = next;
      continue;
    }
    if (res && res.status !== 409 && res.status !== 204) throw await failed(res);
    attempts++; // a drop or an offset mismatch: ask the server where it is
    const head = await send("HEAD", path, undefined, {}, signal).catch(() => null);
    const at = Number(head?.headers.get("upload-offset"));
    if (head?.ok && Number.isSafeInteger(at) && at >= 0 && at <= blob.size) offset = at;
  }
  throw new ApiError("network", "The upload did not get through.");
}
