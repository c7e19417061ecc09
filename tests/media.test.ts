// Media through a real server over real HTTP: the resumable upload protocol (resume after
// a dropped connection at a random offset, wrong offsets, quotas with their numbers),
// sniffed types, safe serving (attachment + nosniff + sandbox CSP, Range, ETag), who may
// read (a removed member gets 404), attachments on messages, posters, avatars, the cookie.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { connect } from "node:net";
import { mediaPaths } from "../src/protocol/media.ts";
import { authPaths } from "../src/protocol/http.ts";
import { bearer, createUpload, finishUpload, type MediaPerson, patchChunk, PNG_1X1, startMediaServer, uploadBytes, uploadOffset } from "./support/media.ts";
import { seededRng } from "./support/seed.ts";
import { limits } from "../src/limits.ts";

setDefaultTimeout(30_000);

let s: Awaited<ReturnType<typeof startMediaServer>>;
let ann: MediaPerson, ben: MediaPerson, cat: MediaPerson;
let n = 0;
const cid = () => `c${++n}`;

beforeAll(async () => {
  s = await startMediaServer({ set: ["media.uploadsPerMinute=100000"] });
  [ann, ben, cat] = [await s.person("ann"), await s.person("ben"), await s.person("cat")];
});
afterAll(() => s.stop());

const get = (p: MediaPerson, path: string, headers: Record<string, string> = {}) => fetch(s.url + path, { headers: { ...bearer(p.token), ...headers } });
async function group(members: MediaPerson[]) {
  const { entry } = await ann.request("chat.create", { kind: "group", clientId: cid(), title: "G", memberIds: members.map((p) => p.id) });
  return entry.chat.id as string;
}
const sha256 = (b: Uint8Array) => new Bun.CryptoHasher("sha256").update(b).digest("hex");

/** Sends the headers and the first `sent` bytes of a PATCH declaring `total`, then closes the socket. */
function droppedPatch(p: MediaPerson, uploadId: string, offset: number, total: Uint8Array, sent: number): Promise<void> {
  const url = new URL(s.url);
  return new Promise((resolve, reject) => {
    const sock = connect(Number(url.port), url.hostname, () => {
      const head = [
        `PATCH ${mediaPaths.upload(uploadId)} HTTP/1.1`, `Host: ${url.host}`, `Authorization: Bearer ${p.token}`,
        "Content-Type: application/offset+octet-stream", `Upload-Offset: ${offset}`, `Content-Length: ${total.byteLength}`, "", "",
      ].join("\r\n");
      sock.write(head);
      sock.end(Buffer.from(total.subarray(0, sent)), () => {
        sock.destroy(); // gone, not just half-closed: the server must see the body end early
        resolve();
      });
    });
    sock.on("error", reject);
    sock.on("data", () => {});
  });
}

