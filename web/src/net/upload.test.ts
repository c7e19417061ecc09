// The upload client against an in-memory stand-in of the server's upload protocol that can
// drop the connection part-way through a chunk (the bytes it got so far stay stored, as on
// the real server). The real server is exercised by tests/e2e/media.e2e.ts.
import { describe, expect, test } from "vitest";
import { cancelUpload, type Fetch, upload, type UploadAuth } from "./upload.ts";

interface Fake {
  fetch: Fetch;
  log: string[];
  patchedBytes: number;
  uploads: Map<string, { size: number; got: Uint8Array; offset: number }>;
  dropNext: number; // drop this many upcoming PATCHes half-way
  down: number; // answer this many requests with a network error
  tokens: string[];
}

function fakeServer(chunkBytesMax = 1000): Fake {
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
        const body = JSON.parse(String(init?.body)) as { size: number };
        if (body.size > 10_000_000) return Response.json({ error: { code: "quota_exceeded", message: "over", data: { usedBytes: 1, limitBytes: 2, scope: "user" } } }, { status: 413 });
        const id = `u${++n}`;
        fake.uploads.set(id, { size: body.size, got: new Uint8Array(body.size), offset: 0 });
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
      if (u.offset === u.size) return Response.json({ media: { id: `m-${id}`, kind: "file", mime: "application/octet-stream", name: "x", size: u.size, thumbs: false, poster: false } });
      return new Response(null, { status: 204, headers: { "upload-offset": String(u.offset) } });
    },
  };
  return fake;
}

const auth = (token = "good"): UploadAuth & { refreshed: number } => {
  const a = { token, refreshed: 0, accessToken: async () => a.token, refresh: async () => (a.refreshed++, (a.token = "good")) };
  return a;
};
const bytes = (n: number) => new Blob([Uint8Array.from({ length: n }, (_, i) => (i * 7) % 251)]);
const noSleep = async () => {};
const spec = { name: "f.bin", purpose: "attachment" as const };

