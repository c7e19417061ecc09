// Layout, navigation and settings of the web client in real headless Chromium, at phone
// widths (320/390/430 px, touch) and on a desktop (1280×800), against a real server:
// nothing scrolls sideways on any screen, every place has a URL (reload, Back, message
// links), the offline bar pushes the page, presence is unknown offline, a pending message
// shows in the list, the @ badge is readable, one toolbar beside the bubble, the reaction
// popover stays in view, the date pill leaves the times alone, sending while scrolled up
// follows the message, Esc cancels only an edit, revoking a device asks first and the
// revoked device says why, the device list is live, plurals are right.
// Every test seeds its own people and chats through the real protocol. Screenshots:
// test-artifacts/screenshots/layout-*.png.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Browser, type BrowserContext, chromium, type Locator, type Page } from "playwright-core";
import { type RunningBinary, startHearth } from "../../scripts/run-binary.ts";
import { ensureWebBuilt } from "../../scripts/setup.ts";
import { createClient, type HearthClient, postJson, tokenAuth } from "../../src/client/index.ts";
import type { AuthTokens } from "../../src/protocol/http.ts";
import { freeRtcPort } from "../support/calls-server.ts";

const repo = join(import.meta.dir, "..", "..");
const shots = join(repo, "test-artifacts", "screenshots");
const password = "correct horse battery staple";
let dir: string;
let server: RunningBinary;
let browser: Browser;
let owner: HearthClient;
const clients: HearthClient[] = [];
const errors: string[] = [];

const chromiumArgs = [
  "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
  "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream", "--autoplay-policy=no-user-gesture-required",
];

async function claimToken(): Promise<string> {
  for (let i = 0; i < 1000; i++) {
    const line = server.log.find((l) => l.includes("/claim#"));
    if (line) return /\/claim#([\w-]+)/.exec(line)![1]!;
    await Bun.sleep(10);
  }
  throw new Error(`no claim link in the log:\n${server.log.join("\n")}`);
}

function connect(tokens: AuthTokens): Promise<HearthClient> {
  const c = createClient({ url: `${server.url.replace(/^http/, "ws")}/ws`, auth: tokenAuth(server.url, tokens) });
  clients.push(c);
  return c.connect().then(() => c);
}

beforeAll(async () => {
  await ensureWebBuilt();
  dir = mkdtempSync(join(tmpdir(), "hearth-layout-e2e-"));
  server = await startHearth([process.execPath, join(repo, "src", "main.ts")], repo, ["--data", dir, "--set", "accounts.registerAttemptsPerIp=100000", "--set", "tls.mode=off", "--set", "calls.workers=1", "--set", `calls.rtcPort=${await freeRtcPort()}`, "--set", "calls.announcedAddress=127.0.0.1"]);
  browser = await chromium.launch({ executablePath: "/usr/bin/chromium", headless: false, args: chromiumArgs });
  mkdirSync(shots, { recursive: true });
  const tokens = await postJson<AuthTokens>(server.url, "/api/auth/claim", { token: await claimToken(), username: "owner", password, displayName: "Olga Owner", deviceName: "seeder" });
  owner = await connect(tokens);
}, 240_000);

afterAll(async () => {
  for (const c of clients) c.close();
  await browser?.close();
  server?.proc.kill("SIGTERM");
  await server?.proc.exited;
  rmSync(dir, { recursive: true, force: true });
});

// ---- people and chats, through the protocol ----

interface Person {
  id: string;
  username: string;
  displayName: string;
  client: HearthClient;
}

let seq = 0;
async function person(displayName: string): Promise<Person> {
  const username = `u${++seq}_${Date.now().toString(36)}`;
  const { code } = await owner.request("registration_invite.create", { clientId: `inv-${username}` });
  const tokens = await postJson<AuthTokens>(server.url, "/api/auth/register", { username, password, displayName, inviteCode: code, deviceName: "seeder" });
  return { id: tokens.userId, username, displayName, client: await connect(tokens) };
}

