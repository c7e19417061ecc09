// Writing, end to end in headless Chromium at phone (390×844, touch) and desktop
// (1280×800) size against a real server: drafts that follow you to your other device
// (two browser contexts) and survive reloads and outages, the full emoji picker (search,
// categories, skin tones, recents) with any emoji as a reaction and who reacted, the
// shipped colour emoji font, copy from the phone's action sheet, and forwarding to
// several chats with a comment. Each test seeds its own people and chats over the
// protocol (many chats, long last messages, emoji in names). Screenshots:
// test-artifacts/screenshots/compose-*.png.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { type RunningBinary, startHearth } from "../../scripts/run-binary.ts";
import { ensureWebBuilt } from "../../scripts/setup.ts";
import { createClient, type HearthClient, passwordAuth } from "../../src/client/index.ts";
import { authPaths } from "../../src/protocol/http.ts";

const repo = join(import.meta.dir, "..", "..");
const shots = join(repo, "test-artifacts", "screenshots");
const password = "correct horse battery staple";
let dir: string;
let server: RunningBinary;
let browser: Browser;
const errors: string[] = [];

const chromiumArgs = [
  "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
];

beforeAll(async () => {
  await ensureWebBuilt();
  dir = mkdtempSync(join(tmpdir(), "hearth-compose-e2e-"));
  server = await startHearth([process.execPath, join(repo, "src", "main.ts")], repo, ["--data", dir, "--set", "accounts.registerAttemptsPerIp=100000", "--set", "tls.mode=off", "--set", "accounts.registration=open"]);
  browser = await chromium.launch({ executablePath: "/usr/bin/chromium", headless: false, args: chromiumArgs });
  mkdirSync(shots, { recursive: true });
  await claimOwner(); // until then every page shows the owner claim instead of sign-in
}, 240_000);

async function claimOwner(): Promise<void> {
  let line: string | undefined;
  for (let i = 0; i < 1000 && !line; i++) {
    line = server.log.find((l) => l.includes("/claim#"));
    if (!line) await Bun.sleep(10);
  }
  const token = /\/claim#([\w-]+)/.exec(line ?? "")?.[1];
  if (!token) throw new Error(`no claim link in the log:\n${server.log.join("\n")}`);
  const res = await fetch(server.url + authPaths.claim, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ token, username: "owner", password, deviceName: "seeder" }),
  });
  if (!res.ok) throw new Error(`claim: ${res.status} ${await res.text()}`);
}

afterAll(async () => {
  await browser?.close();
  server?.proc.kill("SIGTERM");
  await server?.proc.exited;
  rmSync(dir, { recursive: true, force: true });
});

const sizes = [
  { name: "phone", viewport: { width: 390, height: 844 }, touch: true },
  { name: "desktop", viewport: { width: 1280, height: 800 }, touch: false },
] as const;
type Size = (typeof sizes)[number];

let seq = 0;
interface Person {
  username: string;
  displayName: string;
  id: string;
  client: HearthClient;
}

/** Registers someone over HTTP and connects a protocol client for seeding. */
async function person(first: string, displayName: string): Promise<Person> {
  const username = `${first}${++seq}${process.pid % 1000}`;
  const res = await fetch(server.url + authPaths.register, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username, password, displayName, deviceName: "seeder" }),
  });
  if (!res.ok) throw new Error(`register ${username}: ${res.status} ${await res.text()}`);
  const { userId } = (await res.json()) as { userId: string };
  const client = createClient({ url: `${server.url.replace(/^http/, "ws")}/ws`, auth: await passwordAuth(server.url, { username, password, deviceName: "seeder" }) });
  await client.connect();
  return { username, displayName, id: userId, client };
}

const long = (topic: string) =>
  `${topic}: I checked the timetable again and the 8:15 train is the only one that gets us there before the market closes, so let's meet at the platform ten minutes early 🚆`;

/** `count` groups of `owner` with `members`, each with a long last message; the first titles are given. */
async function seedChats(owner: Person, members: Person[], titles: string[], count = 12): Promise<Record<string, string>> {
  const ids: Record<string, string> = {};
  const all = [...titles, ...Array.from({ length: Math.max(0, count - titles.length) }, (_, i) => `Project ${i + 1} 🛠️ planning and follow-ups`)];
  for (const title of all) {
    const { entry } = await owner.client.request("chat.create", { kind: "group", clientId: `c${++seq}`, title, memberIds: members.map((m) => m.id) });
    ids[title] = entry.chat.id;
    await owner.client.request("message.send", { chatId: entry.chat.id, clientId: `m${++seq}`, text: long(title) });
  }
  return ids;
}

