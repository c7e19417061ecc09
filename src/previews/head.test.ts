// The head parser: Open Graph first, twitter:* and <title>/description as fallbacks,
// entities decoded, strings bounded, nothing from the body, null without metadata.
import { describe, expect, test } from "bun:test";
import { limits } from "../limits.ts";
import { clean, decodeEntities, headText, parseHead } from "./head.ts";

const page = new URL("https://news.example/a/b?c=1");
const bytes = (s: string) => new TextEncoder().encode(s);

describe("parseHead", () => {
  test("Open Graph wins over twitter:* and <title>; relative images resolve against the page", async () => {
    const head = `<head><title>Plain</title><meta name="twitter:title" content="Tweet"><meta property="og:title" content="OG &amp; co">
      <meta name="description" content="meta desc"><meta property="og:site_name" content="News 🗞️"><meta property="og:image" content="/i/1.jpg"></head>`;
    expect(await parseHead(head, page)).toEqual({ title: "OG & co", description: "meta desc", siteName: "News 🗞️", imageUrl: "https://news.example/i/1.jpg" });
  });
  test("fallbacks: twitter:title, then <title>; twitter:image; non-http images dropped", async () => {
    expect(await parseHead(`<meta name="twitter:title" content="T"><meta name="twitter:image" content="https://cdn.example/x.png">`, page)).toEqual({
      title: "T",
      imageUrl: "https://cdn.example/x.png",
    });
    expect(await parseHead(`<title>  Only\n\t a   title </title><meta property="og:image" content="javascript:alert(1)">`, page)).toEqual({ title: "Only a title" });
  });
  test("no title and no description: null (an image alone is no preview)", async () => {
    expect(await parseHead(`<meta charset="utf-8"><meta property="og:image" content="/x.png"><title>   </title>`, page)).toBeNull();
    expect(await parseHead("", page)).toBeNull();
  });
  test("only the head: headText cuts at </head> or <body>", async () => {
    const html = `<html><head><title>Head</title></head><body><meta property="og:title" content="Body"></body>`;
    expect(await parseHead(headText(bytes(html), "text/html"), page)).toEqual({ title: "Head" });
    expect(headText(bytes("<title>x</title><body><title>y</title>"), "text/html")).toBe("<title>x</title>");
  });
  test("the charset of Content-Type or <meta charset> decodes the bytes", () => {
    const latin1 = Uint8Array.from([...'<meta charset="iso-8859-1"><title>caf'].map((c) => c.charCodeAt(0)).concat([0xe9]));
    expect(headText(latin1, "text/html")).toContain("café");
    expect(headText(Uint8Array.from([0x3c, 0x74, 0x3e, 0xe9]), "text/html; charset=windows-1252")).toBe("<t>é");
  });
  test("every string is bounded", async () => {
    const long = "x".repeat(10_000);
    const got = await parseHead(`<title>${long}</title><meta name="description" content="${long}"><meta property="og:site_name" content="${long}">`, page);
    expect([...got!.title!].length).toBe(limits.previewTitleLengthMax);
    expect([...got!.description!].length).toBe(limits.previewDescriptionLengthMax);
    expect([...got!.siteName!].length).toBe(limits.previewSiteNameLengthMax);
    expect(got!.title!.endsWith("…")).toBe(true);
  });
});

describe("clean and decodeEntities", () => {
  test("named, decimal and hex entities; unknown ones stay; invalid code points become U+FFFD", () => {
    expect(decodeEntities("&lt;b&gt; &quot;q&quot; &#39;s&#x27; &hellip; &#128512; &bogus; &#xD800;")).toBe(`<b> "q" 's' … 😀 &bogus; \ufffd`);
  });
  test("controls and bidi overrides become spaces, whitespace collapses, cut on code points", () => {
    expect(clean("a\u0000b\u202ec\n\n d", 100)).toBe("a b c d");
    expect(clean("😀😀😀😀", 3)).toBe("😀😀…");
  });
});

describe("any bytes", () => {
  test("random head-like input never throws, and every answer is bounded, plain and http(s)", async () => {
    const { seededRng } = await import("../../tests/support/seed.ts");
    const rng = seededRng("head parser fuzz");
    const pieces = ["<head>", "</head>", "<title>", "</title>", "<meta ", 'property="og:title" ', 'name="description" ', 'content="', '"', "'", ">", "/>", "&amp;", "&#x", "&#", ";",
      "<!--", "-->", "<script>", "</script>", "<body>", "\u0000", "\u202e", "😀", "é", " ", "\n", "x".repeat(500), 'property="og:image" content="javascript:x"', 'content="//evil.example/a.png"'];
    for (let i = 0; i < 300; i++) {
      const parts: string[] = [];
      for (let n = rng.int(60); n > 0; n--) parts.push(rng.int(5) === 0 ? new TextDecoder().decode(rng.bytes(rng.int(20))) : rng.pick(pieces));
      const body = new TextEncoder().encode(parts.join(""));
      const got = await parseHead(headText(body, rng.pick(["text/html", "text/html; charset=utf-8", "text/html; charset=bogus-9", "text/html; charset=iso-8859-1"])), page);
      if (!got) continue;
      expect(got.title || got.description).toBeTruthy();
      if (got.title) expect([...got.title].length).toBeLessThanOrEqual(limits.previewTitleLengthMax);
      if (got.description) expect([...got.description].length).toBeLessThanOrEqual(limits.previewDescriptionLengthMax);
      if (got.siteName) expect([...got.siteName].length).toBeLessThanOrEqual(limits.previewSiteNameLengthMax);
      for (const s of [got.title, got.description, got.siteName]) if (s) expect(s).not.toMatch(/[\u0000-\u001f\u202e]/);
      if (got.imageUrl) expect(got.imageUrl).toMatch(/^https?:\/\//);
    }
  });
});