describe("resumable uploads", () => {
  test("a dropped connection keeps what arrived; HEAD tells where to go on; the file comes back whole", async () => {
    const rng = seededRng("media resume");
    const bytes = rng.bytes(300_000 + rng.int(200_000));
    const res = await createUpload(s.url, ann.token, { size: bytes.byteLength, name: "noise.bin" });
    expect(res.status).toBe(201);
    const { uploadId, offset, chunkBytesMax } = (await res.json()) as { uploadId: string; offset: number; chunkBytesMax: number };
    expect(offset).toBe(0);
    expect(chunkBytesMax).toBeGreaterThan(0);
    const cut = 1 + rng.int(bytes.byteLength - 2);
    await droppedPatch(ann, uploadId, 0, bytes, cut);
    // The server keeps what reached it (at most `cut` bytes; what it had not read yet when the
    // socket went away is lost) — but it may still be writing when we come back: a chunk then
    // gets 409 upload_busy, or 409 upload_offset_mismatch once the old request stored more.
    let media;
    for (let attempt = 0; ; attempt++) {
      const at = await uploadOffset(s.url, ann.token, uploadId);
      expect(at).not.toBeNull();
      expect(at!).toBeLessThanOrEqual(cut);
      const wrong = await patchChunk(s.url, ann.token, uploadId, at! + 1, bytes.subarray(at! + 1, at! + 2));
      expect(wrong.status).toBe(409);
      const err = ((await wrong.json()) as any).error;
      if (err.code === "conflict") {
        expect(err.data).toEqual({ what: "upload_busy" });
        await Bun.sleep(5);
        continue;
      }
      expect(err.code).toBe("upload_offset_mismatch");
      expect(err.data.offset).toBeGreaterThanOrEqual(at!);
      try {
        media = await finishUpload(s.url, ann.token, uploadId, bytes, err.data.offset, 100_000);
        console.log(`dropped after ${cut} of ${bytes.byteLength} bytes; the server kept ${err.data.offset}; resumed after ${attempt} busy answers`);
        break;
      } catch (e) {
        if (!/upload_busy|upload_offset_mismatch/.test(String(e))) throw e;
      }
    }
    expect(media).toMatchObject({ kind: "file", mime: "application/octet-stream", name: "noise.bin", size: bytes.byteLength, thumbs: false, poster: false });
    const back = new Uint8Array(await (await get(ann, mediaPaths.original(media.id))).arrayBuffer());
    expect(sha256(back)).toBe(sha256(bytes));
    expect(await uploadOffset(s.url, ann.token, uploadId)).toBeNull(); // finished: the upload is gone
  });

  test("bad chunks: wrong type, over the declared size, someone else's upload, a cancelled one", async () => {
    const res = await createUpload(s.url, ann.token, { size: 10 });
    const { uploadId } = (await res.json()) as { uploadId: string };
    const asJson = await fetch(s.url + mediaPaths.upload(uploadId), { method: "PATCH", headers: { ...bearer(ann.token), "content-type": "application/json", "upload-offset": "0" }, body: "{}" });
    expect(asJson.status).toBe(415);
    const tooMuch = await patchChunk(s.url, ann.token, uploadId, 0, new Uint8Array(11));
    expect(tooMuch.status).toBe(413);
    expect(await uploadOffset(s.url, ann.token, uploadId)).toBe(0);
    const theirs = await patchChunk(s.url, ben.token, uploadId, 0, new Uint8Array(5));
    expect(theirs.status).toBe(404);
    expect(((await theirs.json()) as any).error.code).toBe("upload_not_found");
    const del = await fetch(s.url + mediaPaths.upload(uploadId), { method: "DELETE", headers: bearer(ann.token) });
    expect(del.status).toBe(204);
    const after = await patchChunk(s.url, ann.token, uploadId, 0, new Uint8Array(5));
    expect(((await after.json()) as any).error.code).toBe("upload_not_found");
    const noAuth = await fetch(s.url + mediaPaths.uploads, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ size: 1, name: "x", purpose: "attachment" }) });
    expect(noAuth.status).toBe(401);
  });
});

describe("bounds", () => {
  test("at most limits.uploadsInProgressPerUserMax unfinished uploads per user; cancelling frees a slot", async () => {
    const p = await s.person("many");
    const ids: string[] = [];
    for (let i = 0; i < limits.uploadsInProgressPerUserMax; i++) {
      const res = await createUpload(s.url, p.token, { size: 10 });
      expect(res.status).toBe(201);
      ids.push(((await res.json()) as { uploadId: string }).uploadId);
    }
    const over = await createUpload(s.url, p.token, { size: 10 });
    expect(((await over.json()) as any).error).toMatchObject({ code: "limit_exceeded", data: { limit: "uploadsInProgressPerUserMax", max: limits.uploadsInProgressPerUserMax } });
    await fetch(s.url + mediaPaths.upload(ids[0]!), { method: "DELETE", headers: bearer(p.token) });
    expect((await createUpload(s.url, p.token, { size: 10 })).status).toBe(201);
  });
});

