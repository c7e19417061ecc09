// The upload client against an in-memory stand-in of the server's upload protocol that can
// drop the connection part-way through a chunk (the bytes it got so far stay stored, as on
// the real server). The real server is exercised by tests/e2e/media.e2e.ts.
import { describe, expect, test } from "vitest";
import { cancelUpload, type Fetch, upload, type UploadAuth } from "./upload.ts";
import { fakeServer } from "./upload-fake.ts";

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
