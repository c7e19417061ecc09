// Link previews against a real web site on loopback (tests/previews-site.ts). The
// fetcher is driven directly for the refusal table — each refusal with its reason, and
// /secret proving nothing refused was reached — and the whole feature through a real
// server over WebSocket: preview.get, the cache, the rate limit, message.send, edit,
// forward. Loopback is itself refused, so the resolver stub plus previews.allowHosts =
// site.test is the ONE way in; every other name or literal address must be refused.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { startChatsServer } from "./support/chats.ts";
import { limits } from "../src/limits.ts";
import { parseAllowList } from "../src/previews/address.ts";
import { type FetcherDeps, fetchChecked } from "../src/previews/fetch.ts";
import { previewsModule } from "../src/previews/module.ts";
import { bearer, type MediaPerson, startMediaServer } from "./support/media.ts";
import { mediaPaths } from "../src/protocol/media.ts";
import { type Site, startSite } from "./previews-site.ts";

setDefaultTimeout(30_000);

let site: Site;
let fetcher: FetcherDeps;
beforeAll(() => {
  site = startSite();
  fetcher = { ...site.options, allow: parseAllowList(["site.test"]) };
});
afterAll(() => site.stop());

const page = (url: string) => fetchChecked(fetcher, url, { kind: "html", bytesMax: limits.previewBodyBytesMax, deadlineMs: limits.previewFetchDeadlineMs });
const reason = async (url: string) => {
  const r = await page(url);
  return r.ok ? "ok" : r.reason;
};