async function device(p: Person, size: Size): Promise<{ ctx: BrowserContext; page: Page }> {
  const ctx = await browser.newContext({ viewport: size.viewport, hasTouch: size.touch, isMobile: size.touch, colorScheme: "light" });
  await ctx.grantPermissions(["clipboard-read", "clipboard-write"], { origin: server.url });
  const page = await ctx.newPage();
  page.on("pageerror", (e) => errors.push(`pageerror: ${e.message}`));
  await page.goto(`${server.url}/?e2e`);
  await page.fill('[name="username"]', p.username);
  await page.fill('[name="password"]', password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("button", { name: "New chat" }).waitFor();
  return { ctx, page };
}

const tap = (page: Page, size: Size, target: ReturnType<Page["locator"]>) => (size.touch ? target.tap() : target.click());
const box = (page: Page) => page.locator('textarea[name="message"]');
const row = (page: Page, title: string) => page.locator(".chat-row", { hasText: title }).first();

async function openChat(page: Page, size: Size, title: string): Promise<void> {
  const head = page.locator(".chat-head-title", { hasText: title });
  if (await head.isVisible()) return;
  const back = page.locator(".chat-head .back");
  if (size.touch && (await back.isVisible())) await back.tap();
  await tap(page, size, row(page, title));
  await page.locator(".chat-head-title", { hasText: title }).waitFor();
}

async function noSidewaysScroll(page: Page, size: Size): Promise<void> {
  if (!size.touch) return;
  const { scroll, inner } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, inner: innerWidth }));
  expect(scroll).toBeLessThanOrEqual(inner);
}

const shot = (page: Page, name: string) => page.screenshot({ path: join(shots, `compose-${name}.png`) });

