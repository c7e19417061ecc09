// An in-memory stand-in of the server's upload protocol for unit tests (never bundled: only
// *.test.ts files import it). It can drop the connection part-way through a chunk, keeping
// the bytes it got so far, as the real server does (docs/protocol.md, "Uploads").
import type { Fetch } from "./upload.ts";

type CreateBody = { size: number; name: string; purpose: string; mediaId?: string };

export interface Fake {
  fetch: Fetch;
  log: string[];
  patchedBytes: number;
  uploads: Map<string, { size: number; got: Uint8Array; offset: number; body?: CreateBody }>;
  dropNext: number; // drop this many upcoming PATCHes half-way
  down: number; // answer this many requests with a network error
  tokens: string[];
}

export function fakeServer(chunkBytesMax = 1000): Fake {
  let n = 0;
  const fake: Fake = {
    log: [],
    patchedBytes: 0,
    uploads: new Map(),
    dropNext: 0,
    down: 0,
    tokens: [],
    fetch: async (input, init) => {
      const url = String(input);
      const method = init?.method ?? "GET";
      const headers = new Headers(init?.headers);
      fake.log.push(`${method} ${url}`);
      fake.tokens.push(headers.get("authorization") ?? "");
      if (fake.down > 0) {
        fake.down--;
        throw new TypeError("Failed to fetch");
      }
      if (headers.get("authorization") === "Bearer stale") return Response.json({ error: { code: "unauthorized", message: "x" } }, { status: 401 });
      if (method === "POST") {
        const body = JSON.parse(String(init?.body)) as CreateBody;
        if (body.size > 10_000_000) return Response.json({ error: { code: "quota_exceeded", message: "over", data: { usedBytes: 1, limitBytes: 2, scope: "user" } } }, { status: 413 });
        const id = `u${++n}`;
        fake.uploads.set(id, { size: body.size, got: new Uint8Array(body.size), offset: 0, body });
        return Response.json({ uploadId: id, offset: 0, chunkBytesMax, expiresAt: 0 }, { status: 201 });
      }
      const id = url.split("/").pop()!;
      const u = fake.uploads.get(id);
      if (!u) return Response.json({ error: { code: "not_found", message: "gone" } }, { status: 404 });
      if (method === "HEAD") return new Response(null, { status: 200, headers: { "upload-offset": String(u.offset) } });
      if (method === "DELETE") {
        fake.uploads.delete(id);
        return new Response(null, { status: 204 });
      }
      const at = Number(headers.get("upload-offset"));
      if (at !== u.offset) return Response.json({ error: { code: "upload_offset_mismatch", message: "x", data: { offset: u.offset } } }, { status: 409 });
      const bytes = new Uint8Array(await (init!.body as Blob).arrayBuffer());
      if (bytes.length > chunkBytesMax) return Response.json({ error: { code: "invalid_field", message: "too long" } }, { status: 413 });
      if (fake.dropNext > 0) {
        fake.dropNext--;
        const half = bytes.subarray(0, Math.floor(bytes.length / 2));
        u.got.set(half, u.offset);
        u.offset += half.length;
        fake.patchedBytes += half.length;
        throw new TypeError("network dropped");
      }
      u.got.set(bytes, u.offset);
      u.offset += bytes.length;
      fake.patchedBytes += bytes.length;
      if (u.offset === u.size) {
        const b = u.body;
        // a poster's completing PATCH answers the media it belongs to, now with poster: true
        if (b?.purpose === "poster") return Response.json({ media: { id: b.mediaId, kind: "video", mime: "video/mp4", name: "v.mp4", size: 1, thumbs: false, poster: true } });
        const kind = b?.name.endsWith(".mp4") ? "video" : b?.name.endsWith(".jpg") ? "photo" : "file";
        return Response.json({ media: { id: `m-${id}`, kind, mime: "application/octet-stream", name: b?.name ?? "x", size: u.size, thumbs: kind === "photo", poster: false } });
      }
      return new Response(null, { status: 204, headers: { "upload-offset": String(u.offset) } });
    },
  };
  return fake;
}