describe("the fetcher (real HTTP on loopback)", () => {
  test("the allowed path: an allowlisted name, port 80, text/html, read up to </head>", async () => {
    const r = await page("http://site.test/ok");
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.url.href).toBe("http://site.test/ok");
    const text = new TextDecoder().decode(r.body);
    expect(text).toContain("og:title");
    expect(r.complete).toBe(false); // stopped at </head>: the 10 kB body was not read to its end
  });

  const refusedRedirects: [string, string][] = [
    ["http://127.0.0.1/secret", "address_loopback:127.0.0.1"],
    ["http://169.254.169.254/secret", "address_linkLocal:169.254.169.254"],
    ["http://[::1]/secret", "address_loopback:::1"],
    ["http://10.0.0.1/secret", "address_private:10.0.0.1"],
    ["http://[::ffff:127.0.0.1]/secret", "address_loopback:::ffff:7f00:1"],
    ["http://0.0.0.0/secret", "address_unspecified:0.0.0.0"],
    ["http://100.64.0.1/secret", "address_carrierGradeNat:100.64.0.1"],
    ["http://[fd00::1]/secret", "address_uniqueLocal:fd00::1"],
    ["http://localhost/secret", "address_loopback:127.0.0.1"],
    ["http://www.site.test/secret", "address_loopback:127.0.0.1"], // resolves to loopback, not allowlisted
    ["http://metadata.test/secret", "address_linkLocal:169.254.169.254"],
    ["http://site.test:8080/secret", "target_port"],
    ["https://site.test:8443/secret", "target_port"],
    ["http://user:pw@site.test/secret", "target_credentials"],
    ["file:///etc/passwd", "target_scheme"],
    ["gopher://site.test/secret", "target_scheme"],
  ];
  for (const [to, why] of refusedRedirects) {
    test(`a redirect to ${to} is refused (${why}) and never reached`, async () => {
      const before = site.hitsOf("/secret");
      expect(await reason(`http://site.test/redirect?to=${encodeURIComponent(to)}`)).toBe(why);
      expect(site.hitsOf("/secret")).toBe(before);
    });
  }

  test("names that resolve to a private address are refused without a connection", async () => {
    const before = site.hitsOf("/secret");
    expect(await reason("http://www.site.test/secret")).toBe("address_loopback:127.0.0.1");
    expect(await reason("http://intranet.test/secret")).toBe("address_private:10.0.0.5");
    expect(await reason("http://v6.test/secret")).toBe("address_loopback:::1");
    expect(await reason("http://mapped.test/secret")).toBe("address_loopback:::ffff:127.0.0.1");
    // EVERY address must pass: one public address does not excuse a loopback one
    expect(await reason("http://mixed.test/secret")).toBe("address_loopback:127.0.0.1");
    expect(await reason("http://unknown.test/secret")).toBe("resolve_failed");
    expect(site.hitsOf("/secret")).toBe(before);
  });

  test("the connection goes to the checked address: one resolution per hop, none by the HTTP client (no rebinding)", async () => {
    const asked: string[] = [];
    // A rebinding resolver: the first answer passes the check, any later one would point inside.
    const rebinding: FetcherDeps = {
      ...fetcher,
      allow: parseAllowList(["127.0.0.0/8"]),
      resolve: async (h) => (asked.push(h), asked.length === 1 ? ["127.0.0.1"] : ["10.0.0.1"]),
    };
    const r = await fetchChecked(rebinding, "http://rebind.test/ok", { kind: "html", bytesMax: limits.previewBodyBytesMax, deadlineMs: 5000 });
    expect(r.ok).toBe(true); // 10.0.0.1 would not answer: the socket used the checked 127.0.0.1
    expect(asked).toEqual(["rebind.test"]);
    asked.length = 0;
    const hop = await fetchChecked(rebinding, "http://rebind.test/redirect?to=%2Fok", { kind: "html", bytesMax: limits.previewBodyBytesMax, deadlineMs: 5000 });
    expect(hop).toEqual({ ok: false, reason: "address_private:10.0.0.1" }); // the redirect was resolved and checked again
    expect(asked).toEqual(["rebind.test", "rebind.test"]);
  });

  test("a port other than 80/443 is refused before anything is resolved", async () => {
    let asked = 0;
    const counting: FetcherDeps = { ...fetcher, resolve: async (h) => (asked++, site.options.resolve(h)) };
    const r = await fetchChecked(counting, "http://site.test:81/ok", { kind: "html", bytesMax: 1000, deadlineMs: 1000 });
    expect(r).toEqual({ ok: false, reason: "target_port" });
    expect(asked).toBe(0);
  });

  test(`at most ${limits.previewRedirectsMax} redirects, each re-checked`, async () => {
    expect(await reason(`http://site.test/chain/${limits.previewRedirectsMax}`)).toBe("ok");
    const before = site.hitsOf("/chain/0");
    expect(await reason(`http://site.test/chain/${limits.previewRedirectsMax + 1}`)).toBe("too_many_redirects");
    expect(site.hitsOf("/chain/0")).toBe(before); // the 6th redirect was not followed
  });

  test("a body that never finishes its head hits the deadline", async () => {
    expect(await reason("http://site.test/slow")).toBe("deadline");
  });

  test("a huge body is aborted at the cap, streamed or declared", async () => {
    expect(await reason("http://site.test/huge")).toBe("too_big");
    expect(await reason("http://site.test/huge-declared")).toBe("too_big");
  });

  test("https keeps certificate checks: a certificate the server does not trust is refused", async () => {
    const before = site.hitsOf("/secret");
    expect(await reason("https://site.test/secret")).toBe("tls_untrusted");
    expect(site.hitsOf("/secret")).toBe(before);
  });

  test("only text/html is read", async () => {
    expect(await reason("http://site.test/json")).toBe("content_type");
    expect(await reason("http://site.test/image.png")).toBe("content_type");
  });

  test("an allowlisted CIDR admits its addresses for any name", async () => {
    const cidr: FetcherDeps = { ...site.options, allow: parseAllowList(["127.0.0.0/8"]) };
    const r = await fetchChecked(cidr, "http://www.site.test/ok", { kind: "html", bytesMax: limits.previewBodyBytesMax, deadlineMs: 5000 });
    expect(r.ok).toBe(true);
    const v6 = await fetchChecked(cidr, "http://v6.test/ok", { kind: "html", bytesMax: 1000, deadlineMs: 5000 });
    expect(v6).toEqual({ ok: false, reason: "address_loopback:::1" }); // ::1 is not in 127.0.0.0/8
  });
});

