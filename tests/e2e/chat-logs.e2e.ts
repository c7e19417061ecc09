// The web client on chat logs (issue 13) in real headless Chromium against a real server:
// a page that was offline while its chats moved on resumes with the per-chat positions it
// holds. A chat with a few new changes gets them as a difference (chat_events), a chat
// further behind than chatDifferenceMax gets a chat_reset: its history is dropped and the
// open chat reloads at the newest message. The list and the chat then show the server's
// state, each message once, at 390×844 (touch) and 1280×800. Screenshots:
// test-artifacts/screenshots/chat-logs-*.png.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";
import { type RunningBinary, startHearth } from "../../scripts/run-binary.ts";
import { ensureWebBuilt } from "../../scripts/setup.ts";
import { createClient, type HearthClient, postJson, tokenAuth } from "../../src/client/index.ts";
import type { AuthTokens } from "../../src/protocol/http.ts";
import { limits } from "../../src/limits.ts";

const repo = join(import.meta.dir, "..", "..");
const shots = join(repo, "test-artifacts", "screenshots");
const password = "correct horse battery staple";
let dir: string;
let server: RunningBinary;
let browser: Browser;
let owner: HearthClient;
const clients: HearthClient[] = [];
const errors: string[] = [];
// more changes than one difference may carry: that chat takes the "too far behind" path
const differenceMax = (limits as unknown as Record<string, number>).chatDifferenceMax ?? 200;

