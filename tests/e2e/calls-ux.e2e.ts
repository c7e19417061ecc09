// Calls UX in the web client, end to end (real Chromium, real server with the cached
// mediasoup worker, fake media devices): ringtone and ringback while a 1:1 call rings and
// silence once answered; one hanging up ends the call on both screens; a channel subscriber
// gets no call buttons and never asks for the member list; a 450-member group's list pages
// with "Show more" instead of stopping; role labels are not cut. Every screen at phone width
// (390×844, touch) and desktop (1280×800); screenshots in test-artifacts/screenshots/.
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";
import { ensureWebBuilt } from "../../scripts/setup.ts";
import { accountsAuthenticate, accountsModule } from "../../src/accounts/module.ts";
import { createInprocBus } from "../../src/bus/inproc.ts";
import { Calls } from "../../src/calls/calls.ts";
import { callsModule } from "../../src/calls/module.ts";
import { freeRtcPort } from "../support/calls-server.ts";
import { chatsModule } from "../../src/chats/module.ts";
import { loadConfig } from "../../src/config/load.ts";
import { newId } from "../../src/ids.ts";
import { createLogger } from "../../src/log/logger.ts";
import { createMetrics } from "../../src/metrics/registry.ts";
import { presenceModule } from "../../src/presence/module.ts";
import { createLocalRegistry } from "../../src/presence/registry.ts";
import { authPaths, type AuthTokens } from "../../src/protocol/http.ts";
import { loadSecrets } from "../../src/secrets/store.ts";
import { type RunningServer, startServer } from "../../src/server/app.ts";
import type { Deps } from "../../src/core/deps.ts";
import { createWebAssets } from "../../src/server/static.ts";
import { createWsPart } from "../../src/server/ws.ts";
import { openSqliteStorage } from "../../src/storage/sqlite/storage.ts";
import { connectClient, until } from "../support/harness.ts";

setDefaultTimeout(90_000);

const repo = join(import.meta.dir, "..", "..");
const shots = join(repo, "test-artifacts", "screenshots");
const password = "correct horse battery staple";
const chromiumArgs = [
  "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
  "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream", "--autoplay-policy=no-user-gesture-required",
];

let dir: string;
let server: RunningServer;
let calls: Calls;
let deps: Deps;
const browsers: Browser[] = [];
const errors: string[] = [];
const serverErrors: string[] = [];



/** The server as `hearth serve` composes it (accounts, chats, calls, presence, web), in this process. */
async function startServerWithCalls(): Promise<void> {
  dir = mkdtempSync(join(tmpdir(), "hearth-calls-ux-e2e-"));
  const set = ["accounts.registration=open", "calls.workers=1", `calls.rtcPort=${await freeRtcPort()}`, "calls.announcedAddress=127.0.0.1"];
  const config = loadConfig({ flags: { data: dir, port: 0, host: "127.0.0.1", set } });
  const log = createLogger({ level: "error", format: "json", stream: { write: (line: string) => void serverErrors.push(line.trim()) } });
  const storage = await openSqliteStorage({ file: join(dir, "hearth.db"), durability: "normal", log });
  deps = { config, storage, bus: createInprocBus(), log, metrics: createMetrics({ processMetrics: false }), secrets: loadSecrets(dir), now: Date.now };
  calls = new Calls(deps);
  const modules = [accountsModule(deps), chatsModule(deps), callsModule(deps, { calls }), presenceModule(deps, { registry: createLocalRegistry() })];
  server = startServer(deps, {
    routes: modules.flatMap((m) => (m.routes ? [m.routes] : [])),
    stops: modules.flatMap((m) => (m.stop ? [m.stop] : [])),
    websocket: createWsPart(deps, { authenticate: accountsAuthenticate(deps), modules }),
    web: createWebAssets({ dir: join(repo, "web", "dist") }),
  });
}

beforeAll(async () => {
  try {
    await ensureWebBuilt();
  } catch (e) {
    throw new Error(`the web client could not be built (vite build of web/): ${(e as Error).message}`);
  }
  await startServerWithCalls();
  mkdirSync(shots, { recursive: true });
}, 240_000);