describe("link previews over WebSocket", () => {
  let s: Awaited<ReturnType<typeof startMediaServer>>;
  let alice: MediaPerson;
  let bob: MediaPerson;
  beforeAll(async () => {
    s = await startMediaServer({ modules: (deps) => [previewsModule(deps)], set: ["previews.allowHosts=site.test"], previews: site.options });
    [alice, bob] = await Promise.all([s.person("alice"), s.person("bob")]);
  });
  afterAll(() => s?.stop());

  // /image.png is web/public/icon-192.png: re-encoded by the server, 192 × 192
  const image = { id: expect.any(String), width: 192, height: 192, placeholder: expect.any(String) };
  const expected = (url: string) => ({ url, title: "Hearth & friends 🏡", description: "A messenger for families – and offices.", siteName: "Hearth", image });

  test("preview.get answers the page's preview, then from the cache", async () => {
    const before = site.hitsOf("/ok");
    expect(await alice.request("preview.get", { url: "http://site.test/ok" })).toEqual({ preview: expected("http://site.test/ok") });
    expect(await bob.request("preview.get", { url: "http://site.test/ok#section" })).toEqual({ preview: expected("http://site.test/ok#section") });
    expect(site.hitsOf("/ok")).toBe(before + 1); // one fetch for both (the fragment is not part of the key)
  });

  test("the image is the server's re-encoded copy (WebP, no metadata), readable by any signed-in user, fetched once", async () => {
    const sharp = (await import("sharp")).default;
    const jpeg = await sharp({ create: { width: 1600, height: 900, channels: 3, background: "#d04020" } })
      .jpeg()
      .withExifMerge({ IFD0: { Make: "HearthCam" }, IFD3: { GPSLatitudeRef: "N", GPSLatitude: "52/1 31/1 0/1", GPSLongitudeRef: "E", GPSLongitude: "13/1 24/1 0/1" } })
      .toBuffer();
    site.put("/gps.jpg", new Uint8Array(jpeg), "image/jpeg");
    site.put("/gps", `<head><meta property="og:title" content="Holiday"><meta property="og:image" content="http://site.test/gps.jpg"></head>`, "text/html");
    const { preview } = await alice.request("preview.get", { url: "http://site.test/gps" });
    expect(preview).toEqual({ url: "http://site.test/gps", title: "Holiday", image: { id: expect.any(String), width: 1200, height: 675, placeholder: expect.any(String) } });
    await bob.request("preview.get", { url: "http://site.test/gps" });
    expect(site.hitsOf("/gps.jpg")).toBe(1);
    for (const path of [mediaPaths.original(preview!.image!.id), mediaPaths.thumb(preview!.image!.id, 320)]) {
      const res = await fetch(s.url + path, { headers: bearer(bob.token) }); // bob never asked the site for it
      expect([res.status, res.headers.get("content-type")]).toEqual([200, "image/webp"]);
      const bytes = Buffer.from(await res.arrayBuffer());
      expect((await sharp(bytes).metadata()).exif).toBeUndefined();
      expect(bytes.includes(Buffer.from("HearthCam"))).toBe(false);
    }
    expect((await fetch(s.url + mediaPaths.original(preview!.image!.id))).status).toBe(401); // signed-in users only
  });

  test("an image URL that is not public, not an image or too big gives a preview without image, and is never reached", async () => {
    const before = site.hitsOf("/secret");
    for (const [path, img] of [
      ["/img-internal", "http://127.0.0.1/secret"],
      ["/img-metadata", "http://169.254.169.254/secret"],
      ["/img-redirect", "http://site.test/redirect?to=http%3A%2F%2F%5B%3A%3A1%5D%2Fsecret"],
      ["/img-json", "http://site.test/json"],
      ["/img-html", "http://site.test/ok"],
      ["/img-port", "http://site.test:8080/image.png"],
    ] as const) {
      site.put(path, `<head><title>T ${path}</title><meta property="og:image" content="${img}"></head>`, "text/html");
      expect((await alice.request("preview.get", { url: `http://site.test${path}` })).preview).toEqual({ url: `http://site.test${path}`, title: `T ${path}` });
    }
    expect(site.hitsOf("/secret")).toBe(before);
  });

  test("concurrent asks for one URL make one fetch", async () => {
    const got = await Promise.all([alice, bob, alice, bob].map((p) => p.request("preview.get", { url: "http://site.test/ok2" })));
    expect(got.every((g) => g.preview?.title === "Hearth & friends 🏡")).toBe(true);
    expect(site.hitsOf("/ok2")).toBe(1);
  });

  test("<title> alone makes a preview; a head without metadata is null, and that is cached too", async () => {
    expect((await alice.request("preview.get", { url: "http://site.test/title-only" })).preview).toEqual({ url: "http://site.test/title-only", title: "Just a <title>" });
    expect(await alice.request("preview.get", { url: "http://site.test/no-meta" })).toEqual({ preview: null });
    expect(await bob.request("preview.get", { url: "http://site.test/no-meta" })).toEqual({ preview: null });
    expect(site.hitsOf("/no-meta")).toBe(1);
  });

  test("refused, slow, huge and non-HTML pages are null (the client is not told why)", async () => {
    const before = site.hitsOf("/secret");
    for (const url of [
      "http://site.test/redirect?to=http%3A%2F%2F127.0.0.1%2Fsecret",
      "http://site.test/redirect?to=http%3A%2F%2F%5B%3A%3A1%5D%2Fsecret",
      "http://www.site.test/secret",
      "http://169.254.169.254/secret",
      "http://site.test/json",
      "http://site.test/huge",
    ]) {
      expect({ url, ...(await alice.request("preview.get", { url })) }).toEqual({ url, preview: null });
    }
    expect(site.hitsOf("/secret")).toBe(before);
    const metrics = s.deps.metrics.render();
    expect(metrics).toMatch(/hearth_link_preview_fetches_total\{result="refused"\} [1-9]/);
    expect(metrics).toMatch(/hearth_link_preview_fetches_total\{result="failed"\} [1-9]/);
  });

  test("a URL that is no preview candidate is invalid_field with the reason", async () => {
    const reasonOf = async (url: string) => {
      try {
        await alice.request("preview.get", { url });
        return "ok";
      } catch (e) {
        const err = e as { code: string; data?: { field: string; reason: string } };
        return `${err.code}:${err.data?.field}:${err.data?.reason}`;
      }
    };
    expect(await reasonOf("not a url")).toBe("invalid_field:url:malformed");
    expect(await reasonOf("ftp://site.test/x")).toBe("invalid_field:url:scheme");
    expect(await reasonOf("http://site.test:8080/x")).toBe("invalid_field:url:port");
    expect(await reasonOf("http://a:b@site.test/x")).toBe("invalid_field:url:credentials");
    expect(await reasonOf(`http://site.test/${"x".repeat(limits.previewUrlLengthMax)}`)).toBe("invalid_field:url:too_long");
  });

  test(`preview.get is rate-limited per user (${limits.previewRequestsPerUserPerMinute} a minute)`, async () => {
    const carol = await s.person("carol");
    const codes: string[] = [];
    for (let i = 0; i <= limits.previewRequestsPerUserPerMinute; i++) codes.push(await carol.code("preview.get", { url: "http://site.test/ok" }));
    expect(codes.slice(0, -1).every((c) => c === "ok")).toBe(true);
    expect(codes.at(-1)).toBe("rate_limited");
    expect(await bob.code("preview.get", { url: "http://site.test/ok" })).toBe("ok"); // others are unaffected
  });

  test("message.send attaches the preview of a URL in the text; every member gets it; null or absent sends none", async () => {
    const { entry } = await alice.request("chat.create", { kind: "group", clientId: "pv1", title: "Links", memberIds: [bob.id] });
    const chatId = entry.chat.id;
    const from = bob.events.length;
    const text = "look: http://site.test/ok3 !";
    const { message } = await alice.request("message.send", { chatId, clientId: "m1", text, preview: { url: "http://site.test/ok3" } });
    expect(message.preview).toEqual(expected("http://site.test/ok3")); // not cached before: fetched within the send
    const created = await bob.event("message.created", (d) => d.message.id === message.id, from);
    expect(created.message.preview).toEqual(expected("http://site.test/ok3"));
    const list = await bob.request("message.list", { chatId, anchor: "latest", direction: "before" });
    expect(list.messages.at(-1)!.preview).toEqual(expected("http://site.test/ok3"));
    const removed = await alice.request("message.send", { chatId, clientId: "m2", text, preview: null });
    expect("preview" in removed.message).toBe(false);
    const absent = await alice.request("message.send", { chatId, clientId: "m3", text });
    expect("preview" in absent.message).toBe(false);
    const noMeta = await alice.request("message.send", { chatId, clientId: "m4", text: "http://site.test/no-meta", preview: { url: "http://site.test/no-meta" } });
    expect("preview" in noMeta.message).toBe(false); // no preview found: sent without one
    expect(await alice.code("message.send", { chatId, clientId: "m5", text: "no link", preview: { url: "http://site.test/ok" } })).toBe("invalid_field");
    expect(await alice.code("message.send", { chatId, clientId: "m6", text: "ftp://x.test/", preview: { url: "ftp://x.test/" } })).toBe("invalid_field");
  });

  test("someone who may not send there fetches nothing: not_found first", async () => {
    const { entry } = await alice.request("chat.create", { kind: "group", clientId: "pv2", title: "Private", memberIds: [] });
    const mallory = await s.person("mallory");
    const before = site.hitsOf("/chain/0");
    const url = "http://site.test/chain/0";
    expect(await mallory.code("message.send", { chatId: entry.chat.id, clientId: "x1", text: url, preview: { url } })).toBe("not_found");
    expect(site.hitsOf("/chain/0")).toBe(before);
  });

  test("an edit keeps the preview while the URL stays in the text, drops it when it goes; a forward copies it", async () => {
    const { entry } = await alice.request("chat.create", { kind: "group", clientId: "pv3", title: "Edits", memberIds: [bob.id] });
    const chatId = entry.chat.id;
    const url = "http://site.test/ok";
    const { message } = await alice.request("message.send", { chatId, clientId: "e1", text: `${url} first`, preview: { url } });
    expect(message.preview!.url).toBe(url);
    const savedId = (await bob.request("chat.create", { kind: "saved" })).entry.chat.id;
    const fwd = await bob.request("message.forward", { chatId: savedId, clientId: "f1", fromChatId: chatId, messageId: message.id });
    expect(fwd.message.preview).toEqual(expected(url));
    const kept = await alice.request("message.edit", { chatId, messageId: message.id, text: `still ${url}` });
    expect(kept.message.preview).toEqual(expected(url));
    const from = bob.events.length;
    const dropped = await alice.request("message.edit", { chatId, messageId: message.id, text: "no link now" });
    expect("preview" in dropped.message).toBe(false);
    const edited = await bob.event("message.edited", (d) => d.message.id === message.id && d.message.text === "no link now", from);
    expect("preview" in edited.message).toBe(false);
    const back = await alice.request("message.edit", { chatId, messageId: message.id, text: `again ${url}` });
    expect("preview" in back.message).toBe(false); // an edit never adds a preview
  });
});