async function group(by: Person, title: string, members: Person[]): Promise<string> {
  const { entry } = await by.client.request("chat.create", { kind: "group", clientId: `g-${++seq}`, title, memberIds: members.map((m) => m.id) });
  return entry.chat.id;
}

async function direct(by: Person, peer: Person): Promise<string> {
  return (await by.client.request("chat.create", { kind: "direct", userId: peer.id })).entry.chat.id;
}

async function say(by: Person, chatId: string, text: string): Promise<number> {
  const clientId = `m-${++seq}`;
  for (;;) {
    try {
      return (await by.client.request("message.send", { chatId, clientId, text })).message.seq;
    } catch (e) {
      // seeding is faster than a person: wait as long as the server asks
      const wait = (e as { code?: string; data?: { retryAfterMs?: number } }).code === "rate_limited" ? (e as { data?: { retryAfterMs?: number } }).data?.retryAfterMs : undefined;
      if (wait === undefined) throw e;
      await Bun.sleep(wait + 5);
    }
  }
}

const longText = "Could you bring the big folding table and the extra chairs from the garage on Saturday? Grandma also asked whether anyone can pick her up at the station around half past eleven";
const titles = ["Lopez Family 🏡", "Weekend trip to the mountains 🏔️ with everyone from the office", "Book club 📚", "Ünïcødé Ħëàvÿ Ŧîŧłę", "🎉🎉🎉", "Football Sundays ⚽"];

/** Someone with a long name in 40+ chats with long last messages, emoji titles, unread counts and @mentions. */
async function crowded(chats = 42): Promise<{ me: Person; friend: Person; family: string; dm: string }> {
  const me = await person("Maximiliana Alexandra von Hohenzollern-Sigmaringen");
  const friend = await person("Ana Lopez 🏡 from the very long street name");
  const ids: string[] = [];
  for (let i = 0; i < chats; i++) {
    const title = i < titles.length ? titles[i]! : `Neighbourhood group ${i} — ${titles[i % titles.length]}`;
    const id = await group(friend, title, [me]);
    ids.push(id);
    await say(friend, id, i % 3 === 0 ? `@${me.username} ${longText}` : `${longText} ${"🙂".repeat(i % 5)}`);
  }
  const dm = await direct(friend, me);
  await say(friend, dm, "Supercalifragilisticexpialidocious_without_any_spaces_at_all_so_nothing_can_break_it_anywhere_ever");
  return { me, friend, family: ids[0]!, dm };
}

// ---- the browser ----

type Kind = "phone" | "desktop";
const sizes = { phone: { width: 390, height: 844 }, desktop: { width: 1280, height: 800 } };

async function open(p: Person, kind: Kind, path = "/", width?: number): Promise<{ ctx: BrowserContext; page: Page }> {
  const viewport = width ? { width, height: 844 } : sizes[kind];
  const ctx = await browser.newContext(kind === "phone" ? { viewport, hasTouch: true, isMobile: true, colorScheme: "light" } : { viewport, colorScheme: "light" });
  const page = await ctx.newPage();
  page.on("pageerror", (e) => errors.push(`pageerror: ${e.message}`));
  const tokens = await postJson<AuthTokens>(server.url, "/api/auth/login", { username: p.username, password, deviceName: `Chromium ${kind}` });
  await page.goto(`${server.url}/healthz`);
  await page.evaluate((t) => localStorage.setItem("hearth.session", t), JSON.stringify(tokens));
  await page.goto(`${server.url}${path}`);
  await page.getByRole("button", { name: "New chat" }).waitFor({ state: "attached" });
  return { ctx, page };
}

const press = (kind: Kind, l: Locator) => (kind === "phone" ? l.tap() : l.click());

async function openChat(page: Page, kind: Kind, title: string): Promise<void> {
  await press(kind, page.locator(".chat-row", { hasText: title }).first());
  await page.locator(".chat-head-title", { hasText: title }).waitFor();
}