describe("quotas", () => {
  let q: Awaited<ReturnType<typeof startMediaServer>>;
  beforeAll(async () => {
    q = await startMediaServer({ set: ["media.fileBytesMax=600", "media.userQuotaBytes=1000", "media.serverQuotaBytes=1400", "media.uploadsPerMinute=4"] });
  });
  afterAll(() => q.stop());

  test("quota_exceeded carries the scope and the numbers; usage is visible to the user and to admins", async () => {
    const owner = await q.person("adm");
    await q.deps.storage.users.setRole(owner.id, "admin"); // setup: an admin (how one becomes admin has its own tests)
    const u = await q.person("u");
    const err = async (r: Response) => ((await r.json()) as any).error;
    expect(await err(await createUpload(q.url, u.token, { size: 601 }))).toMatchObject({ code: "quota_exceeded", data: { scope: "file", usedBytes: 601, limitBytes: 600 } });
    await uploadBytes(q.url, u.token, new Uint8Array(500).fill(1));
    expect(await err(await createUpload(q.url, u.token, { size: 501 }))).toMatchObject({ code: "quota_exceeded", data: { scope: "user", usedBytes: 500, limitBytes: 1000 } });
    expect(await u.request("media.usage", {})).toEqual({ usedBytes: 500, limitBytes: 1000, fileBytesMax: 600, uploadsInProgress: 0 });
    await uploadBytes(q.url, owner.token, new Uint8Array(600).fill(2));
    expect(await err(await createUpload(q.url, owner.token, { size: 301 }))).toMatchObject({ code: "quota_exceeded", data: { scope: "server", usedBytes: 1100, limitBytes: 1400 } });
    const stats = await owner.request("media.stats", {});
    expect(stats).toMatchObject({ usedBytes: 1100, limitBytes: 1400, mediaCount: 2, blobCount: 2, orphanBlobCount: 0 });
    expect(stats.topUsers[0]).toEqual({ userId: owner.id, usedBytes: 600 });
    await expect(u.request("media.stats", {})).rejects.toMatchObject({ code: "forbidden" });
    // the rate limit: 4 creates per minute (u made 3 so far: 601 refused counts too)
    await createUpload(q.url, u.token, { size: 1 });
    const limited = await err(await createUpload(q.url, u.token, { size: 1 }));
    expect(limited.code).toBe("rate_limited");
    expect(limited.data.retryAfterMs).toBeGreaterThan(0);
  });
});