describe("images.enabled = false", () => {
  test("previews come without image, and the image is not fetched", async () => {
    const s = await startChatsServer({ modules: (deps) => [previewsModule(deps)], set: ["previews.allowHosts=site.test", "images.enabled=false"], previews: site.options });
    try {
      const p = await s.person("noimg");
      site.put("/noimg", `<head><title>No image here</title><meta property="og:image" content="/noimg.png"></head>`, "text/html");
      expect(await p.request("preview.get", { url: "http://site.test/noimg" })).toEqual({ preview: { url: "http://site.test/noimg", title: "No image here" } });
      expect(site.hitsOf("/noimg.png")).toBe(0);
    } finally {
      await s.stop();
    }
  });
});

describe("previews.enabled = false", () => {
  test("preview.get answers null and a send carries none, without any fetch", async () => {
    const s = await startChatsServer({ modules: (deps) => [previewsModule(deps)], set: ["previews.allowHosts=site.test", "previews.enabled=false"], previews: site.options });
    try {
      const p = await s.person("off");
      const before = site.hitsOf("/chain/1");
      const url = "http://site.test/chain/1";
      expect(await p.request("preview.get", { url })).toEqual({ preview: null });
      const chatId = (await p.request("chat.create", { kind: "saved" })).entry.chat.id;
      const { message } = await p.request("message.send", { chatId, clientId: "d1", text: url, preview: { url } });
      expect("preview" in message).toBe(false);
      expect(site.hitsOf("/chain/1")).toBe(before);
    } finally {
      await s.stop();
    }
  });
});

describe("previews.allowHosts", () => {
  test("a bad entry ends the start with one line naming it", async () => {
    const { mkdtempSync, rmSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const dir = mkdtempSync(join(tmpdir(), "prev-allow-"));
    try {
      const args = ["serve", "--host", "127.0.0.1", "--port", "0", "--data", dir, "--set", "tls.mode=off", "--set", "mdns.enabled=false", "--set", "previews.allowHosts=wiki.example,bad host"];
      const proc = Bun.spawn([process.execPath, "src/main.ts", ...args], { cwd: join(import.meta.dir, ".."), stdout: "pipe", stderr: "pipe" });
      const [code, err] = await Promise.all([proc.exited, new Response(proc.stderr).text()]);
      expect(code).toBe(1);
      expect(err.trim().split("\n").at(-1)).toBe('hearth: invalid previews.allowHosts: "bad host" is not a host name, address or CIDR');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
