// Notifications in the web client, end to end: real headless Chromium (Debian's package
// through playwright-core) against a real server (`bun src/main.ts serve`).
// - In the open app: a message to a page in the background (a second page in front, so the
//   page is really hidden) shows a system notification with sender, chat and text (read back
//   with registration.getNotifications()), the title count "(1) Hearth", the app badge and a
//   chime; clicking it (the service worker's click path, self.hearthClick) opens the chat.
//   Looking at one chat: a message there shows nothing, one elsewhere notifies.
// - Web Push: Chromium cannot subscribe offline (its push service is on the internet), so a
//   push is delivered straight to the service worker with CDP ServiceWorker.deliverPushMessage;
//   the notification has the payload's title/body, a content-hidden push gets the generic
//   text, clicking opens the chat and "Mark as read" moves the read pointer on the server;
//   with no window open, Mark as read and a reply use the payload's capability.
//   The subscribe flow's server half goes through the protocol (push.config, push.subscribe,
//   session.list shows push, the device list offers a test notification).
// - Calls: a ringing call on a page not looked at rings and notifies; do not disturb
//   silences both unless "calls ring even in do not disturb" is on.
// - Settings: a chat's level and mute (the list shows the bell and a grey count), do not
//   disturb (others see it on the avatar and presence line), quiet hours, the switches;
//   the permission offer; axe-core on these screens (light and dark). Screenshots at 390×844 (touch) and 1280×800 in
//   test-artifacts/screenshots/notify-*.png.
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from "bun:test";
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Browser, type BrowserContext, chromium, type Page, type Worker } from "playwright-core";
import { type RunningBinary, startHearth } from "../../scripts/run-binary.ts";
import { ensureWebBuilt } from "../../scripts/setup.ts";
import type { HearthClient } from "../../src/client/index.ts";
import { authPaths, type AuthTokens } from "../../src/protocol/http.ts";
import { connectClient } from "../support/harness.ts";
import { freeRtcPort } from "../support/calls-server.ts";
import { actionToken } from "../../src/push/action.ts";
import { loadSecrets } from "../../src/secrets/store.ts";

setDefaultTimeout(90_000);

const repo = join(import.meta.dir, "..", "..");
const shots = join(repo, "test-artifacts", "screenshots");
const password = "correct horse battery staple";
const chromiumArgs = [
  "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
  "--autoplay-policy=no-user-gesture-required",
];

let dir: string;
let server: RunningBinary;
let browser: Browser;
const errors: string[] = [];
const clients: HearthClient[] = [];

beforeAll(async () => {
  try {
    await ensureWebBuilt();
  } catch (e) {
    throw new Error(`the web client could not be built (vite build of web/): ${(e as Error).message}`);
  }
  dir = mkdtempSync(join(tmpdir(), "hearth-nweb-e2e-"));
  server = await startHearth([process.execPath, join(repo, "src", "main.ts")], repo, [
    "--data", dir, "--set", "accounts.registerAttemptsPerIp=100000", "--set", "tls.mode=off", "--set", "accounts.registration=open",
    "--set", "calls.workers=1", "--set", `calls.rtcPort=${await freeRtcPort()}`, "--set", "calls.announcedAddress=127.0.0.1",
  ]);
  browser = await chromium.launch({ executablePath: "/usr/bin/chromium", headless: false, args: chromiumArgs });
  mkdirSync(shots, { recursive: true });
}, 240_000);

afterAll(async () => {
  for (const c of clients) c.close();
  await browser?.close();
  server?.proc.kill("SIGTERM");
  await server?.proc.exited;
  if (dir) rmSync(dir, { recursive: true, force: true });
  if (errors.length) console.log(errors.join("\n"));
});

type Size = "phone" | "desktop";
interface Person {
  id: string;
  name: string;
  tokens: AuthTokens;
  client: HearthClient;
  request<R = any>(method: string, params: unknown): Promise<R>;
}