describe("serving", () => {
  test("a PNG named .exe is served as image/png (sniffed), never by its name; nosniff and a sandboxing CSP", async () => {
    const m = await uploadBytes(s.url, ann.token, PNG_1X1, { name: "setup.exe" });
    expect(m).toMatchObject({ kind: "photo", mime: "image/png", name: "setup.exe", width: 1, height: 1, thumbs: true });
    const res = await get(ann, mediaPaths.original(m.id));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("image/png");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("content-security-policy")).toBe("default-src 'none'; sandbox");
    // served from the metadata-stripped copy, so it may be shown inline
    expect(res.headers.get("content-disposition")).toBe(`inline; filename="setup.exe"; filename*=UTF-8''setup.exe`);
    expect((await get(ann, `${mediaPaths.original(m.id)}?download=1`)).headers.get("content-disposition")!.startsWith("attachment;")).toBe(true);
  });

  test("a JPEG carrying GPS EXIF comes back without it, turned upright, with thumbnails and a placeholder", async () => {
    const sharp = (await import("sharp")).default;
    const jpeg = await sharp({ create: { width: 400, height: 300, channels: 3, background: "#3080ff" } })
      .jpeg()
      .withMetadata({ orientation: 6 })
      .withExifMerge({ IFD0: { Make: "HearthCam" }, IFD3: { GPSLatitudeRef: "N", GPSLatitude: "52/1 31/1 0/1", GPSLongitudeRef: "E", GPSLongitude: "13/1 24/1 0/1" } })
      .toBuffer();
    expect((await sharp(jpeg).metadata()).exif).toBeDefined();
    const m = await uploadBytes(s.url, ann.token, new Uint8Array(jpeg), { name: "holiday.jpg" });
    expect(m).toMatchObject({ kind: "photo", mime: "image/jpeg", width: 300, height: 400, thumbs: true });
    expect(typeof m.placeholder).toBe("string");
    const served = Buffer.from(await (await get(ann, mediaPaths.original(m.id))).arrayBuffer());
    const meta = await sharp(served).metadata();
    expect([meta.format, meta.width, meta.height, meta.exif, meta.orientation]).toEqual(["jpeg", 300, 400, undefined, undefined]);
    expect(served.includes(Buffer.from("HearthCam"))).toBe(false);
    const thumb = await get(ann, mediaPaths.thumb(m.id, 320));
    expect([thumb.status, thumb.headers.get("content-type")]).toEqual([200, "image/webp"]);
    expect((await sharp(Buffer.from(await thumb.arrayBuffer())).metadata()).exif).toBeUndefined();
  });

  test("SVG with a script and HTML are always attachments, with nosniff and the sandbox CSP", async () => {
    const svg = new TextEncoder().encode(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>`);
    const html = new TextEncoder().encode(`<!DOCTYPE html><html><body><script>alert(1)</script></body></html>`);
    for (const [bytes, name, mime] of [[svg, "cat.svg", "image/svg+xml"], [html, "page.html", "text/html"]] as const) {
      const m = await uploadBytes(s.url, ann.token, bytes, { name });
      expect(m.mime).toBe(mime);
      expect(m.kind).toBe("file");
      const res = await get(ann, mediaPaths.original(m.id));
      expect(res.headers.get("content-type")!.startsWith(mime)).toBe(true);
      expect(res.headers.get("content-disposition")!.startsWith("attachment;")).toBe(true);
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      expect(res.headers.get("content-security-policy")).toBe("default-src 'none'; sandbox");
    }
  });

  test("a file name with quotes, slashes and non-ASCII is stored clean and sent per RFC 6266/5987", async () => {
    const m = await uploadBytes(s.url, ann.token, new TextEncoder().encode("hello"), { name: `../a "b";\r\nX-Evil: 1 Ünïcødé 🎉.txt` });
    expect(m.name).not.toMatch(/[\r\n"\/]/);
    const cd = (await get(ann, mediaPaths.original(m.id))).headers.get("content-disposition")!;
    expect(cd).toMatch(/^attachment; filename="[\x20-\x7e]+"; filename\*=UTF-8''[A-Za-z0-9%._~!$&+^`|-]+$/);
    expect(decodeURIComponent(cd.split("UTF-8''")[1]!)).toBe(m.name);
  });

  test("Range gives 206 with the exact bytes; If-None-Match with the ETag gives 304", async () => {
    const bytes = Uint8Array.from({ length: 1000 }, (_, i) => i % 251);
    const m = await uploadBytes(s.url, ann.token, bytes);
    const part = await get(ann, mediaPaths.original(m.id), { range: "bytes=10-19" });
    expect(part.status).toBe(206);
    expect(part.headers.get("content-range")).toBe("bytes 10-19/1000");
    expect([...new Uint8Array(await part.arrayBuffer())]).toEqual([...bytes.subarray(10, 20)]);
    const tail = await get(ann, mediaPaths.original(m.id), { range: "bytes=-5" });
    expect([...new Uint8Array(await tail.arrayBuffer())]).toEqual([...bytes.subarray(995)]);
    expect((await get(ann, mediaPaths.original(m.id), { range: "bytes=5000-" })).status).toBe(416);
    const full = await get(ann, mediaPaths.original(m.id));
    const etag = full.headers.get("etag")!;
    expect(etag).toBe(`"${sha256(bytes)}"`);
    const again = await get(ann, mediaPaths.original(m.id), { "if-none-match": etag });
    expect(again.status).toBe(304);
    expect((await get(ann, mediaPaths.original(m.id), { "if-none-match": `"other"` })).status).toBe(200);
    const head = await fetch(s.url + mediaPaths.original(m.id), { method: "HEAD", headers: bearer(ann.token) });
    expect([head.status, head.headers.get("content-length"), head.headers.get("etag")]).toEqual([200, "1000", etag]);
    expect((await fetch(s.url + mediaPaths.original(m.id), { method: "HEAD", headers: bearer(cat.token) })).status).toBe(404);
  });
});

describe("the media tab (message.list_media)", () => {
  test("each tab pages its own messages, newest first; deleted ones and outsiders get nothing", async () => {
    const chatId = await group([ben]);
    const photo = async () => (await uploadBytes(s.url, ann.token, PNG_1X1, { chatId, name: "dot.png" })).id;
    const send = async (text: string, attachments: string[] = []) => (await ann.request("message.send", { chatId, clientId: cid(), text, attachments })).message;
    const p1 = await send("first photo", [await photo()]);
    const file = await send("the plan", [(await uploadBytes(s.url, ann.token, new TextEncoder().encode("packing list"), { chatId, name: "plan.txt" })).id]);
    await send("no media here");
    const link = await send("see https://example.org/trail for the route");
    const p2 = await send("second photo", [await photo()]);
    const gone = await send("deleted photo", [await photo()]);
    await ann.request("message.delete", { chatId, messageId: gone.id, forEveryone: true });
    const p3 = await send("third photo", [await photo()]);
    const ids = (r: { messages: { id: string }[] }) => r.messages.map((m) => m.id);
    const first = await ben.request("message.list_media", { chatId, kind: "photos", limit: 2 });
    expect([ids(first), first.hasMore]).toEqual([[p3.id, p2.id], true]);
    const rest = await ben.request("message.list_media", { chatId, kind: "photos", limit: 2, beforeSeq: first.messages[1]!.seq });
    expect([ids(rest), rest.hasMore]).toEqual([[p1.id], false]);
    expect(ids(await ben.request("message.list_media", { chatId, kind: "files" }))).toEqual([file.id]);
    expect(ids(await ben.request("message.list_media", { chatId, kind: "links" }))).toEqual([link.id]);
    expect(ids(await ben.request("message.list_media", { chatId, kind: "videos" }))).toEqual([]);
    await expect(cat.request("message.list_media", { chatId, kind: "photos" })).rejects.toMatchObject({ code: "not_found" });
    await expect(ben.request("message.list_media", { chatId, kind: "gifs" as never })).rejects.toMatchObject({ code: "invalid_field" });
  });
});