describe("upload", () => {
  test("sends the file in chunks no larger than chunkBytesMax and reports progress", async () => {
    const s = fakeServer(1000);
    const progress: number[] = [];
    const media = await upload({ blob: bytes(3500), spec, auth: auth(), fetch: s.fetch, sleep: noSleep, onProgress: (sent) => progress.push(sent) });
    expect(media.id).toBe("m-u1");
    expect(s.log.filter((l) => l.startsWith("PATCH"))).toHaveLength(4);
    expect(progress.at(-1)).toBe(3500);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect([...s.uploads.get("u1")!.got]).toEqual([...new Uint8Array(await bytes(3500).arrayBuffer())]);
  });

  test("a drop mid-chunk resumes from the server's offset (HEAD), never from the start", async () => {
    const s = fakeServer(1000);
    s.dropNext = 2;
    const sleeps: number[] = [];
    await upload({ blob: bytes(4000), spec, auth: auth(), fetch: s.fetch, sleep: async (ms) => void sleeps.push(ms) });
    expect(s.patchedBytes).toBe(4000); // every byte sent exactly once
    expect(s.log.filter((l) => l.startsWith("HEAD"))).toHaveLength(2);
    expect(s.log.filter((l) => l.startsWith("POST"))).toHaveLength(1);
    expect(sleeps).toEqual([500, 500]); // progress between the drops resets the backoff
    expect([...s.uploads.get("u1")!.got]).toEqual([...new Uint8Array(await bytes(4000).arrayBuffer())]);
  });

  test("while the server is unreachable the pauses grow, then it gives up with network", async () => {
    const s = fakeServer(1000);
    s.down = 100;
    const sleeps: number[] = [];
    await expect(upload({ blob: bytes(10), spec, auth: auth(), fetch: s.fetch, sleep: async (ms) => void sleeps.push(ms) })).rejects.toMatchObject({ code: "network" });
    expect(sleeps).toEqual([500, 1000, 2000, 4000, 8000, 15000, 15000, 15000]);
  });

  test("resume after a reload continues the same upload id from its offset", async () => {
    const s = fakeServer(1000);
    let created: string | null = null;
    s.down = 0;
    const ctl = new AbortController();
    // first page: two chunks go through, then the "tab closes" (the fetch never answers again)
    let patches = 0;
    const first: Fetch = async (i, init) => {
      if (init?.method === "PATCH" && ++patches > 2) {
        ctl.abort();
        throw new DOMException("aborted", "AbortError");
      }
      return s.fetch(i, init);
    };
    await upload({ blob: bytes(5000), spec, auth: auth(), fetch: first, sleep: noSleep, signal: ctl.signal, onCreated: (u) => void (created = u.uploadId) }).catch(() => undefined);
    // the abort above is a cancel, which deletes; a closed tab does not, so put it back as it was
    expect(created).toBe("u1");
    const s2 = fakeServer(1000);
    s2.uploads.set("u1", { size: 5000, got: new Uint8Array(5000), offset: 2000 });
    const media = await upload({ blob: bytes(5000), spec, auth: auth(), fetch: s2.fetch, sleep: noSleep, resume: { uploadId: "u1" } });
    expect(media.id).toBe("m-u1");
    expect(s2.log[0]).toBe("HEAD /api/uploads/u1");
    expect(s2.patchedBytes).toBe(3000);
  });

  test("an upload the server no longer has starts over with a new one", async () => {
    const s = fakeServer(1000);
    const media = await upload({ blob: bytes(1500), spec, auth: auth(), fetch: s.fetch, sleep: noSleep, resume: { uploadId: "gone" } });
    expect(media.id).toBe("m-u1");
    expect(s.log.slice(0, 2)).toEqual(["HEAD /api/uploads/gone", "POST /api/uploads"]);
  });

  test("an offset mismatch (409) continues from the offset the server names", async () => {
    const s = fakeServer(1000);
    s.uploads.set("u9", { size: 3000, got: new Uint8Array(3000), offset: 0 });
    let first = true;
    const media = await upload({ blob: bytes(3000), spec, auth: auth(), fetch: async (i, init) => {
      // an earlier PATCH whose answer was lost did land: the server is further than the client thinks
      if (init?.method === "PATCH" && first) {
        first = false;
        s.uploads.get("u9")!.offset = 1000;
      }
      return s.fetch(i, init);
    }, sleep: noSleep, resume: { uploadId: "u9" } });
    expect(media.size).toBe(3000);
    expect(s.patchedBytes).toBe(2000);
  });

  test("cancel aborts and deletes the upload on the server", async () => {
    const s = fakeServer(1000);
    const ctl = new AbortController();
    let n = 0;
    const slow: Fetch = async (i, init) => {
      if (init?.method === "PATCH" && ++n === 2) ctl.abort();
      return s.fetch(i, init);
    };
    await expect(upload({ blob: bytes(5000), spec, auth: auth(), fetch: slow, sleep: noSleep, signal: ctl.signal })).rejects.toMatchObject({ code: "cancelled" });
    expect(s.log.at(-1)).toBe("DELETE /api/uploads/u1");
    expect(s.uploads.size).toBe(0);
  });

  test("a refused upload is a typed error with its data; an expired token is refreshed once", async () => {
    const s = fakeServer(1000);
    await expect(upload({ blob: bytes(10_000_001), spec, auth: auth(), fetch: s.fetch, sleep: noSleep })).rejects.toMatchObject({ code: "quota_exceeded", data: { scope: "user" } });
    const a = auth("stale");
    await upload({ blob: bytes(10), spec, auth: a, fetch: s.fetch, sleep: noSleep });
    expect(a.refreshed).toBe(1);
    await cancelUpload("u2", a, s.fetch);
    expect(s.log.at(-1)).toBe("DELETE /api/uploads/u2");
  });
});