const chromiumArgs = [
  "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
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
  dir = mkdtempSync(join(tmpdir(), "hearth-chatlogs-e2e-"));
  server = await startHearth([process.execPath, join(repo, "src", "main.ts")], repo, ["--data", dir, "--set", "accounts.registerAttemptsPerIp=100000", "--set", "tls.mode=off"]);
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

interface Person {
  id: string;
  username: string;
  client: HearthClient;
}

let seq = 0;
async function person(displayName: string): Promise<Person> {
  const username = `u${++seq}_${Date.now().toString(36)}`;
  const { code } = await owner.request("registration_invite.create", { clientId: `inv-${username}` });
  const tokens = await postJson<AuthTokens>(server.url, "/api/auth/register", { username, password, displayName, inviteCode: code, deviceName: "seeder" });
  return { id: tokens.userId, username, client: await connect(tokens) };
}

async function group(by: Person, title: string, members: Person[]): Promise<string> {
  const { entry } = await by.client.request("chat.create", { kind: "group", clientId: `g-${++seq}`, title, memberIds: members.map((m) => m.id) });
  return entry.chat.id;
}

async function say(by: Person, chatId: string, text: string): Promise<void> {
  const clientId = `m-${++seq}`;
  for (;;) {
    try {
      await by.client.request("message.send", { chatId, clientId, text });
      return;
    } catch (e) {
      const wait = (e as { code?: string; data?: { retryAfterMs?: number } }).code === "rate_limited" ? (e as { data?: { retryAfterMs?: number } }).data?.retryAfterMs : undefined;
      if (wait === undefined) throw e;
      await Bun.sleep(wait + 5);
    }
  }
}

const longText = "Could you bring the big folding table and the extra chairs from the garage on Saturday? Grandma also asked whether anyone can pick her up at the station around half past eleven";
const sizes = { phone: { width: 390, height: 844 }, desktop: { width: 1280, height: 800 } };
type Kind = keyof typeof sizes;

async function open(p: Person, kind: Kind): Promise<{ page: Page; received: string[]; close(): Promise<void> }> {
  const ctx = await browser.newContext(kind === "phone" ? { viewport: sizes.phone, hasTouch: true, isMobile: true, colorScheme: "light" } : { viewport: sizes.desktop, colorScheme: "light" });
  const page = await ctx.newPage();
  page.on("pageerror", (e) => errors.push(`pageerror: ${e.message}`));
  // the frames the page receives, as latin1 text: enough to see which frame types came
  const received: string[] = [];
  page.on("websocket", (ws) => ws.on("framereceived", (f) => void received.push(Buffer.from(f.payload as never).toString("latin1"))));
  const tokens = await postJson<AuthTokens>(server.url, "/api/auth/login", { username: p.username, password, deviceName: `Chromium ${kind}` });
  await page.goto(`${server.url}/healthz`);
  await page.evaluate((t) => localStorage.setItem("hearth.session", t), JSON.stringify(tokens));
  await page.goto(server.url);
  await page.getByRole("button", { name: "New chat" }).waitFor({ state: "attached" });
  return { page, received, close: () => ctx.close() };
}

const row = (page: Page, title: string) => page.locator(".chat-row", { hasText: title }).first();
const bubble = (page: Page, text: string) => page.locator(".history .msg", { hasText: text });

async function openChat(page: Page, kind: Kind, title: string): Promise<void> {
  await (kind === "phone" ? row(page, title).tap() : row(page, title).click());
  await page.locator(".chat-head-title", { hasText: title }).waitFor();
}

for (const kind of ["phone", "desktop"] as const) {
  test(`${kind}: after an outage the open chat that fell too far behind is reloaded (at the first unread, bounded), a chat with a few changes gets them once`, async () => {
    const me = await person(`Maximiliana ${kind} von Hohenzollern-Sigmaringen`);
    const friend = await person("Ana Lopez 🏡 from the very long street name");
    const club = await group(friend, `Book club 📚 ${kind}`, [me]);
    const family = await group(friend, `Lopez Family 🏡 ${kind}`, [me]);
    for (const [i, title] of ["Weekend trip to the mountains 🏔️ with everyone from the office", "Football Sundays ⚽", "Ünïcødé Ħëàvÿ Ŧîŧłę", "🎉🎉🎉"].entries()) {
      await say(friend, await group(friend, `${title} ${kind}`, [me]), `${longText} ${"🙂".repeat(i)}`);
    }
    await say(friend, family, "before the outage 🌅");
    await say(friend, club, `before the outage: ${longText}`);

    const { page, received, close } = await open(me, kind);
    await openChat(page, kind, `Book club 📚 ${kind}`);
    await bubble(page, "before the outage").waitFor();

    await page.context().setOffline(true);
    await page.locator(".offline-banner").waitFor();
    for (let i = 1; i <= 3; i++) await say(friend, family, `while you were away ${i} 🌙`);
    await say(friend, club, "the first while away ☕");
    for (let i = 2; i <= differenceMax + 20; i++) await say(friend, club, `catch-up ${i}`);
    await say(friend, club, `the newest one 📚 ${longText}`);
    const framesBefore = received.length;
    await page.context().setOffline(false);
    await page.locator(".offline-banner").waitFor({ state: "detached", timeout: 20_000 });

    // the chat too far behind: its history is dropped and loaded again, opening (as always) at
    // the first unread message, bounded; the newest is one tap away, once
    await bubble(page, "the first while away ☕").first().waitFor({ timeout: 20_000 });
    await page.screenshot({ path: join(shots, `chat-logs-${kind}-chat-after-reset.png`) });
    expect(await bubble(page, "the first while away ☕").count()).toBe(1);
    // the unread line moves with the reset entry's read position: after what was read before the outage
    const line = page.locator(".history").getByText("Unread messages");
    expect(await line.evaluate((el, text) => {
      const next = [...document.querySelectorAll(".history .msg")].find((m) => m.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_PRECEDING);
      return next?.textContent?.includes(text) ?? false;
    }, "the first while away ☕")).toBe(true);
    expect(await page.locator(".history .msg").count()).toBeLessThanOrEqual(150);
    const newest = page.getByRole("button", { name: "Go to the newest message" });
    await (kind === "phone" ? newest.tap() : newest.click()); // a click on the phone leaves a mouse hovering a message
    await bubble(page, "the newest one 📚").waitFor();
    expect(await bubble(page, "the newest one 📚").count()).toBe(1);
    const after = received.slice(framesBefore);
    expect({ reset: after.some((f) => f.includes("chat_reset")), events: after.some((f) => f.includes("chat_events")) }).toEqual({ reset: true, events: true });
    await page.screenshot({ path: join(shots, `chat-logs-${kind}-chat-after-resume.png`) });

    // the chat with a few changes: the list shows them; opened, each once and in order
    if (kind === "phone") await page.getByRole("button", { name: "Back" }).tap();
    await row(page, `Lopez Family 🏡 ${kind}`).locator(".badge", { hasText: "4" }).waitFor(); // never opened: 1 before + 3 during
    await expect(row(page, `Lopez Family 🏡 ${kind}`).innerText()).resolves.toContain("while you were away 3");
    await page.screenshot({ path: join(shots, `chat-logs-${kind}-list-after-resume.png`) });
    await openChat(page, kind, `Lopez Family 🏡 ${kind}`);
    await bubble(page, "while you were away 3").waitFor();
    const texts = await page.locator(".history .msg").allInnerTexts();
    const away = texts.flatMap((t) => /while you were away (\d)/.exec(t)?.[1] ?? []);
    expect(away).toEqual(["1", "2", "3"]);
    expect(texts.filter((t) => t.includes("before the outage 🌅"))).toHaveLength(1);
    await close();
    expect(errors).toEqual([]);
  }, 120_000);
}