let seq = 0;
async function person(prefix: string, displayName: string): Promise<Person> {
  const name = `${prefix}${++seq}${Date.now() % 100000}`;
  const res = await fetch(server.url + authPaths.register, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ username: name, password, displayName, deviceName: "chromium" }) });
  if (!res.ok) throw new Error(`register: ${res.status} ${await res.text()}`);
  const tokens = (await res.json()) as AuthTokens;
  const client = await connectClient({ url: server.url, wsUrl: server.url.replace(/^http/, "ws") + "/ws" }, tokens);
  clients.push(client);
  return { id: tokens.userId, name, tokens, client, request: (m, p) => client.request(m as never, p as never) as Promise<any> };
}

async function direct(a: Person, b: Person): Promise<string> {
  const r = await a.request<{ entry: { chat: { id: string } } }>("chat.create", { kind: "direct", userId: b.id });
  return r.entry.chat.id;
}

async function group(owner: Person, title: string, members: Person[]): Promise<string> {
  const r = await owner.request<{ entry: { chat: { id: string } } }>("chat.create", { kind: "group", clientId: crypto.randomUUID(), title, memberIds: members.map((m) => m.id) });
  return r.entry.chat.id;
}

const say = (p: Person, chatId: string, text: string) => p.request("message.send", { chatId, clientId: crypto.randomUUID(), text });

/** The person's app in a Chromium context of its own (the session they registered with). */
async function openApp(p: Person, size: Size, grant = true, init?: () => void, sent?: string[]): Promise<{ ctx: BrowserContext; page: Page }> {
  const ctx = await browser.newContext(
    size === "phone" ? { viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true, colorScheme: "light" } : { viewport: { width: 1280, height: 800 }, colorScheme: "light" },
  );
  if (grant) await ctx.grantPermissions(["notifications"], { origin: server.url });
  // the session is this person's page session: a separate refresh chain from p.client's
  const res = await fetch(server.url + authPaths.login, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ username: p.name, password, deviceName: `chromium ${size}` }) });
  const tokens = (await res.json()) as AuthTokens;
  await ctx.addInitScript((t) => localStorage.getItem("hearth.session") ?? localStorage.setItem("hearth.session", t), JSON.stringify(tokens));
  if (init) await ctx.addInitScript(init);
  const page = await ctx.newPage();
  page.on("pageerror", (e) => errors.push(`${p.name} pageerror: ${e.message}`));
  // method names (and values) this page sent over /ws: msgpack keeps strings as UTF-8 bytes
  if (sent) page.on("websocket", (ws) => ws.on("framesent", (f) => void sent.push(Buffer.from(f.payload as never).toString("latin1"))));
  await page.goto(`${server.url}/?e2e`);
  await page.getByRole("button", { name: "New chat" }).waitFor();
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
  return { ctx, page };
}

async function worker(ctx: BrowserContext): Promise<Worker> {
  return ctx.serviceWorkers()[0] ?? (await ctx.waitForEvent("serviceworker"));
}

/**
 * The page's notifications as the browser holds them. Read only once the page has shown one
 * and none of its showNotification() calls is still in flight: a getNotifications() that
 * overlaps a showNotification() sometimes lost that notification from the list for good
 * (seen in about one run of three of this file; showNotification had resolved without error).
 */
const notifications = (page: Page) =>
  page.evaluate(async () => {
    const hook = (window as unknown as { __hearthNotify?: { shown(): unknown[]; showing(): number } }).__hearthNotify;
    if (hook && (hook.shown().length === 0 || hook.showing() > 0)) return [];
    const reg = await navigator.serviceWorker.ready;
    return (await reg.getNotifications()).map((n) => ({ title: n.title, body: n.body, tag: n.tag, actions: (n as unknown as { actions: { action: string }[] }).actions.map((a) => a.action) }));
  });

async function until<T>(what: string, f: () => Promise<T>, ok: (v: T) => boolean): Promise<T> {
  let v = await f();
  for (let i = 0; i < 300 && !ok(v); i++) {
    await Bun.sleep(50);
    v = await f();
  }
  if (!ok(v)) throw new Error(`${what}: still ${JSON.stringify(v)}`);
  return v;
}

const hook = <T>(page: Page, key: string) => page.evaluate((k) => (window as any).__hearthNotify[k](), key) as Promise<T>;

