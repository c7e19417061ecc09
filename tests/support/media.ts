// Test support for media on the chats harness: a real server with chats + media, people
// with a connected client AND an HTTP access token (a second sign-in), and an upload
// client speaking the resumable protocol exactly as docs/protocol.md describes it.
import { type Person, startChatsServer } from "./chats.ts";
import { authPaths, type AuthTokens } from "../../src/protocol/http.ts";
import { type Attachment, type CreateUploadBody, mediaPaths } from "../../src/protocol/media.ts";
import type { Deps } from "../../src/core/deps.ts";
import type { DomainModule } from "../../src/core/module.ts";
import { mediaModule } from "../../src/media/module.ts";
import type { PreviewsOptions } from "../../src/previews/previews.ts";

export interface MediaPerson extends Person {
  token: string;
  tokens: AuthTokens;
}

export async function startMediaServer(opts: { set?: string[]; modules?: (deps: Deps) => DomainModule[]; dir?: string; clock?: { offsetMs: number }; previews?: PreviewsOptions } = {}) {
  const s = await startChatsServer({ ...opts, modules: (deps) => [mediaModule(deps), ...(opts.modules?.(deps) ?? [])] });
  const url = s.t.url;
  return {
    ...s,
    url,
    async person(prefix = "p"): Promise<MediaPerson> {
      const p = await s.person(prefix);
      const tokens = await login(url, p.username);
      return Object.assign(p, { token: tokens.accessToken, tokens });
    },
  };
}

/** A new session of an existing test user (password of tests/support/harness.ts createTestUser). */
export async function login(url: string, username: string): Promise<AuthTokens> {
  const res = await fetch(url + authPaths.login, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username, password: "correct horse battery staple", deviceName: "http" }),
  });
  if (!res.ok) throw new Error(`login ${username}: ${res.status} ${await res.text()}`);
  return (await res.json()) as AuthTokens;
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

export async function createUpload(url: string, token: string, body: Partial<CreateUploadBody> & { size: number }): Promise<Response> {
  return fetch(url + mediaPaths.uploads, {
    method: "POST",
    headers: { ...bearer(token), "content-type": "application/json" },
    body: JSON.stringify({ name: "file.bin", purpose: "attachment", ...body }),
  });
}

export function patchChunk(url: string, token: string, uploadId: string, offset: number, bytes: Uint8Array): Promise<Response> {
  return fetch(url + mediaPaths.upload(uploadId), {
    method: "PATCH",
    headers: { ...bearer(token), "content-type": "application/offset+octet-stream", "upload-offset": String(offset) },
    body: bytes as Uint8Array<ArrayBuffer>,
  });
}

/** Uploads `bytes` in chunks of `chunkBytes`; returns the finished Attachment (throws with the server's answer otherwise). */
export async function uploadBytes(
  url: string,
  token: string,
  bytes: Uint8Array,
  body: Partial<CreateUploadBody> = {},
  chunkBytes = 64 * 1024,
): Promise<Attachment> {
  const created = await createUpload(url, token, { size: bytes.byteLength, ...body });
  if (created.status !== 201) throw new Error(`create: ${created.status} ${await created.text()}`);
  const { uploadId } = (await created.json()) as { uploadId: string };
  return finishUpload(url, token, uploadId, bytes, 0, chunkBytes);
}

export async function finishUpload(url: string, token: string, uploadId: string, bytes: Uint8Array, from: number, chunkBytes = 64 * 1024): Promise<Attachment> {
  let offset = from;
  for (;;) {
    const end = Math.min(offset + chunkBytes, bytes.byteLength);
    const res = await patchChunk(url, token, uploadId, offset, bytes.subarray(offset, end));
    if (res.status === 200) return ((await res.json()) as { media: Attachment }).media;
    if (res.status !== 204) throw new Error(`patch at ${offset}: ${res.status} ${await res.text()}`);
    offset = Number(res.headers.get("upload-offset"));
  }
}

export async function uploadOffset(url: string, token: string, uploadId: string): Promise<number | null> {
  const res = await fetch(url + mediaPaths.upload(uploadId), { method: "HEAD", headers: bearer(token) });
  return res.status === 200 ? Number(res.headers.get("upload-offset")) : null;
}

/** A tiny valid PNG (1×1, red). */
export const PNG_1X1 = Uint8Array.from(
  Buffer.from("89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de0000000c4944415408d763f8cfc000000301010018dd8db00000000049454e44ae426082", "hex"),
);