afterAll(async () => {
  for (const b of browsers) await b.close().catch(() => undefined);
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function post(path: string, body: unknown): Promise<AuthTokens> {
  const res = await fetch(server.url + path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as AuthTokens;
}

type Size = "phone" | "desktop";
interface Person {
  name: string;
  displayName: string;
  tokens: AuthTokens;
  page: Page;
  /** Method names this page sent over /ws (msgpack keeps strings as UTF-8 bytes). */
  sent: string[];
}

let seq = 0;
/** A registered user signed in inside their own Chromium, at phone width with touch or at desktop size. */
async function person(prefix: string, displayName: string, size: Size): Promise<Person> {
  const name = `${prefix}${++seq}`;
  const tokens = await post(authPaths.register, { username: name, password, displayName, deviceName: "chromium" });
  const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", headless: false, args: chromiumArgs });
  browsers.push(browser);
  const ctx = await browser.newContext(
    size === "phone" ? { viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true, colorScheme: "light" } : { viewport: { width: 1280, height: 800 }, colorScheme: "light" },
  );
  await ctx.grantPermissions(["camera", "microphone"], { origin: server.url });
  await ctx.addInitScript((t) => localStorage.getItem("hearth.session") ?? localStorage.setItem("hearth.session", t), JSON.stringify(tokens));
  const page = await ctx.newPage();
  const sent: string[] = [];
  page.on("websocket", (ws) => ws.on("framesent", (f) => sent.push(Buffer.from(f.payload as never).toString("latin1"))));
  page.on("pageerror", (e) => errors.push(`${name} pageerror: ${e.message}`));
  await page.goto(`${server.url}/?e2e`);
  await page.getByRole("button", { name: "New chat" }).waitFor();
  return { name, displayName, tokens, page, sent };
}

const wsUrl = () => server.url.replace(/^http/, "ws") + "/ws";
const clientOf = async (p: Person) => connectClient({ url: server.url, wsUrl: wsUrl() }, await post(authPaths.login, { username: p.name, password, deviceName: "setup" }));
const tone = (p: Person) => p.page.evaluate(() => (window as any).__hearthCall.tone() as { tone: string | null; context: string | null });
const callState = (p: Person) => p.page.evaluate(() => (window as any).__hearthCall.state());
const shot = (p: Person, file: string) => p.page.screenshot({ path: join(shots, file) });
const openChat = async (p: Person, title: string) => {
  const row = p.page.locator(".chat-row", { hasText: title });
  await row.waitFor();
  await row.click();
};

for (const [callerSize, calleeSize] of [["phone", "desktop"], ["desktop", "phone"]] as const) {
  test(`1:1 at ${callerSize}→${calleeSize}: ringback and ringtone until answered, then silence; the callee hangs up and both screens show the end`, async () => {
    const ann = await person("ann", "Ann-Sophie Wolkenstein-Durchhausen 🌻", callerSize);
    const ben = await person("ben", "Benedikt 🚀 Okonkwo-Lindqvist", calleeSize);
    const c = await clientOf(ann);
    await c.request("chat.create", { kind: "direct", userId: ben.tokens.userId });
    c.close();

    await openChat(ann, "Benedikt");
    await ann.page.getByRole("button", { name: "Voice call" }).click();
    await until(async () => (await tone(ann)).tone === "ringback");
    const dialog = ben.page.getByRole("dialog", { name: "Incoming call" });
    await dialog.waitFor();
    await until(async () => (await tone(ben)).tone === "ring");
    expect((await tone(ben)).context).not.toBeNull();
    // The ringing screen shows whom she calls (his initials, as in her chat list); her own tile her initials, not "Y" for "You".
    const listInitials = await ann.page.locator(".chat-row", { hasText: "Benedikt" }).locator(".avatar").first().textContent().catch(() => null);
    const callee = ann.page.locator(".call-callee .avatar");
    await callee.waitFor();
    if (listInitials !== null) expect(await callee.textContent()).toBe(listInitials);
    expect(await callee.textContent()).toBe("BO");
    expect(await ann.page.locator(`.tile[data-user="${ann.tokens.userId}"] .avatar`).textContent()).toBe("AW");
    await shot(ann, `calls-ux-ringback-${callerSize}.png`);
    await shot(ben, `calls-ux-ringtone-${calleeSize}.png`);

    await dialog.getByRole("button", { name: "Accept", exact: true }).click();
    await until(async () => (await tone(ann)).tone === null && (await tone(ben)).tone === null);
    await until(async () => Object.keys((await callState(ann)).current?.participants ?? {}).length === 2);
    await shot(ben, `calls-ux-in-call-${calleeSize}.png`);

    await ben.page.getByRole("button", { name: "Leave call" }).click();
    // ann did nothing: her call view closes because the server ended the 1:1 call for both.
    await until(async () => (await callState(ann)).current === null);
    await ann.page.locator(".call-view").waitFor({ state: "detached" });
    expect(Object.keys((await callState(ann)).live)).toEqual([]);
    await shot(ann, `calls-ux-ended-${callerSize}.png`);
  });
}

test("a muted chat does not ring", async () => {
  const ann = await person("ann", "Ann 🌙 Mute", "desktop");
  const ben = await person("ben", "Ben Quiet", "desktop");
  const c = await clientOf(ben);
  const chatId = (await c.request("chat.create", { kind: "direct", userId: ann.tokens.userId })).entry.chat.id;
  await c.request("chat.mute", { chatId, muted: true });
  c.close();
  await ben.page.locator(".chat-row", { hasText: "Ann" }).waitFor();
  await openChat(ann, "Ben Quiet");
  await ann.page.getByRole("button", { name: "Voice call" }).click();
  await ben.page.getByRole("dialog", { name: "Incoming call" }).waitFor();
  expect((await tone(ben)).tone).toBeNull();
  await ann.page.getByRole("button", { name: "Leave call" }).click();
});

for (const size of ["phone", "desktop"] as const) {
  test(`channel at ${size}: a subscriber sees no call buttons and never asks for the member list`, async () => {
    const owner = await person("own", "Kanal-Betreiberin 📣 Maximiliane", "desktop");
    const sub = await person("sub", "Subscriber 🐙 with a very long display name indeed", size);
    const c = await clientOf(owner);
    await c.request("chat.create", { kind: "channel", clientId: newId(), title: "Announcements 📢 for everyone in the building", memberIds: [sub.tokens.userId] });
    c.close();
    await openChat(sub, "Announcements");
    expect(await sub.page.getByRole("button", { name: "Voice call" }).count()).toBe(0);
    expect(await sub.page.getByRole("button", { name: "Video call" }).count()).toBe(0);
    await sub.page.getByRole("button", { name: "Chat info" }).click();
    await sub.page.getByRole("complementary", { name: "Chat info" }).waitFor();
    await shot(sub, `calls-ux-channel-subscriber-${size}.png`);
    expect(await sub.page.getByRole("region", { name: "Members" }).count()).toBe(0);
    expect(sub.sent.some((f) => f.includes("member.list"))).toBe(false);
    // The owner still has both.
    await openChat(owner, "Announcements");
    await owner.page.getByRole("button", { name: "Voice call" }).waitFor();
  });
}

for (const size of ["phone", "desktop"] as const) {
  test(`a 450-member group at ${size}: the member list pages with Show more until the end; roles are not cut`, async () => {
    const owner = await person("big", "Organisatorin Annegret 🎉 von Hohenzollern-Sigmaringen-Wittelsb", size);
    const ids: string[] = [];
    for (let i = 0; i < 449; i++) {
      const id = newId();
      await deps.storage.users.create({ id, username: `m${seq}x${i}`, displayName: `Member ${i} 🐝 ${"Longname".repeat(i % 3)}`, passwordHash: "x", role: "member", createdAt: Date.now() });
      ids.push(id);
    }
    const c = await clientOf(owner);
    const chatId = (await c.request("chat.create", { kind: "group", clientId: newId(), title: "Big group 🏟️", memberIds: ids.slice(0, 100) })).entry.chat.id;
    for (let i = 100; i < ids.length; i += 100) await c.request("member.add", { chatId, userIds: ids.slice(i, i + 100) });
    c.close();
    await openChat(owner, "Big group");
    await owner.page.getByRole("button", { name: "Chat info" }).click();
    const list = owner.page.locator(".member-list li");
    await until(async () => (await list.count()) === 200);
    const more = owner.page.getByRole("button", { name: "Show more members" });
    await more.click();
    await until(async () => (await list.count()) === 400);
    await more.click();
    await until(async () => (await list.count()) === 450);
    await more.waitFor({ state: "detached" });
    // The owner's role label is shown whole next to a very long name.
    const role = owner.page.locator(".member-list li", { hasText: "Annegret" }).locator(".member-role");
    const [scroll, client] = await role.evaluate((el) => [el.scrollWidth, el.clientWidth]);
    expect(scroll).toBeLessThanOrEqual(client);
    expect(await role.textContent()).toBe("owner");
    await owner.page.locator(".member-list").scrollIntoViewIfNeeded();
    await shot(owner, `calls-ux-members-${size}.png`);
  });
}

for (const size of ["phone", "desktop"] as const) {
  test(`group at ${size}: a member not in the running call sees "Call in progress — Join" and joins from it`, async () => {
    const host = await person("host", "Gastgeberin Friederike 🎈", "desktop");
    const guest = await person("guest", "Guest 🦊 Müller-Lüdenscheidt", size);
    const c = await clientOf(host);
    const chatId = (await c.request("chat.create", { kind: "group", clientId: newId(), title: "Choir practice 🎶 Thursday evenings", memberIds: [guest.tokens.userId] })).entry.chat.id;
    await openChat(guest, "Choir practice");
    await c.request("call.join", { chatId }); // the host is in the call (signalling only)
    const banner = guest.page.locator(".call-banner");
    await banner.waitFor();
    expect(await banner.textContent()).toContain("Call in progress");
    await shot(guest, `calls-ux-group-banner-${size}.png`);
    await banner.getByRole("button", { name: "Join call" }).click();
    await until(async () => Object.keys((await callState(guest)).current?.participants ?? {}).length === 2);
    await guest.page.getByRole("button", { name: "Leave call" }).click();
    await until(async () => (await callState(guest)).current === null);
    await banner.waitFor(); // the host is still in it: the notice is back
    c.close();
  });
}

test("no page errors", () => expect(errors).toEqual([]));