/** Nothing wider than the window: the page, the body, and no element sticking out. */
async function noSideScroll(page: Page, screen: string): Promise<void> {
  const r = await page.evaluate(() => {
    const w = innerWidth;
    const out = [...document.querySelectorAll<HTMLElement>("body *")]
      .filter((e) => {
        const b = e.getBoundingClientRect();
        if (!(b.width > 0 && b.height > 0 && (b.right > w + 1 || b.left < -1) && e.checkVisibility())) return false;
        // cut off by a clipping box inside the window (an ellipsis, a scroller): not sticking out
        for (let a = e.parentElement; a; a = a.parentElement) {
          const r = a.getBoundingClientRect();
          if (getComputedStyle(a).overflowX !== "visible" && r.right <= w + 1 && r.left >= -1) return false;
        }
        return true;
      })
      .slice(0, 5)
      .map((e) => `${e.tagName.toLowerCase()}.${e.className} ${Math.round(e.getBoundingClientRect().right)}`);
    return { w, doc: document.documentElement.scrollWidth, body: document.body.scrollWidth, out };
  });
  expect({ screen, doc: r.doc <= r.w, body: r.body <= r.w, out: r.out }).toEqual({ screen, doc: true, body: true, out: [] });
}

async function within(l: Locator, page: Page, what: string): Promise<void> {
  const b = (await l.boundingBox())!;
  const w = await page.evaluate(() => innerWidth);
  expect({ what, inside: b.x >= 0 && b.x + b.width <= w }).toEqual({ what, inside: true });
}

const overlap = (a: { x: number; y: number; width: number; height: number }, b: typeof a) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

const shot = (page: Page, name: string) => page.screenshot({ path: join(shots, `layout-${name}.png`) });

// ---- tests ----

test("no screen scrolls sideways at 320, 390 and 430 px; New chat, times and badges stay on screen", async () => {
  const w = await crowded();
  for (const width of [320, 390, 430]) {
    const { ctx, page } = await open(w.me, "phone", "/", width);
    const screen = (s: string) => `${s} @${width}`;
    await page.locator(".chat-row").nth(40).waitFor({ state: "attached" });
    await noSideScroll(page, screen("chat list"));
    await within(page.getByRole("button", { name: "New chat" }), page, screen("New chat"));
    for (const sel of [".row-time", ".badge"]) await within(page.locator(`.chat-row ${sel}`).first(), page, screen(sel));
    if (width === 390) await shot(page, "phone-list");
    // tapping + opens the dialog and moves nothing sideways
    await page.getByRole("button", { name: "New chat" }).tap();
    await page.getByRole("dialog", { name: "New chat" }).waitFor();
    await noSideScroll(page, screen("new chat dialog"));
    expect(await page.evaluate(() => scrollX)).toBe(0);
    await page.keyboard.press("Escape");
    await openChat(page, "phone", "Lopez Family 🏡");
    await noSideScroll(page, screen("chat"));
    if (width === 390) await shot(page, "phone-chat");
    await page.getByRole("button", { name: "Chat info" }).tap();
    await page.locator(".info-panel").waitFor();
    await noSideScroll(page, screen("info panel"));
    if (width === 390) await shot(page, "phone-info");
    await page.goBack();
    await page.locator(".info-panel").waitFor({ state: "detached" });
    await page.goBack();
    await page.locator(".chat-row").first().waitFor();
    await openChat(page, "phone", "Ana Lopez");
    await noSideScroll(page, screen("direct chat with an unbreakable message"));
    await page.goBack();
    await page.getByRole("button", { name: "Settings" }).tap();
    await page.getByRole("heading", { name: "Settings" }).waitFor();
    await page.locator(".session-list li").first().waitFor();
    await noSideScroll(page, screen("settings"));
    if (width === 390) await shot(page, "phone-settings");
    await page.getByRole("button", { name: "Sign out" }).tap();
    await page.getByRole("button", { name: "Sign in" }).waitFor();
    await noSideScroll(page, screen("sign in"));
    await ctx.close();
  }
  const { ctx, page } = await open(w.me, "desktop");
  await openChat(page, "desktop", "Lopez Family 🏡");
  await noSideScroll(page, "desktop chat");
  await shot(page, "desktop-chat");
  await ctx.close();
  expect(errors).toEqual([]);
}, 240_000);