describe("who may read", () => {
  test("members of the chat read it; a removed member gets 404 for a file they could read before; outsiders 404", async () => {
    const chatId = await group([ben]);
    const m = await uploadBytes(s.url, ann.token, PNG_1X1, { chatId });
    expect((await get(ben, mediaPaths.original(m.id))).status).toBe(404); // not sent yet: only the uploader
    const sent = await ann.request("message.send", { chatId, clientId: cid(), text: "", attachments: [m.id] });
    expect(sent.message.attachments).toEqual([m]);
    expect((await get(ben, mediaPaths.original(m.id))).status).toBe(200);
    expect((await get(cat, mediaPaths.original(m.id))).status).toBe(404);
    await ann.request("member.remove", { chatId, userId: ben.id });
    const gone = await get(ben, mediaPaths.original(m.id));
    expect(gone.status).toBe(404);
    expect(((await gone.json()) as any).error.code).toBe("not_found");
    expect((await get(ben, "/media/NOSUCHID")).status).toBe(404);
  });

  test("an upload by someone removed from the chat meanwhile is refused: the PATCH, and the send", async () => {
    const chatId = await group([ben]);
    const done = await uploadBytes(s.url, ben.token, PNG_1X1, { chatId });
    const res = await createUpload(s.url, ben.token, { size: 100, chatId });
    const { uploadId } = (await res.json()) as { uploadId: string };
    await ann.request("member.remove", { chatId, userId: ben.id });
    const patch = await patchChunk(s.url, ben.token, uploadId, 0, new Uint8Array(50));
    expect(patch.status).toBe(404);
    expect(await uploadOffset(s.url, ben.token, uploadId)).toBeNull(); // dropped
    await expect(ben.request("message.send", { chatId, clientId: cid(), text: "x", attachments: [done.id] })).rejects.toMatchObject({ code: "not_found" });
    const page = await ann.request("message.list", { chatId, anchor: "latest", direction: "before" });
    expect(page.messages.some((m: any) => m.attachments)).toBe(false);
    expect((await createUpload(s.url, ben.token, { size: 1, chatId })).status).toBe(404);
  });

  test("the media cookie reads like the Bearer token and dies with its session", async () => {
    const m = await uploadBytes(s.url, cat.token, PNG_1X1);
    const login = await fetch(s.url + authPaths.login, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ username: cat.username, password: "correct horse battery staple", deviceName: "cookie" }) });
    const { accessToken } = (await login.json()) as { accessToken: string };
    const set = await fetch(s.url + mediaPaths.cookie, { method: "POST", headers: bearer(accessToken) });
    expect(set.status).toBe(204);
    const cookie = set.headers.get("set-cookie")!;
    expect(cookie).toMatch(/^hearth_media=[^;]+; Path=\/media; HttpOnly; SameSite=Strict; Max-Age=\d+$/);
    const value = cookie.split(";")[0]!;
    expect((await fetch(s.url + mediaPaths.original(m.id), { headers: { cookie: value } })).status).toBe(200);
    expect((await fetch(s.url + mediaPaths.original(m.id), { headers: { cookie: value.slice(0, -2) + "xx" } })).status).toBe(401);
    expect((await fetch(s.url + mediaPaths.original(m.id))).status).toBe(401);
    await fetch(s.url + authPaths.logout, { method: "POST", headers: bearer(accessToken) });
    expect((await fetch(s.url + mediaPaths.original(m.id), { headers: { cookie: value } })).status).toBe(401);
  });
});