for (const size of sizes) {
  test(`${size.name}: a draft typed on one device shows on the other, survives switching chats, reloads and an outage, and a send clears it`, async () => {
    const dana = await person("dana", "Dana Lopez 🌻");
    const ellis = await person("ellis", "Ellis Navarro-Whitfield");
    await seedChats(ellis, [dana], ["Lopez Family 🏡", "Book club 📚"]);
    const a = await device(dana, size);
    const b = await device(dana, size);
    const draft = "Sunday lunch at ours? 🍝 I'll bring the tiramisu, could someone pick up Grandma from the station at noon 👵";

    await openChat(a.page, size, "Lopez Family 🏡");
    await box(a.page).fill(draft);
    // the other device: "Draft: …" in place of the last message
    const preview = row(b.page, "Lopez Family 🏡").locator(".draft-preview");
    await preview.waitFor({ timeout: 10_000 });
    expect(await preview.locator(".row-draft").textContent()).toBe("Draft: ");
    expect(await preview.textContent()).toContain("Sunday lunch at ours? 🍝");
    await noSidewaysScroll(b.page, size);
    await shot(b.page, `draft-list-${size.name}`);

    // opening the chat there restores it in the composer
    await openChat(b.page, size, "Lopez Family 🏡");
    await expect(box(b.page).inputValue()).resolves.toBe(draft);
    await shot(b.page, `draft-composer-${size.name}`);

    // switching chats and back on the first device keeps it; so does a reload
    await openChat(a.page, size, "Book club 📚");
    expect(await box(a.page).inputValue()).toBe("");
    await openChat(a.page, size, "Lopez Family 🏡");
    expect(await box(a.page).inputValue()).toBe(draft);
    await a.page.reload();
    // a reload keeps the open chat (its URL): wait for it, or a phone's openChat may tap a list
    // row in the moment before the chat from the URL covers the list
    await a.page.locator(".chat-head-title", { hasText: "Lopez Family 🏡" }).waitFor();
    await openChat(a.page, size, "Lopez Family 🏡");
    await expect(box(a.page).inputValue()).resolves.toBe(draft);

    // written during an outage: kept, and synced when the network is back
    await openChat(a.page, size, "Book club 📚");
    await a.ctx.setOffline(true);
    await box(a.page).fill("Chapter 7 was the best so far, spoilers ahead ⚠️");
    await Bun.sleep(1200); // past the save delay: nothing may have left
    if (!size.touch) expect(await row(b.page, "Book club 📚").locator(".draft-preview").count()).toBe(0);
    await a.ctx.setOffline(false);
    if (size.touch) await b.page.locator(".chat-head .back").tap();
    await row(b.page, "Book club 📚").locator(".draft-preview", { hasText: "Chapter 7" }).waitFor({ timeout: 20_000 });

    // sending clears it everywhere
    if (size.touch) await openChat(b.page, size, "Lopez Family 🏡");
    await openChat(a.page, size, "Lopez Family 🏡");
    await box(a.page).press("Enter");
    await a.page.locator(".history .msg", { hasText: "Sunday lunch at ours?" }).waitFor();
    await b.page.waitForFunction(() => (document.querySelector('textarea[name="message"]') as HTMLTextAreaElement | null)?.value === "", null, { timeout: 10_000 });
    await b.page.reload();
    // a reload keeps the open chat (its URL); on a phone the list is one step back
    if (size.touch) await b.page.locator(".chat-head .back").tap();
    // the cached list shows first; the welcome snapshot then says there is no draft
    await row(b.page, "Lopez Family 🏡").locator(".draft-preview").waitFor({ state: "detached", timeout: 10_000 });
    await row(b.page, "Lopez Family 🏡").locator(".row-preview", { hasText: "Sunday lunch at ours?" }).waitFor();
    await a.ctx.close();
    await b.ctx.close();
    expect(errors).toEqual([]);
  }, 120_000);

  test(`${size.name}: the full emoji picker (search, categories, skin tone, recents), any emoji as a reaction, and who reacted`, async () => {
    const fiona = await person("fiona", "Fiona O'Brien-Castellanos 🎻");
    const gus = await person("gus", "Gus 🐙 Papadopoulos");
    const ids = await seedChats(gus, [fiona], ["Pizza Friday 🍕"]);
    const chatId = ids["Pizza Friday 🍕"]!;
    const { message } = await gus.client.request("message.send", { chatId, clientId: `m${++seq}`, text: "Who is in for pizza tonight? I can order at 7 🍕" });
    const { page, ctx } = await device(fiona, size);
    await openChat(page, size, "Pizza Friday 🍕");
    const msg = page.locator(".history .msg", { hasText: "pizza tonight" });
    await msg.waitFor();

    // react with an emoji that is in no quick list, found by name
    if (size.touch) {
      await msg.locator(".text").tap();
      await page.getByRole("dialog", { name: "Message actions" }).getByRole("button", { name: "More emoji" }).tap();
    } else {
      await msg.hover();
      await msg.getByRole("button", { name: "React" }).click();
      await page.getByRole("button", { name: "More emoji" }).click();
    }
    const picker = page.getByRole("dialog", { name: "React" });
    await picker.locator('input[name="emoji-search"]').fill("otter");
    await picker.getByRole("button", { name: "otter" }).waitFor();
    await noSidewaysScroll(page, size);
    await shot(page, `emoji-search-${size.name}`);
    await tap(page, size, picker.getByRole("button", { name: "otter" }));
    await msg.locator(".reaction", { hasText: "🦦" }).waitFor();
    const fromServer = await gus.client.request("message.list", { chatId, anchor: { seq: message.seq }, direction: "around", limit: 1 });
    expect(fromServer.messages.find((m) => m.id === message.id)?.reactions).toEqual([{ emoji: "🦦", count: 1, mine: false }]);
    await gus.client.request("reaction.toggle", { chatId, messageId: message.id, emoji: "🦦" });
    await msg.locator(".reaction", { hasText: "2" }).waitFor();

    // who reacted: both names under the otter
    if (size.touch) {
      await msg.locator(".text").tap();
      await page.getByRole("dialog", { name: "Message actions" }).getByRole("button", { name: "Who reacted" }).tap();
    } else {
      await msg.locator(".reaction").click({ button: "right" });
    }
    const who = page.getByRole("dialog", { name: "Who reacted" });
    await who.locator(".reactor-list li", { hasText: "Gus 🐙 Papadopoulos" }).waitFor();
    await who.locator(".reactor-list li", { hasText: "Fiona O'Brien-Castellanos" }).waitFor();
    await shot(page, `emoji-reactors-${size.name}`);
    await page.keyboard.press("Escape");
    await who.waitFor({ state: "detached" });

    // the composer's picker: categories, a skin tone, recents
    await tap(page, size, page.getByRole("button", { name: "Emoji", exact: true }));
    const panel = page.locator(".composer-emoji .emoji-panel");
    await panel.waitFor();
    await tap(page, size, panel.getByRole("tab", { name: "Animals & Nature" }));
    await panel.getByRole("button", { name: "dog face" }).waitFor();
    await tap(page, size, panel.getByRole("radio", { name: "Skin tone 4" }));
    await tap(page, size, panel.getByRole("tab", { name: "People & Body" }));
    await tap(page, size, panel.getByRole("button", { name: "waving hand" }).first());
    expect(await box(page).inputValue()).toBe("👋🏾");
    await tap(page, size, page.getByRole("button", { name: "Emoji", exact: true }));
    await tap(page, size, panel.getByRole("tab", { name: "Recently used" }));
    expect(await panel.locator(".emoji-grid .emoji-btn").allTextContents()).toEqual(["👋🏾", "🦦"]);
    await noSidewaysScroll(page, size);
    await shot(page, `emoji-panel-${size.name}`);
    await page.emulateMedia({ colorScheme: "dark" });
    await shot(page, `emoji-panel-dark-${size.name}`);
    await page.emulateMedia({ colorScheme: "light" });

    // the shipped font draws them (a machine without a colour emoji font would show boxes)
    const font = await page.evaluate(async () => {
      const faces = await document.fonts.load('24px "Hearth Emoji"', "🦦👋🏾🍕");
      const parts = performance.getEntriesByType("resource").filter((r) => r.name.includes("noto-color-emoji"));
      const type = parts[0] ? (await fetch(parts[0].name)).headers.get("content-type") : null;
      return { faces: faces.length, fetched: parts.length, type };
    });
    console.log(`${size.name}: emoji font parts fetched by this screen: ${font.fetched} of 11`);
    expect(font.faces).toBeGreaterThan(0);
    expect(font.type).toBe("font/woff");
    // …in colour: a box or a blank glyph has no coloured pixels
    const colouredPixels = await page.evaluate(() => {
      const c = document.createElement("canvas");
      c.width = c.height = 64;
      const g = c.getContext("2d")!;
      g.font = '48px "Hearth Emoji"';
      g.textBaseline = "top";
      g.fillText("🦦", 4, 4);
      const d = g.getImageData(0, 0, 64, 64).data;
      let n = 0;
      for (let i = 0; i < d.length; i += 4) if (d[i + 3]! > 0 && Math.max(Math.abs(d[i]! - d[i + 1]!), Math.abs(d[i + 1]! - d[i + 2]!)) > 30) n++;
      return n;
    });
    expect(colouredPixels).toBeGreaterThan(100);
    expect(font.fetched).toBeGreaterThan(0);
    expect(font.fetched).toBeLessThan(11); // only the parts shown were downloaded
    await ctx.close();
    expect(errors).toEqual([]);
  }, 120_000);

  test(`${size.name}: forward one message to several chats with a comment${size.touch ? "; copy its text from the action sheet" : ""}`, async () => {
    const hana = await person("hana", "Hana Kobayashi-Müller 🌸");
    const ivo = await person("ivo", "Ivo");
    const ids = await seedChats(ivo, [hana], ["Recipes 🍜", "Lopez Family 🏡", "Book club 📚"]);
    const text = "The ramen recipe: 2 l stock, 4 tbsp miso, 1 tbsp sesame paste, simmer 20 minutes 🍜";
    await ivo.client.request("message.send", { chatId: ids["Recipes 🍜"]!, clientId: `m${++seq}`, text });
    const { page, ctx } = await device(hana, size);
    await openChat(page, size, "Recipes 🍜");
    const msg = page.locator(".history .msg", { hasText: "ramen recipe" });
    await msg.waitFor();

    if (size.touch) {
      await msg.locator(".text").tap();
      const sheet = page.getByRole("dialog", { name: "Message actions" });
      await shot(page, `sheet-${size.name}`);
      await sheet.getByRole("button", { name: "Copy text" }).tap();
      await page.getByRole("status").filter({ hasText: "Copied" }).waitFor();
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(text);
      await msg.locator(".text").tap();
      await page.getByRole("dialog", { name: "Message actions" }).getByRole("button", { name: "Forward" }).tap();
    } else {
      await msg.hover();
      await msg.getByRole("button", { name: "Forward" }).click();
    }
    const dialog = page.getByRole("dialog", { name: "Forward to…" });
    const search = dialog.locator('input[name="forward-search"]');
    await search.fill("lopez");
    expect(await dialog.locator(".forward-row").count()).toBe(1);
    await tap(page, size, dialog.locator(".forward-row", { hasText: "Lopez Family 🏡" }));
    await search.fill("book");
    await shot(page, `forward-search-${size.name}`);
    await tap(page, size, dialog.locator(".forward-row", { hasText: "Book club 📚" }));
    await search.fill("");
    await dialog.locator('textarea[name="forward-comment"]').fill("Try this one, it's amazing 👀");
    expect(await dialog.getByText("2 selected").count()).toBe(1);
    await noSidewaysScroll(page, size);
    await shot(page, `forward-${size.name}`);
    await dialog.getByRole("button", { name: "Forward", exact: true }).click();
    await dialog.waitFor({ state: "detached" });

    for (const title of ["Lopez Family 🏡", "Book club 📚"]) {
      const { messages } = await ivo.client.request("message.list", { chatId: ids[title]!, anchor: "latest", direction: "before", limit: 2 });
      expect(messages.map((m) => [m.senderId, m.text, m.forward ? "forward" : "text"])).toEqual([
        [hana.id, "Try this one, it's amazing 👀", "text"],
        [hana.id, text, "forward"],
      ]);
    }
    await openChat(page, size, "Book club 📚");
    await page.locator(".history .msg .forwarded", { hasText: "Forwarded from Ivo" }).waitFor();
    await shot(page, `forwarded-${size.name}`);
    await ctx.close();
    expect(errors).toEqual([]);
  }, 120_000);
}
