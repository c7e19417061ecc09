import { expect, test } from "vitest";
import { addUpTo, albumRows, aspect, clampIndex, doubleTapScale, fileSize, firstUrl, gatherMedia, pictureUrl, pinchScale, swipeStep, thumbWidthFor } from "./logic.ts";

test("an album takes at most 10 files and says how many did not fit", () => {
  expect(addUpTo([1, 2, 3], [4, 5])).toEqual({ list: [1, 2, 3, 4, 5], refused: 0 });
  const r = addUpTo([1, 2, 3, 4, 5, 6, 7, 8], [9, 10, 11, 12]);
  expect(r.list).toHaveLength(10);
  expect(r.refused).toBe(2);
  expect(addUpTo(Array.from({ length: 10 }, (_, i) => i), [1]).refused).toBe(1);
});

test("album rows hold every tile once, three at most in a row", () => {
  for (let n = 1; n <= 10; n++) {
    const rows = albumRows(n);
    expect(rows.reduce((a, b) => a + b, 0)).toBe(n);
    expect(Math.max(...rows)).toBeLessThanOrEqual(3);
  }
  expect(albumRows(3)).toEqual([1, 2]);
});

test("file sizes, thumbnail widths, pictures", () => {
  expect(fileSize(999)).toBe("999 B");
  expect(fileSize(1_234_567)).toBe("1.2 MB");
  expect(fileSize(1_234_567, "de-DE")).toBe("1,2 MB");
  expect(thumbWidthFor(300, 1)).toBe(320);
  expect(thumbWidthFor(300, 2)).toBe(800);
  expect(thumbWidthFor(1000, 2)).toBe(1280);
  expect(pictureUrl({ id: "m1", kind: "photo", thumbs: true, poster: false }, 800)).toBe("/media/m1/thumb/800");
  expect(pictureUrl({ id: "m1", kind: "photo", thumbs: false, poster: false }, 800)).toBe("/media/m1");
  expect(pictureUrl({ id: "v", kind: "video", thumbs: false, poster: true }, 320)).toBe("/media/v/poster");
  expect(pictureUrl({ id: "v", kind: "video", thumbs: false, poster: false }, 320)).toBeNull();
  expect(pictureUrl({ id: "f", kind: "file", thumbs: false, poster: false }, 320)).toBeNull();
  expect(aspect({ width: 4000, height: 1000 })).toBe(2);
  expect(aspect({})).toBeCloseTo(4 / 3);
});

test("the first link of a text, without the punctuation around it", () => {
  expect(firstUrl("see https://example.org/a?b=1, then")).toBe("https://example.org/a?b=1");
  expect(firstUrl("(https://en.wikipedia.org/wiki/Bun_(software))")).toBe("https://en.wikipedia.org/wiki/Bun_(software)");
  expect(firstUrl("(at https://example.org/x)")).toBe("https://example.org/x");
  expect(firstUrl("two: http://a.example/ and https://b.example/")).toBe("http://a.example/");
  expect(firstUrl("no link, ftp://x.example and mailto:a@b")).toBeNull();
  expect(firstUrl("https://")).toBeNull();
});

test("zoom and swipe rules", () => {
  expect(pinchScale(1, 100, 200)).toBe(2);
  expect(pinchScale(3, 100, 400)).toBe(4);
  expect(pinchScale(1, 100, 50)).toBe(1);
  expect(doubleTapScale(1)).toBe(2.5);
  expect(doubleTapScale(2.5)).toBe(1);
  expect(swipeStep(-120, 10, 390)).toBe(-1);
  expect(swipeStep(120, 10, 390)).toBe(1);
  expect(swipeStep(-30, 0, 390)).toBe(0);
  expect(swipeStep(-100, 150, 390)).toBe(0);
  expect(clampIndex(5, 3)).toBe(2);
  expect(clampIndex(-1, 3)).toBe(0);
});

test("the media tab sorts a chat's files by kind and lists each link once, newest first", () => {
  const a = (id: string, kind: "photo" | "video" | "file" | "voice" | "audio") => ({ id, kind, mime: "x", name: id, size: 1, thumbs: false, poster: false });
  const g = gatherMedia([
    { id: "m1", seq: 1, createdAt: 1, text: "see https://a.example/x and https://b.example/", deletedAt: null },
    { id: "m2", seq: 2, createdAt: 2, text: "", deletedAt: null, attachments: [a("p1", "photo"), a("v1", "video"), a("f1", "file")] },
    { id: "m3", seq: 3, createdAt: 3, text: "again https://a.example/x", deletedAt: null, preview: { url: "https://a.example/x", title: "A" }, attachments: [a("vo", "voice"), a("au", "audio")] },
    { id: "m4", seq: 4, createdAt: 4, text: "gone", deletedAt: 5, attachments: [a("p9", "photo")] },
  ]);
  expect(g.photos.map((e) => e.a!.id)).toEqual(["p1"]);
  expect(g.videos.map((e) => e.a!.id)).toEqual(["v1"]);
  expect(g.files.map((e) => e.a!.id)).toEqual(["au", "f1"]);
  expect(g.voice.map((e) => e.a!.id)).toEqual(["vo"]);
  expect(g.links.map((e) => [e.url, e.title])).toEqual([["https://a.example/x", "A"], ["https://b.example/", undefined]]);
});

test("a thumbhash from the server decodes to a small picture of the right shape", async () => {
  const { rgbaToThumbHash } = await import("thumbhash");
  const { decodeHash } = await import("./Placeholder.tsx");
  const w = 100, h = 50;
  const rgba = new Uint8Array(w * h * 4).map((_, i) => (i % 4 === 3 ? 255 : i % 4 === 0 ? 200 : 80));
  const b64 = btoa(String.fromCharCode(...rgbaToThumbHash(w, h, rgba)));
  const img = decodeHash(b64)!;
  expect(img.w / img.h).toBeGreaterThan(1.5);
  expect(img.rgba[0]).toBeGreaterThan(150); // mostly red
  expect(decodeHash("not base64!")).toBeNull();
  expect(decodeHash("")).toBeNull();
});