describe("attachments on messages", () => {
  test("albums of up to 10 of your own finished media; more is too_many_attachments; text may be empty", async () => {
    const chatId = await group([ben]);
    const ids = [];
    for (let i = 0; i < 11; i++) ids.push((await uploadBytes(s.url, ann.token, new Uint8Array([i + 1, 2, 3]))).id);
    await expect(ann.request("message.send", { chatId, clientId: cid(), text: "", attachments: ids })).rejects.toMatchObject({ code: "too_many_attachments", data: { max: 10 } });
    await expect(ann.request("message.send", { chatId, clientId: cid(), text: "", attachments: [ids[0], ids[0]] })).rejects.toMatchObject({ code: "invalid_field" });
    await expect(ann.request("message.send", { chatId, clientId: cid(), text: "" })).rejects.toMatchObject({ code: "invalid_field" });
    const benOwn = await uploadBytes(s.url, ben.token, new Uint8Array([9]));
    await expect(ann.request("message.send", { chatId, clientId: cid(), text: "", attachments: [benOwn.id] })).rejects.toMatchObject({ code: "not_found" });
    const from = ben.events.length;
    const album = await ann.request("message.send", { chatId, clientId: cid(), text: "holiday", attachments: ids.slice(0, 10) });
    expect(album.message.attachments!.map((a: any) => a.id)).toEqual(ids.slice(0, 10));
    const created = await ben.event("message.created", (d: any) => d.message.id === album.message.id, from);
    expect(created.message.attachments!.length).toBe(10);
    const page = await ben.request("message.list", { chatId, anchor: "latest", direction: "before" });
    expect(page.messages.at(-1)!.attachments!.map((a: any) => a.id)).toEqual(ids.slice(0, 10));
    // edit changes the caption only
    const edited = await ann.request("message.edit", { chatId, messageId: album.message.id, text: "holiday!" });
    expect(edited.message.attachments!.length).toBe(10);
  });

  test("a forward keeps the attachments and lets the new chat read them; delete for everyone drops them", async () => {
    const a = await group([ben]);
    const m = await uploadBytes(s.url, ann.token, PNG_1X1);
    const sent = await ann.request("message.send", { chatId: a, clientId: cid(), text: "pic", attachments: [m.id] });
    const { entry } = await ben.request("chat.create", { kind: "group", clientId: cid(), title: "B", memberIds: [cat.id] });
    expect((await get(cat, mediaPaths.original(m.id))).status).toBe(404);
    const fwd = await ben.request("message.forward", { chatId: entry.chat.id, clientId: cid(), fromChatId: a, messageId: sent.message.id });
    expect(fwd.message.attachments!.map((x: any) => x.id)).toEqual([m.id]);
    expect((await get(cat, mediaPaths.original(m.id))).status).toBe(200);
    await ann.request("message.delete", { chatId: a, messageId: sent.message.id, forEveryone: true });
    const page = await ann.request("message.list", { chatId: a, anchor: "latest", direction: "before" });
    expect(page.messages.at(-1)!.attachments).toBeUndefined();
    expect((await get(cat, mediaPaths.original(m.id))).status).toBe(200); // still carried by the forward
  });
});