test("initials and previews are cut by grapheme: no lone surrogate anywhere", async () => {
  const me = await person("🏡");
  const friend = await person("Lopez Family 🏡");
  const id = await group(friend, "Lopez Family 🏡", [me]);
  await say(friend, id, `${"🏡".repeat(120)}`);
  for (const kind of ["phone", "desktop"] as const) {
    const { ctx, page } = await open(me, kind);
    const row = page.locator(".chat-row", { hasText: "Lopez Family" });
    expect(await row.locator(".avatar").innerText()).toBe("LF");
    const texts = await page.evaluate(() => [...document.querySelectorAll(".avatar, .row-preview, .row-title")].map((e) => e.textContent ?? ""));
    const lone = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
    expect(texts.filter((t) => lone.test(t))).toEqual([]);
    expect(await row.locator(".row-preview").innerText()).toEndWith("🏡…");
    await ctx.close();
  }
}, 60_000);

for (const kind of ["phone", "desktop"] as const) {
  test(`URLs (${kind}): chats, settings and messages have one; reload stays; Back goes to the list and closes dialogs; a message link jumps`, async () => {
    const me = await person("Pat Long-Name Example");
    const friend = await person("Lopez Family 🏡");
    const family = await group(friend, "Lopez Family 🏡", [me]);
    const other = await group(friend, "Book club 📚", [me]);
    await say(friend, other, "see you all on Thursday");
    let target = 0;
    for (let i = 1; i <= 260; i++) {
      const s = await say(friend, family, `Family note number ${i}: ${longText.slice(0, 60)}`);
      if (i === 20) target = s;
    }
    const { ctx, page } = await open(me, kind);
    await openChat(page, kind, "Lopez Family 🏡");
    expect(new URL(page.url()).pathname).toBe(`/chat/${family}`);
    await page.reload();
    await page.locator(".chat-head-title", { hasText: "Lopez Family 🏡" }).waitFor();
    // Back from the chat: the list (on the phone it replaces the chat), still in the app
    await page.goBack();
    expect(new URL(page.url()).pathname).toBe("/");
    await page.locator(".chat-head-title").waitFor({ state: "detached" });
    await page.locator(".chat-row").first().waitFor();
    // a dialog closes on Back, the page stays
    await press(kind, page.getByRole("button", { name: "New chat" }));
    await page.getByRole("dialog", { name: "New chat" }).waitFor();
    await page.goBack();
    await page.getByRole("dialog", { name: "New chat" }).waitFor({ state: "detached" });
    expect(new URL(page.url()).origin).toBe(server.url);
    await page.locator(".chat-row").first().waitFor();
    // settings
    await press(kind, page.getByRole("button", { name: "Settings" }));
    await page.getByRole("heading", { name: "Settings" }).waitFor();
    expect(new URL(page.url()).pathname).toBe("/settings");
    await page.reload();
    await page.getByRole("heading", { name: "Settings" }).waitFor();
    await page.goBack();
    await page.getByRole("heading", { name: "Settings" }).waitFor({ state: "detached" });
    // a deep link to a chat (a reload, a shared link): Back still lands on the list
    await page.goto(`${server.url}/chat/${other}`);
    await page.locator(".chat-head-title", { hasText: "Book club" }).waitFor();
    await page.goBack();
    expect(new URL(page.url()).pathname).toBe("/");
    await page.locator(".chat-row").first().waitFor();
    // a link to a chat that is not yours lands on the list
    const stranger = await person("Someone Else");
    const theirs = await group(stranger, "Not your chat", []);
    await page.goto(`${server.url}/chat/${theirs}`);
    await page.waitForURL(`${server.url}/`);
    await page.locator(".chat-row").first().waitFor();
    // a link to a message 240 messages back: it loads around it, scrolls it into view, highlights it
    await page.goto(`${server.url}/chat/${family}/message/${target}`);
    const msg = page.locator(`.msg[data-seq="${target}"]`);
    await page.locator(`.msg.flash[data-seq="${target}"]`).waitFor();
    const box = (await msg.boundingBox())!;
    const hist = (await page.locator(".history").boundingBox())!;
    expect(box.y >= hist.y && box.y + box.height <= hist.y + hist.height).toBe(true);
    expect(await msg.innerText()).toContain("Family note number 20:");
    await shot(page, `${kind}-message-link`);
    await ctx.close();
    expect(errors).toEqual([]);
  }, 120_000);

  test(`offline (${kind}): the bar pushes the header down, presence is unknown, a pending message shows in the list`, async () => {
    const me = await person("Olivia Offline-Tester");
    const friend = await person("Ana Lopez 🏡");
    const dm = await direct(friend, me);
    await say(friend, dm, "are you there?");
    const { ctx, page } = await open(me, kind);
    await openChat(page, kind, "Ana Lopez");
    await page.locator(".chat-head-sub", { hasText: "online" }).waitFor();
    const headBefore = (await page.locator(".chat-head").boundingBox())!;
    await ctx.setOffline(true);
    const bar = page.locator(".offline-banner");
    await bar.waitFor();
    const barBox = (await bar.boundingBox())!;
    const head = (await page.locator(".chat-head").boundingBox())!;
    expect(head.y).toBeGreaterThanOrEqual(barBox.y + barBox.height - 0.5);
    expect(head.y).toBeGreaterThan(headBefore.y);
    expect(await page.locator(".chat-head-sub").innerText()).toBe("status unknown while offline");
    expect(await page.locator(".presence-dot").count()).toBe(0);
    const box = page.locator('textarea[name="message"]');
    await box.fill("written on the train, no signal");
    await box.press("Enter");
    await page.locator(".msg.pending", { hasText: "written on the train" }).waitFor();
    if (kind === "phone") await page.goBack();
    const row = page.locator(".chat-row", { hasText: "Ana Lopez" });
    await row.locator(".pending-preview", { hasText: "written on the train, no signal" }).waitFor();
    await noSideScroll(page, `${kind} offline`);
    await shot(page, `${kind}-offline`);
    await ctx.setOffline(false);
    await bar.waitFor({ state: "detached", timeout: 20_000 });
    await row.locator(".pending-preview").waitFor({ state: "detached", timeout: 20_000 });
    expect(await row.locator(".row-preview").innerText()).toContain("written on the train");
    await ctx.close();
  }, 90_000);

  test(`readable badges and unobtrusive overlays (${kind}): @ badge contrast, one toolbar beside the bubble, popover in view, date pill off the times`, async () => {
    const me = await person("Rita Readable");
    const friend = await person("Ana Lopez 🏡");
    const family = await group(friend, "Lopez Family 🏡", [me]);
    for (let i = 0; i < 40; i++) await say(friend, family, i % 2 ? `Short ${i}` : `${longText} (${i})`);
    await say(friend, family, `@${me.username} last one, please answer`);
    const { ctx, page } = await open(me, kind);
    // the @ badge: its text must stand out from its background
    const badge = page.locator(".chat-row", { hasText: "Lopez Family" }).locator(".badge.mention");
    const contrast = await badge.evaluate((el) => {
      const rgb = (c: string) => (c.match(/[\d.]+/g) ?? []).slice(0, 3).map(Number);
      const lum = (c: string) => {
        const [r, g, b] = rgb(c).map((v) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
        return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
      };
      const s = getComputedStyle(el);
      const [a, b] = [lum(s.color), lum(s.backgroundColor)].sort((x, y) => y - x);
      return (a! + 0.05) / (b! + 0.05);
    });
    expect(contrast).toBeGreaterThanOrEqual(4.5);
    await openChat(page, kind, "Lopez Family 🏡");
    await page.locator(".msg", { hasText: "last one, please answer" }).waitFor();
    if (kind === "desktop") {
      // hover a message: its toolbar sits beside the bubble, not over its text
      const msgs = page.locator(".history .msg");
      const n = await msgs.count();
      const last = msgs.nth(n - 1);
      await last.hover();
      const tools = page.locator(".msg-tools");
      await tools.waitFor();
      expect(overlap((await tools.boundingBox())!, (await last.locator(".bubble").boundingBox())!)).toBe(false);
      // keyboard focus on one message, the mouse on another: still one toolbar
      await msgs.nth(n - 3).focus();
      await msgs.nth(n - 2).hover();
      expect(await tools.count()).toBe(1);
      // the reaction popover of the last message stays inside the history, above the composer
      await last.hover();
      await last.getByRole("button", { name: "React" }).click();
      const pop = page.locator(".reaction-pop");
      await pop.waitFor();
      await Bun.sleep(100); // placed on the next frame
      const popBox = (await pop.boundingBox())!;
      const hist = (await page.locator(".history").boundingBox())!;
      const composer = (await page.locator(".composer").boundingBox())!;
      expect(popBox.y + popBox.height).toBeLessThanOrEqual(composer.y + 0.5);
      expect(popBox.y).toBeGreaterThanOrEqual(hist.y - 0.5);
      await shot(page, "desktop-popover");
      await page.keyboard.press("Escape");
    }
    // scroll up and stop: no date pill over any message (its time included); a pill that
    // stayed stuck to the top would sit over whatever scrolled under it
    await page.locator(".history").evaluate((h) => (h.scrollTop = h.scrollHeight / 2));
    await page.locator(".history").evaluate((h) => h.dispatchEvent(new Event("scroll")));
    await Bun.sleep(1600); // the pill stops sticking once scrolling has rested
    const covered = await page.evaluate(() => {
      const pills = [...document.querySelectorAll(".day-sep span")].map((e) => e.getBoundingClientRect());
      return [...document.querySelectorAll(".msg .bubble, .msg time")].filter((t) => {
        const r = t.getBoundingClientRect();
        return pills.some((p) => p.left < r.right && r.left < p.right && p.top < r.bottom && r.top < p.bottom);
      }).length;
    });
    expect(covered).toBe(0);
    await shot(page, `${kind}-chat-scrolled`);
    await ctx.close();
  }, 90_000);

  test(`writing (${kind}): sending while scrolled up brings you to your message; Esc cancels only the edit`, async () => {
    const me = await person("Walter Writer");
    const friend = await person("Ana Lopez 🏡");
    const family = await group(friend, "Lopez Family 🏡", [me]);
    await say(me, family, "my first message, to be edited");
    for (let i = 0; i < 60; i++) await say(friend, family, `${longText} (${i})`);
    const { ctx, page } = await open(me, kind);
    await openChat(page, kind, "Lopez Family 🏡");
    await page.locator(".history .msg").nth(5).waitFor({ state: "attached" });
    await page.locator(".history").evaluate((h) => (h.scrollTop = 0));
    await page.locator(".history").evaluate((h) => h.dispatchEvent(new Event("scroll")));
    await Bun.sleep(300);
    const box = page.locator('textarea[name="message"]');
    await box.fill("sent from far up");
    await box.press("Enter");
    const mine = page.locator(".msg", { hasText: "sent from far up" }).last();
    await mine.waitFor();
    await expect_inView(page, mine);
    // Esc while editing: the edit ends, the chat stays open with its URL
    const url = page.url();
    await box.click();
    await box.press("ArrowUp");
    await page.locator(".composer-context", { hasText: "Editing" }).waitFor();
    await box.press("Escape");
    await page.locator(".composer-context").waitFor({ state: "detached" });
    expect(await page.locator(".chat-head-title", { hasText: "Lopez Family" }).isVisible()).toBe(true);
    expect(page.url()).toBe(url);
    await ctx.close();
  }, 90_000);

  test(`devices (${kind}): revoking asks first, the revoked device says why, the list is live; plurals`, async () => {
    const me = await person("Sam Sessions");
    const solo = await me.client.request("chat.create", { kind: "group", clientId: `solo-${++seq}`, title: "Just me 🏡" });
    const { ctx, page } = await open(me, kind);
    const other = await open(me, kind);
    // plural: a group of one says "1 member"
    await openChat(page, kind, "Just me");
    expect(await page.locator(".chat-head-sub").innerText()).toBe("1 member");
    expect(solo.entry.chat.memberCount).toBe(1);
    if (kind === "phone") await page.goBack();
    await press(kind, page.getByRole("button", { name: "Settings" }));
    const list = page.locator(".session-list");
    await list.locator("li", { hasText: "This device" }).waitFor();
    // a sign-in elsewhere appears without a reload
    await postJson<AuthTokens>(server.url, "/api/auth/login", { username: me.username, password, deviceName: "Kitchen tablet" });
    await list.locator("li", { hasText: "Kitchen tablet" }).waitFor();
    // revoke the other browser: a confirmation first, cancel keeps it
    const rows = list.locator("li", { hasText: `Chromium ${kind}` }).filter({ hasNot: page.locator(".chip") });
    await press(kind, rows.first().getByRole("button", { name: "Revoke" }));
    const confirm = page.getByRole("dialog", { name: "Revoke" });
    await confirm.waitFor();
    await noSideScroll(page, `${kind} revoke confirmation`);
    await shot(page, `${kind}-revoke-confirm`);
    await press(kind, confirm.getByRole("button", { name: "Cancel" }));
    await confirm.waitFor({ state: "detached" });
    expect(await other.page.getByRole("button", { name: "New chat" }).count()).toBe(1);
    await press(kind, rows.first().getByRole("button", { name: "Revoke" }));
    await press(kind, confirm.getByRole("button", { name: "Revoke" }));
    await other.page.getByRole("button", { name: "Sign in" }).waitFor({ timeout: 15_000 });
    expect(await other.page.getByRole("status").innerText()).toContain("This device was signed out");
    await noSideScroll(other.page, `${kind} signed out`);
    await shot(other.page, `${kind}-signed-out`);
    // the same in German: "1 Mitglied"
    await page.selectOption('select[name="language"]', "de");
    await page.getByRole("heading", { name: "Einstellungen" }).waitFor();
    await page.keyboard.press("Escape");
    await page.getByRole("heading", { name: "Einstellungen" }).waitFor({ state: "detached" });
    await openChat(page, kind, "Just me");
    expect(await page.locator(".chat-head-sub").innerText()).toBe("1 Mitglied");
    await other.ctx.close();
    await ctx.close();
    expect(errors).toEqual([]);
  }, 90_000);
}

test("a call has a URL, fits a phone at 320–430 px, and a reload joins it again", async () => {
  const me = await person("Maximiliana Alexandra von Hohenzollern-Sigmaringen");
  const friend = await person("Ana Lopez 🏡 from the very long street name");
  const chat = await group(friend, "Lopez Family 🏡 weekly call with everyone", [me]);
  for (const [kind, width] of [["phone", 320], ["phone", 390], ["phone", 430], ["desktop", undefined]] as const) {
    const { ctx, page } = await open(me, kind, "/", width);
    await openChat(page, kind, "Lopez Family 🏡");
    await press(kind, page.getByRole("button", { name: "Voice call" }));
    await page.locator(".call-view").waitFor();
    await page.getByRole("button", { name: "Leave call" }).waitFor();
    expect(new URL(page.url()).pathname).toBe(`/chat/${chat}/call`);
    await noSideScroll(page, `call view ${kind} ${width ?? 1280}`);
    if (width === 390 || kind === "desktop") await shot(page, `${kind}-call`);
    // someone else keeps the call running; a reload comes back into it
    const other = await friend.client.request("call.join", { chatId: chat });
    await page.reload();
    await page.locator(".call-view").waitFor({ timeout: 20_000 });
    expect(new URL(page.url()).pathname).toBe(`/chat/${chat}/call`);
    await page.getByRole("button", { name: "Leave call" }).click();
    await page.locator(".call-view").waitFor({ state: "detached" });
    expect(new URL(page.url()).pathname).toBe(`/chat/${chat}`);
    await friend.client.request("call.leave", { callId: other.callId });
    await ctx.close();
  }
}, 120_000);

async function expect_inView(page: Page, l: Locator): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const b = await l.boundingBox();
    const h = (await page.locator(".history").boundingBox())!;
    if (b && b.y >= h.y - 1 && b.y + b.height <= h.y + h.height + 1) return;
    await Bun.sleep(50);
  }
  throw new Error("the sent message did not come into view");
}