/** axe-core's serious and critical findings on the page as it is (injected by DevTools evaluation: the CSP refuses inline script). */
async function axe(page: Page, screen: string): Promise<string[]> {
  await page.evaluate(readFileSync(join(repo, "node_modules", "axe-core", "axe.min.js"), "utf8"));
  const found = await page.evaluate(async () => {
    const r = await (window as any).axe.run(document);
    return (r.violations as { id: string; impact: string; nodes: { target: string[] }[] }[])
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`);
  });
  return found.map((v) => `${screen}: ${v}`);
}

/**
 * Puts another page in front of `page`, which then really loses the focus (blur,
 * document.hasFocus() false) — "not looked at", as a window behind another. Playwright
 * emulates focus for every page; that is turned off for this one. (New headless Chromium
 * keeps every page's visibilityState "visible" whatever is in front, and CDP has no way to
 * hide one; the hidden case is covered with an overridden visibilityState further down.)
 */
async function cover(ctx: BrowserContext, page: Page): Promise<Page> {
  const cdp = await ctx.newCDPSession(page);
  await cdp.send("Emulation.setFocusEmulationEnabled", { enabled: false });
  const front = await ctx.newPage();
  await front.goto("about:blank");
  await front.bringToFront();
  await until("the covered page lost the focus", () => page.evaluate(() => document.hasFocus()), (v) => !v);
  expect(await hook<boolean>(page, "looking")).toBe(false);
  return front;
}

test("a message to a page in the background: system notification, title count, badge and chime; the click opens the chat", async () => {
  const ann = await person("ann", "Ann Żółć-Lindqvist 🌻");
  const bob = await person("bob", "Bob");
  const chatId = await direct(ann, bob);
  const { ctx, page } = await openApp(bob, "desktop");
  const front = await cover(ctx, page);
  await say(ann, chatId, "Dinner at **seven**? 🍝");
  const shown = await until("a notification", () => notifications(page), (n) => n.length === 1);
  expect(shown[0]).toEqual({ title: "Ann Żółć-Lindqvist 🌻", body: "Dinner at seven? 🍝", tag: `chat:${chatId}`, actions: ["read", "reply"] });
  expect(await until("the title count", () => page.title(), (t) => t === "(1) Hearth")).toBe("(1) Hearth");
  expect(await hook<number>(page, "badge")).toBe(1);
  expect(await hook<number>(page, "chimes")).toBe(1);
  expect(await page.locator('link[rel="icon"]').getAttribute("href")).toBe("/icon-dot.svg");

  // a click on it (the service worker's click path) brings the chat up in the open window
  const sw = await worker(ctx);
  expect(await sw.evaluate((tag) => (self as any).hearthClick(tag, ""), `chat:${chatId}`)).toBe(true);
  await until("the chat opened", async () => new URL(page.url()).pathname, (p) => p === `/chat/${chatId}`);
  await page.bringToFront();
  await front.close();
  await page.locator(".history .msg", { hasText: "Dinner at seven?" }).waitFor();
  // read in front of the reader: the count and badge go, the favicon loses its dot
  await until("the title without a count", () => page.title(), (t) => t === "Hearth");
  expect(await hook<number>(page, "badge")).toBe(0);
  expect(await page.locator('link[rel="icon"]').getAttribute("href")).toBe("/icon.svg");
  await page.screenshot({ path: join(shots, "notify-opened-desktop.png") });
  await ctx.close();
});

test("looking at a chat: a message there shows nothing, one in another chat notifies (group: sender in the body)", async () => {
  const ann = await person("ann", "Ann");
  const bob = await person("bob", "Bob");
  const dm = await direct(ann, bob);
  const fam = await group(ann, "Family 🏡 with a rather long name for a group", [bob]);
  const { ctx, page } = await openApp(bob, "phone");
  await page.locator(".chat-row", { hasText: "Ann" }).first().click();
  await page.locator(".chat-view, .main-pane").first().waitFor();
  await say(ann, dm, "here, in front of you");
  await page.locator(".history .msg", { hasText: "here, in front of you" }).waitFor();
  await say(ann, fam, "Who brings the cake?");
  const shown = await until("the group's notification", () => notifications(page), (n) => n.length > 0).catch(async (e) => {
    throw new Error(`${(e as Error).message}; page: ${JSON.stringify({ shown: await hook(page, "shown"), looking: await hook(page, "looking"), url: page.url(), rows: await page.locator(".chat-row").allInnerTexts() })}`);
  });
  // the message in the open chat was shown on screen only: exactly the group's notification exists
  expect(shown).toEqual([{ title: "Family 🏡 with a rather long name for a group", body: "Ann: Who brings the cake?", tag: `chat:${fam}`, actions: ["read", "reply"] }]);
  expect((await hook<{ chatId: string }[]>(page, "shown")).map((n) => n.chatId)).toEqual([fam]);
  await page.screenshot({ path: join(shots, "notify-other-chat-phone.png") });
  await ctx.close();
});

test("a hidden page tells the server (client.visibility false, again after a reconnect) and notifies", async () => {
  const ann = await person("ann", "Ann");
  const bob = await person("bob", "Bob");
  const chatId = await direct(ann, bob);
  const sent: string[] = [];
  // CDP cannot hide a page in new headless Chromium: visibilityState is overridden instead
  const { ctx, page } = await openApp(bob, "desktop", true, () => {
    Object.defineProperty(document, "visibilityState", { get: () => (window as any).__vis ?? "visible" });
    Object.defineProperty(document, "hidden", { get: () => (window as any).__vis === "hidden" });
  }, sent);
  const hidden = () => sent.filter((f) => f.includes("client.visibility") && f.includes("visible\xc2")).length;
  const visible = () => sent.filter((f) => f.includes("client.visibility") && f.includes("visible\xc3")).length;
  await page.evaluate(() => {
    (window as any).__vis = "hidden";
    document.dispatchEvent(new Event("visibilitychange"));
  });
  await until("visible: false sent", async () => hidden(), (n) => n === 1);
  await say(ann, chatId, "while hidden");
  await until("a notification", () => notifications(page), (n) => n.some((x) => x.body === "while hidden"));
  // a new connection starts as visible on the server: the page says hidden again
  await page.evaluate(() => dispatchEvent(new Event("offline")));
  await until("visible: false sent after the reconnect", async () => hidden(), (n) => n === 2);
  await page.evaluate(() => {
    (window as any).__vis = "visible";
    document.dispatchEvent(new Event("visibilitychange"));
  });
  await until("visible: true sent", async () => visible(), (n) => n >= 1);
  await ctx.close();
});

test("a ringing call while the page is not looked at: ringtone and a notification; do not disturb silences both unless calls may ring through", async () => {
  const ann = await person("ann", "Ann Caller");
  const bob = await person("bob", "Bob");
  const chatId = await direct(ann, bob);
  const { ctx, page } = await openApp(bob, "desktop");
  const front = await cover(ctx, page);
  const tone = () => page.evaluate(() => (window as any).__hearthCall.tone().tone as string | null);
  const incoming = () => page.evaluate(() => (window as any).__hearthCall.state().incoming?.callId as string | undefined);
  const ring = async () => {
    const { callId } = await ann.request<{ callId: string }>("call.join", { chatId });
    await until("the call rings here", incoming, (id) => id === callId);
    return callId;
  };
  const hangUp = async (callId: string) => {
    await ann.request("call.leave", { callId });
    await until("the ringing stopped", incoming, (id) => id === undefined);
  };
  let callId = await ring();
  expect(await until("the ringtone", tone, (v) => v === "ring")).toBe("ring");
  const shown = await until("the call's notification", () => notifications(page), (n) => n.length > 0).catch(async (e) => {
    throw new Error(`${(e as Error).message}; page: ${JSON.stringify({ looking: await hook(page, "looking"), shown: await hook(page, "shown"), focus: await page.evaluate(() => document.hasFocus()), tone: await tone() })}`);
  });
  expect(shown).toEqual([{ title: "Incoming call", body: "Ann Caller is calling you", tag: `chat:${chatId}`, actions: [] }]);
  await hangUp(callId);
  await page.evaluate(async () => (await (await navigator.serviceWorker.ready).getNotifications()).forEach((n) => n.close()));

  // do not disturb: the call still arrives (the dialog), but nothing rings and nothing pops up
  await bob.request("notify.set", { dnd: { until: 2 ** 53 - 1, schedule: null } });
  await until("do not disturb reached the page", () => hook<boolean>(page, "dnd"), (v) => v);
  callId = await ring();
  expect(await tone()).toBeNull();
  expect(await notifications(page)).toEqual([]);
  await hangUp(callId);
  // … unless calls may ring through it
  await bob.request("notify.set", { callsBypassDnd: true });
  await until("the setting reached the page", () => page.evaluate(() => (window as any).__hearthNotify.prefs().callsBypassDnd as boolean), (v) => v);
  callId = await ring();
  expect(await until("the ringtone", tone, (v) => v === "ring")).toBe("ring");
  await hangUp(callId);
  await front.close();
  await ctx.close();
});

/** The service worker's registration id, for CDP ServiceWorker.deliverPushMessage. */
async function registrationId(page: Page): Promise<string> {
  const cdp = await page.context().newCDPSession(page);
  const ids: string[] = [];
  cdp.on("ServiceWorker.workerRegistrationUpdated", (e: { registrations: { registrationId: string; scopeURL: string; isDeleted: boolean }[] }) => {
    for (const r of e.registrations) if (!r.isDeleted && r.scopeURL.startsWith(server.url)) ids.push(r.registrationId);
  });
  await cdp.send("ServiceWorker.enable");
  await until("the registration", async () => ids.length, (n) => n > 0);
  (page as any).__cdp = cdp;
  return ids[0]!;
}

async function deliverPush(page: Page, regId: string, payload: unknown): Promise<void> {
  const cdp = (page as any).__cdp as Awaited<ReturnType<BrowserContext["newCDPSession"]>>;
  await cdp.send("ServiceWorker.deliverPushMessage", { origin: server.url, registrationId: regId, data: JSON.stringify(payload) });
}

test("a Web Push delivered to the service worker shows per chat; clicking opens the chat, Mark as read reads it, a reply is sent", async () => {
  const ann = await person("ann", "Ann");
  const bob = await person("bob", "Bob");
  const chatId = await direct(ann, bob);
  const annEvents: { text: string; senderId: string }[] = [];
  ann.client.on("message.created", (d) => void annEvents.push(d.message));
  const { ctx, page } = await openApp(bob, "desktop");
  const regId = await registrationId(page);
  const front = await cover(ctx, page);
  const sent = await say(ann, chatId, "pushed text");
  // the open page notifies first (in-app); the push for the same chat then replaces it (one tag)
  await until("the in-app notification", () => notifications(page), (n) => n.length === 1);
  const base = { v: 1, kind: "message", chatId, count: 1, url: `/chat/${chatId}`, tag: `chat:${chatId}`, at: Date.now() };
  await deliverPush(page, regId, { ...base, title: "Ann", body: "pushed text, as the server wrote it" });
  // the page's own in-app notification for that message carries the same tag: one per chat
  const shown = await until("the pushed notification", () => notifications(page), (n) => n.some((x) => x.body === "pushed text, as the server wrote it"));
  expect(shown.filter((n) => n.tag === `chat:${chatId}`)).toHaveLength(1);
  expect(shown.find((n) => n.tag === `chat:${chatId}`)).toEqual({ title: "Ann", body: "pushed text, as the server wrote it", tag: `chat:${chatId}`, actions: ["read", "reply"] });
  // content hidden: the server sends empty texts, the worker says only what it is
  await deliverPush(page, regId, { ...base, chatId: null, tag: "test", kind: "test", url: "/settings", title: "", body: "" });
  const generic = await until("the generic one", () => notifications(page), (n) => n.some((x) => x.tag === "test"));
  expect(generic.find((n) => n.tag === "test")).toMatchObject({ title: "Hearth", body: "Test notification: notifications reach this device." });

  // "Mark as read": the open window does it over its connection
  const sw = await worker(ctx);
  expect(await sw.evaluate((tag) => (self as any).hearthClick(tag, "read"), `chat:${chatId}`)).toBe(true);
  await until("read on the server", () => bob.request<{ unreadCount: number; me: { readSeq: number } }>("chat.get", { chatId }), (e) => e.unreadCount === 0 && e.me.readSeq >= sent.message.seq);
  await until("the title count gone", () => page.title(), (t) => t === "Hearth");

  // an inline reply (where the platform has one) is sent by the open window
  await deliverPush(page, regId, { ...base, title: "Ann", body: "still there?" });
  await until("the next one", () => notifications(page), (n) => n.some((x) => x.body === "still there?"));
  const from = annEvents.length;
  expect(await sw.evaluate((tag) => (self as any).hearthClick(tag, "reply", "on my way 🚲"), `chat:${chatId}`)).toBe(true);
  await until("the reply arrived", async () => annEvents.slice(from).some((m) => m.text === "on my way 🚲" && m.senderId === bob.id), (v) => v);

  // a new push for the chat, clicked: the chat opens
  // (newer than anything read: the read the reply made, arriving late, does not close it)
  await deliverPush(page, regId, { ...base, title: "Ann", body: "5 new messages", count: 5, seq: 1000 });
  await until("the coalesced one", () => notifications(page), (n) => n.some((x) => x.body === "5 new messages"));
  expect(await sw.evaluate((tag) => (self as any).hearthClick(tag, ""), `chat:${chatId}`)).toBe(true);
  await until("the chat opened", async () => new URL(page.url()).pathname, (p) => p === `/chat/${chatId}`);
  expect((await notifications(page)).filter((n) => n.tag === `chat:${chatId}`)).toHaveLength(0);
  await front.close();
  await ctx.close();
});

test("with no window open, Mark as read and an inline reply use the push's own capability", async () => {
  const ann = await person("ann", "Ann");
  const bob = await person("bob", "Bob");
  const chatId = await direct(ann, bob);
  const annEvents: { text: string; senderId: string }[] = [];
  ann.client.on("message.created", (d) => void annEvents.push(d.message));
  const { ctx, page } = await openApp(bob, "desktop");
  // the worker may be stopped when idle and started again by the next push: always ask for the running one
  const sw = async () => ctx.serviceWorkers().at(-1) ?? (await worker(ctx));
  const count = async () => (await sw()).evaluate(async () => (await (self as any).registration.getNotifications()).length).catch(() => -1);
  // a page of another origin keeps the context (and a CDP target) after the app's page closes
  const other = await ctx.newPage();
  await other.goto("about:blank");
  const regId = await registrationId(other);
  const { sessions } = await bob.request<{ sessions: { id: string; deviceName: string }[] }>("session.list", {});
  const sessionId = sessions.find((x) => x.deviceName === "chromium desktop")!.id;
  await page.close();
  expect(await (await sw()).evaluate(async () => (await (self as any).clients.matchAll({ type: "window" })).length)).toBe(0);

  // what the server puts in a message push for that session (push-action-key from the data dir)
  const key = loadSecrets(dir).get("push-action-key");
  const sent = await say(ann, chatId, "are you coming?");
  const seq = sent.message.seq as number;
  const token = actionToken(key, { sessionId, chatId, seq }, Date.now())!;
  const payload = { v: 1, kind: "message", chatId, count: 1, url: `/chat/${chatId}`, tag: `chat:${chatId}`, at: Date.now(), title: "Ann", body: "are you coming?", seq, action: token };
  await deliverPush(other, regId, payload);
  await until("the push", count, (n) => n === 1);
  expect(await (await sw()).evaluate((tag) => (self as any).hearthClick(tag, "read"), `chat:${chatId}`)).toBe(true);
  await until("read on the server", () => bob.request<{ unreadCount: number; me: { readSeq: number } }>("chat.get", { chatId }), (e) => e.unreadCount === 0 && e.me.readSeq >= seq);

  await deliverPush(other, regId, payload);
  await until("the push again", count, (n) => n === 1);
  expect(await (await sw()).evaluate((tag) => (self as any).hearthClick(tag, "reply", "yes, in 10 minutes"), `chat:${chatId}`)).toBe(true);
  await until("the reply arrived", async () => annEvents.some((m) => m.text === "yes, in 10 minutes" && m.senderId === bob.id), (v) => v);
  // neither opened a window
  expect(ctx.pages().map((p) => p.url())).toEqual(["about:blank"]);
  await ctx.close();
});

test("the subscribe flow's server half: push.config, push.subscribe, the device list with a test notification", async () => {
  const bob = await person("bob", "Bob");
  const config = await bob.request<{ vapidPublicKey: string; available: boolean; subscribed: boolean }>("push.config", {});
  expect(config.available).toBe(true);
  expect(Buffer.from(config.vapidPublicKey, "base64url")).toHaveLength(65);
  expect(config.subscribed).toBe(false);
  // what the app hands over after pushManager.subscribe (a made-up public endpoint: nothing reaches it)
  const p256dh = Buffer.from(new Uint8Array(await crypto.subtle.exportKey("raw", (await crypto.subtle.generateKey({ name: "ECDH", namedCurve: "P-256" }, true, ["deriveBits"])).publicKey))).toString("base64url");
  await bob.request("push.subscribe", { endpoint: "https://push.example.com/send/abc", keys: { p256dh, auth: Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64url") } });
  expect((await bob.request<{ subscribed: boolean }>("push.config", {})).subscribed).toBe(true);

  const { ctx, page } = await openApp(bob, "phone");
  await page.getByRole("button", { name: "Settings" }).click();
  const devices = page.locator(".session-list li");
  await devices.first().waitFor();
  const withPush = devices.filter({ hasText: "Push" });
  expect(await withPush.count()).toBe(1);
  await withPush.getByRole("button", { name: "Send a test notification" }).click();
  await page.getByText("Test notification sent.").waitFor();
  await withPush.scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(shots, "notify-devices-phone.png") });
  await ctx.close();
});

async function settingsShots(size: Size): Promise<void> {
  const ann = await person("ann", "Ann Żółć-Lindqvist 🌻");
  const bob = await person("bob", "Bob");
  const fam = await group(ann, "Family 🏡 weekend plans and more", [bob]);
  const dm = await direct(ann, bob);
  await say(ann, fam, "one");
  await say(ann, fam, "two");
  const { ctx, page } = await openApp(bob, size);
  // a chat's notifications: mentions only, then muted for 8 hours
  await page.locator(".chat-row", { hasText: "Family" }).click();
  await page.getByRole("button", { name: "Chat info" }).click();
  const panel = page.locator(".info-panel");
  await panel.getByRole("radio", { name: "Mentions only" }).click();
  await until("level saved", () => bob.request<{ me: { notify: { level: string } } }>("chat.get", { chatId: fam }), (e) => e.me.notify.level === "mentions");
  await panel.getByRole("button", { name: "8 hours" }).click();
  await panel.getByText(/Muted until/).waitFor();
  const entry = await bob.request<{ me: { notify: { muteUntil: number } } }>("chat.get", { chatId: fam });
  expect(entry.me.notify.muteUntil - Date.now()).toBeGreaterThan(7.9 * 3_600_000);
  await panel.getByText(/Muted until/).scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(shots, `notify-chat-${size}.png`) });
  const a11y = await axe(page, `chat notifications (${size})`);
  // the list shows the bell and a grey count
  await panel.getByRole("button", { name: "Close" }).click();
  // back to the list (the chat closes on desktop too: a message in an open chat is read at once)
  if (size === "phone") await page.locator(".chat-head").getByRole("button", { name: "Back" }).click();
  else await page.goBack();
  await until("the chat closed", async () => new URL(page.url()).pathname, (p) => p === "/");
  const row = page.locator(".chat-row", { hasText: "Family" });
  await row.locator(".muted-mark").waitFor();
  await say(ann, fam, "three");
  await row.locator(".badge.quiet").waitFor();
  // the muted chat did not notify: a later message in the direct chat does (a barrier)
  await say(ann, dm, "ping");
  await until("the direct chat's notification", () => hook<{ chatId: string }[]>(page, "shown"), (n) => n.some((x) => x.chatId === dm));
  expect((await hook<{ chatId: string }[]>(page, "shown")).map((n) => n.chatId)).toEqual([dm]);
  await page.screenshot({ path: join(shots, `notify-list-muted-${size}.png`) });

  // do not disturb: Ann sees it on Bob's avatar and presence line
  await page.getByRole("button", { name: "Settings" }).click();
  const section = page.locator('section[aria-label="Notifications"]');
  await section.getByRole("radio", { name: "Until I turn it off" }).click();
  await section.getByText("Do not disturb is on").waitFor();
  await section.getByRole("checkbox", { name: "Quiet hours every week" }).check();
  await section.locator('input[name="quietFrom"]').waitFor();
  await section.getByRole("checkbox", { name: "Hide message text in notifications" }).check();
  const settings = await until("settings saved", () => bob.request<any>("notify.get", {}), (s) => s.hideContent && s.dnd.schedule !== null && s.dnd.until !== null);
  expect(settings.dnd.schedule).toMatchObject({ startMin: 22 * 60, endMin: 7 * 60 });
  await section.scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(shots, `notify-settings-${size}.png`) });
  a11y.push(...(await axe(page, `notification settings (${size})`)));
  await page.emulateMedia({ colorScheme: "dark" });
  await page.screenshot({ path: join(shots, `notify-settings-${size}-dark.png`) });
  a11y.push(...(await axe(page, `notification settings, dark (${size})`)));
  await page.emulateMedia({ colorScheme: "light" });
  const annApp = await openApp(ann, size);
  await annApp.page.locator(".chat-row", { hasText: "Bob" }).click();
  await annApp.page.locator(".chat-head").getByText("do not disturb").waitFor();
  await annApp.page.locator(".chat-head .presence-dot.dnd").waitFor();
  await annApp.page.screenshot({ path: join(shots, `notify-peer-dnd-${size}.png`) });
  await annApp.ctx.close();
  await ctx.close();
  expect(a11y).toEqual([]);
}

test("settings at phone size: a chat's level and mute, do not disturb seen by others, quiet hours", () => settingsShots("phone"));
test("settings at desktop size: the same", () => settingsShots("desktop"));

test("the permission offer: explained first, the browser asks only after 'Allow notifications'; stopped on this device, nothing notifies", async () => {
  const bob = await person("bob", "Bob");
  const ann = await person("ann", "Ann");
  const chatId = await direct(ann, bob);
  for (const size of ["phone", "desktop"] as const) {
    const { ctx, page } = await openApp(bob, size, false, () => {
      // count the browser prompts the page asks for
      const ask = Notification.requestPermission.bind(Notification);
      (window as any).__asked = 0;
      Notification.requestPermission = () => ((window as any).__asked++, ask());
    });
    const offer = page.getByRole("region", { name: "Get notified about new messages" });
    await offer.waitFor();
    expect(await page.evaluate(() => [Notification.permission, (window as any).__asked])).toEqual(["default", 0]);
    await page.screenshot({ path: join(shots, `notify-offer-${size}.png`) });
    expect(await axe(page, `permission offer (${size})`)).toEqual([]);
    // "Allow notifications" opens the browser's prompt (headless answers it by itself, without granting)
    await offer.getByRole("button", { name: "Allow notifications" }).click();
    await until("the prompt was asked for", () => page.evaluate(() => (window as any).__asked), (n) => n === 1);
    // granted (as after "Allow"): no offer any more; push cannot reach Chromium's push
    // service here, so the subscribe fails and the settings say what that means
    await ctx.grantPermissions(["notifications"], { origin: server.url });
    await page.reload();
    await page.getByRole("button", { name: "New chat" }).waitFor();
    expect(await offer.count()).toBe(0);
    await page.getByRole("button", { name: "Settings" }).click();
    await page.getByText(/only in-app notifications work/).waitFor();
    expect(await hook<string>(page, "push")).toBe("failed");
    await page.getByText(/only in-app notifications work/).scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(shots, `notify-device-${size}.png`) });
    // stopped on this device: no notification in the open app either
    await page.getByRole("button", { name: "Stop notifications on this device" }).click();
    await page.getByText("Notifications are off for this device.").waitFor();
    await page.keyboard.press("Escape");
    await say(ann, chatId, `quiet please ${size}`);
    await page.locator(".chat-row", { hasText: `quiet please ${size}` }).waitFor(); // the page applied it
    expect(await hook<unknown[]>(page, "shown")).toEqual([]);
    expect(await notifications(page)).toEqual([]);
    await page.getByRole("button", { name: "Settings" }).click();
    await page.getByRole("button", { name: "Allow notifications" }).click(); // on again for the next round
    await page.getByText("Notifications are on while Hearth is open.").waitFor();
    await ctx.close();
  }
  expect(errors).toEqual([]);
});