describe("posters and pictures", () => {
  test("a poster belongs to your own media, must be an image, and is served as the thumbnail", async () => {
    const video = await uploadBytes(s.url, ann.token, new Uint8Array([0, 0, 0, 0x18, 0x66, 0x74, 0x79, 0x70, 0x6d, 0x70, 0x34, 0x32, 0, 0, 0, 0, 0x6d, 0x70, 0x34, 0x32, 0x69, 0x73, 0x6f, 0x6d, 0, 0, 0, 8, 0x6d, 0x64, 0x61, 0x74]), { name: "clip.mp4" });
    expect(video).toMatchObject({ kind: "video", mime: "video/mp4", poster: false });
    expect((await createUpload(s.url, ben.token, { size: PNG_1X1.byteLength, purpose: "poster", mediaId: video.id })).status).toBe(404);
    const notImage = await createUpload(s.url, ann.token, { size: 5, purpose: "poster", mediaId: video.id });
    const { uploadId } = (await notImage.json()) as { uploadId: string };
    const refused = await patchChunk(s.url, ann.token, uploadId, 0, new TextEncoder().encode("hello"));
    expect(refused.status).toBe(415);
    expect(((await refused.json()) as any).error).toMatchObject({ code: "media_type_refused", data: { mime: "application/octet-stream", purpose: "poster" } });
    const withPoster = await uploadBytes(s.url, ann.token, PNG_1X1, { purpose: "poster", mediaId: video.id });
    expect(withPoster).toMatchObject({ id: video.id, poster: true });
    const poster = await get(ann, mediaPaths.poster(video.id));
    expect(poster.status).toBe(200);
    expect(poster.headers.get("content-type")).toBe("image/webp"); // re-encoded by the server: no metadata survives
    expect(poster.headers.get("content-disposition")!.startsWith("inline;")).toBe(true);
    expect((await get(ann, mediaPaths.thumb(video.id, 320))).status).toBe(200);
    expect((await get(ann, mediaPaths.thumb(video.id, 321))).status).toBe(404);
    const mp4 = await get(ann, mediaPaths.original(video.id));
    expect(mp4.headers.get("content-disposition")!.startsWith("inline;")).toBe(true);
  });

  test("avatars: profile.update and chat.set_avatar (like chat.rename) take your avatar media; anyone signed in reads them", async () => {
    const pic = await uploadBytes(s.url, ann.token, PNG_1X1, { purpose: "avatar", name: "me.png" });
    const notPic = await uploadBytes(s.url, ann.token, PNG_1X1);
    await expect(ann.request("profile.update", { avatarId: notPic.id })).rejects.toMatchObject({ code: "not_found" });
    const from = ann.events.length;
    const me = await ann.request("profile.update", { avatarId: pic.id });
    expect(me.avatar).toEqual({ id: pic.id, placeholder: pic.placeholder });
    await ann.event("user.updated", (d: any) => d.user.avatar?.id === pic.id, from);
    expect((await cat.request("user.get", { userId: ann.id })).avatar).toEqual(me.avatar);
    expect((await get(cat, mediaPaths.thumb(pic.id, 320))).status).toBe(200);
    expect((await get(cat, mediaPaths.original(pic.id))).status).toBe(200);
    const text = await uploadBytes(s.url, ann.token, new TextEncoder().encode("not a picture"), { purpose: "avatar" }).catch((e) => String(e));
    expect(text).toContain("media_type_refused");
    const chatId = await group([ben]);
    const benPic = await uploadBytes(s.url, ben.token, PNG_1X1, { purpose: "avatar" });
    await expect(ben.request("chat.set_avatar", { chatId, avatarId: benPic.id })).rejects.toMatchObject({ code: "forbidden" });
    const set = await ann.request("chat.set_avatar", { chatId, avatarId: pic.id });
    expect(set.chat.avatar).toEqual(me.avatar);
    expect((await ben.request("chat.get", { chatId })).chat.avatar).toEqual(me.avatar);
    expect((await ann.request("chat.set_avatar", { chatId, avatarId: null })).chat.avatar).toBeUndefined();
    expect((await ann.request("profile.update", { avatarId: null })).avatar).toBeUndefined();
  });
});

describe("without the server's image pipeline (images.enabled = false)", () => {
  let d: Awaited<ReturnType<typeof startMediaServer>>;
  beforeAll(async () => {
    d = await startMediaServer({ set: ["images.enabled=false"] });
  });
  afterAll(() => d.stop());

  test("an image gets no thumbnails and its original is a download; the client's poster becomes the thumbnail", async () => {
    const p = await d.person("deg");
    const m = await uploadBytes(d.url, p.token, PNG_1X1, { name: "photo.png" });
    expect(m).toMatchObject({ kind: "photo", mime: "image/png", thumbs: false, poster: false });
    expect(m.width).toBeUndefined();
    const original = await fetch(d.url + mediaPaths.original(m.id), { headers: bearer(p.token) });
    expect([original.status, original.headers.get("content-type")]).toEqual([200, "image/png"]);
    expect(original.headers.get("content-disposition")!.startsWith("attachment;")).toBe(true); // not stripped: never inline
    expect((await fetch(d.url + mediaPaths.thumb(m.id, 800), { headers: bearer(p.token) })).status).toBe(404);
    const withPoster = await uploadBytes(d.url, p.token, PNG_1X1, { purpose: "poster", mediaId: m.id });
    expect(withPoster).toMatchObject({ id: m.id, thumbs: false, poster: true });
    const thumb = await fetch(d.url + mediaPaths.thumb(m.id, 800), { headers: bearer(p.token) });
    expect([thumb.status, thumb.headers.get("content-type")]).toEqual([200, "image/png"]);
    expect(thumb.headers.get("content-disposition")!.startsWith("inline;")).toBe(true);
  });
});

describe("server-made media (link-preview images)", () => {
  test("storeServerImage: any signed-in user reads it inline, original and thumbnails", async () => {
    const { storeServerImage } = await import("../src/media/server-media.ts");
    const m = await storeServerImage(s.deps, { bytes: PNG_1X1, mime: "image/png", width: 1, height: 1, name: "preview.png" });
    for (const path of [mediaPaths.original(m.id), mediaPaths.thumb(m.id, 800)]) {
      const res = await get(cat, path);
      expect([res.status, res.headers.get("content-type")]).toEqual([200, "image/png"]);
      expect(res.headers.get("content-disposition")!.startsWith("inline;")).toBe(true);
    }
    expect((await fetch(s.url + mediaPaths.original(m.id))).status).toBe(401);
  });
});

describe("voice messages and videos", () => {
  const fixture = async (name: string) => new Uint8Array(await Bun.file(new URL(`./fixtures/media/${name}`, import.meta.url).pathname).arrayBuffer());

  test("a recorded voice message keeps its waveform, gets its duration from the container, and plays inline with Range", async () => {
    const chatId = await group([ben]);
    const bytes = await fixture("voice-1500ms-recorded.webm");
    const waveform = Buffer.from(Array.from({ length: 64 }, (_, i) => (i * 4) % 256)).toString("base64");
    const v = await uploadBytes(s.url, ann.token, bytes, { purpose: "voice", name: "voice.webm", waveform, durationMs: 99_999, chatId });
    expect(v).toMatchObject({ kind: "voice", mime: "audio/webm", waveform });
    expect(Math.abs(v.durationMs! - 1500)).toBeLessThan(200); // the container's, not the client's hint
    const sent = await ann.request("message.send", { chatId, clientId: cid(), text: "", attachments: [v.id] });
    expect(sent.message.attachments![0]).toEqual(v);
    const part = await get(ben, mediaPaths.original(v.id), { range: "bytes=0-99" });
    expect([part.status, part.headers.get("content-type")]).toEqual([206, "audio/webm"]);
    expect(part.headers.get("content-disposition")!.startsWith("inline;")).toBe(true);
    const badWave = await createUpload(s.url, ann.token, { size: 10, purpose: "voice", waveform: Buffer.alloc(129).toString("base64") });
    expect(((await badWave.json()) as any).error).toMatchObject({ code: "invalid_field", data: { field: "waveform" } });
    const notAudio = await uploadBytes(s.url, ann.token, PNG_1X1, { purpose: "voice" }).catch((e) => String(e));
    expect(notAudio).toContain("media_type_refused");
  });

  test("a video gets its dimensions and duration from the container and is served inline for seeking", async () => {
    const bytes = await fixture("video-2s-64x48.webm");
    const m = await uploadBytes(s.url, ann.token, bytes, { name: "clip.webm" });
    expect(m).toMatchObject({ kind: "video", mime: "video/webm", width: 64, height: 48, thumbs: false, poster: false });
    expect(Math.abs(m.durationMs! - 2000)).toBeLessThan(200);
    const mid = Math.floor(bytes.byteLength / 2);
    const part = await get(ann, mediaPaths.original(m.id), { range: `bytes=${mid}-` });
    expect(part.status).toBe(206);
    expect(part.headers.get("content-range")).toBe(`bytes ${mid}-${bytes.byteLength - 1}/${bytes.byteLength}`);
    expect(new Uint8Array(await part.arrayBuffer())).toEqual(bytes.subarray(mid));
  });
});

describe("a lost part file", () => {
  test("an upload whose stored bytes vanished from disk is gone (upload_not_found), never filled with zeros", async () => {
    const { rmSync } = await import("node:fs");
    const res = await createUpload(s.url, ann.token, { size: 100 });
    const { uploadId } = (await res.json()) as { uploadId: string };
    expect((await patchChunk(s.url, ann.token, uploadId, 0, new Uint8Array(40).fill(7))).status).toBe(204);
    rmSync(`${s.t.dir}/media/uploads/${uploadId}.part`);
    const next = await patchChunk(s.url, ann.token, uploadId, 40, new Uint8Array(60).fill(8));
    expect(next.status).toBe(404);
    expect(((await next.json()) as any).error.code).toBe("upload_not_found");
    expect(await uploadOffset(s.url, ann.token, uploadId)).toBeNull();
  });
});
