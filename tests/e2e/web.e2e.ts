// The web client end to end in real headless Chromium (Debian's package through
// playwright-core) against a real server (`bun src/main.ts serve`) serving web/dist:
// owner claim and invites, two users in two browser contexts chatting in a DM (typing,
// read ticks, edit, delete, reactions), offline writes delivered once, a third user
// joining a group by link, hostile markdown that must not execute, a 10,000-message chat
// whose DOM stays bounded, axe-core on the main screens, and screenshots (light/dark,
// desktop/phone) in test-artifacts/screenshots/.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { type RunningBinary, startHearth } from "../../scripts/run-binary.ts";
import { ensureWebBuilt } from "../../scripts/setup.ts";
import { createClient, passwordAuth } from "../../src/client/index.ts";
import { createLogger } from "../../src/log/logger.ts";
import { base32Decode, hotp, totpStep } from "../../src/accounts/totp.ts";
import { openSqliteStorage } from "../../src/storage/sqlite/storage.ts";

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
  try {
    await ensureWebBuilt();
  } catch (e) {
    throw new Error(`the web client could not be built (vite build of web/): ${(e as Error).message}`);
  }
  dir = mkdtempSync(join(tmpdir(), "hearth-web-e2e-"));
  server = await startHearth([process.execPath, join(repo, "src", "main.ts")], repo, ["--data", dir, "--set", "accounts.registerAttemptsPerIp=100000", "--set", "tls.mode=off"]);
  browser = await chromium.launch({ executablePath: "/usr/bin/chromium", headless: false, args: chromiumArgs });
  mkdirSync(shots, { recursive: true });
}, 240_000);

afterAll(async () => {
  await browser?.close();
  server?.proc.kill("SIGTERM");
  await server?.proc.exited;
  rmSync(dir, { recursive: true, force: true });
});

interface User {
  ctx: BrowserContext;
  page: Page;
  name: string;
}

async function newPage(viewport = { width: 1280, height: 800 }): Promise<{ ctx: BrowserContext; page: Page }> {
  const ctx = await browser.newContext({ viewport, colorScheme: "light" });
  const page = await ctx.newPage();
  page.on("pageerror", (e) => errors.push(`pageerror: ${e.message}`));
  page.on("dialog", (d) => {
    errors.push(`a dialog opened: ${d.message()}`); // alert() from injected script would land here
    void d.dismiss();
  });
  return { ctx, page };
}

async function claimLink(): Promise<string> {
  for (let i = 0; i < 1000; i++) {
    const line = server.log.find((l) => l.includes("/claim#"));
    if (line) return /https?:\/\/\S+\/claim#[\w-]+/.exec(line)![0];
    await Bun.sleep(10);
  }
  throw new Error(`no claim link in the log:\n${server.log.join("\n")}`);
}

async function fill(page: Page, fields: Record<string, string>): Promise<void> {
  for (const [name, value] of Object.entries(fields)) await page.fill(`[name="${name}"]`, value);
}

async function createInvite(owner: Page): Promise<string> {
  await owner.getByRole("button", { name: "Settings" }).click();
  await owner.getByRole("button", { name: "Create account invite" }).click();
  const url = await owner.locator('input[name="invite-url"]').inputValue({ timeout: 10_000 });
  await owner.keyboard.press("Escape");
  return url;
}

async function register(inviteUrl: string, name: string, displayName: string): Promise<User> {
  const { ctx, page } = await newPage();
  await page.goto(inviteUrl.replace(/^https?:\/\/[^/]+/, server.url));
  await page.waitForSelector('text="Create account"', { timeout: 15_000 }).catch(async (e) => {
    await page.screenshot({ path: join(shots, `failed-register-${name}.png`) });
    throw new Error(`${(e as Error).message}\nurl ${page.url()} (invite ${inviteUrl}); page text: ${await page.locator("body").innerText()}`);
  });
  await fill(page, { username: name, password, displayName });
  await page.getByRole("button", { name: "Create account" }).click();
  await page.getByRole("button", { name: "New chat" }).waitFor();
  return { ctx, page, name };
}

async function send(page: Page, text: string): Promise<void> {
  const box = page.locator('textarea[name="message"]');
  await box.fill(text);
  await box.press("Enter");
}

const bubble = (page: Page, text: string) => page.locator(".history .msg", { hasText: text });

const barrierClients = new Map<string, ReturnType<typeof createClient>>();
afterAll(() => barrierClients.forEach((c) => c.close()));

/**
 * Resolves once every event committed for `user` so far has reached (and been rendered by)
 * their page — the browser form of the harness's barrier(). Two streams reach a page, each in
 * order: the user's own log (by id) and each chat's log (by pos). From a second session of the
 * same person it mutes, then unmutes, their chat with `peerName` (a private change, in the user
 * log), and puts a reaction on the chat's newest message and takes it back (in the chat's log):
 * once the page shows each change, every earlier event of both streams is on it too. The page
 * must show that chat; the chat ends as it was.
 */
async function pageBarrier(user: User, username: string, peerName: string): Promise<void> {
  let client = barrierClients.get(username);
  if (!client) {
    const auth = await passwordAuth(server.url, { username, password, deviceName: "barrier" });
    client = createClient({ url: `${server.url.replace(/^http/, "ws")}/ws`, auth });
    await client.connect();
    barrierClients.set(username, client);
  }
  const row = user.page.locator(".chat-row", { hasText: peerName });
  const { chats } = await client.request("chat.list", {});
  const direct = chats.filter((c) => c.chat.kind === "direct");
  const entry = direct[0];
  if (!entry || direct.length !== 1) throw new Error(`the barrier needs ${username} to have exactly one direct chat (has ${direct.length})`);
  for (const muted of [true, false]) {
    await client.request("chat.mute", { chatId: entry.chat.id, muted });
    await row.locator(".muted-mark").waitFor({ state: muted ? "visible" : "detached" });
  }
  const { messages } = await client.request("message.list", { chatId: entry.chat.id, anchor: "latest", direction: "before", limit: 20 });
  const newest = messages.filter((m) => m.deletedAt === null).at(-1);
  if (!newest) throw new Error(`the barrier needs a message in ${username}'s direct chat`);
  const mark = user.page.locator(`.history .msg[data-id="${newest.id}"] .reaction`, { hasText: "🧱" });
  for (const state of ["visible", "detached"] as const) {
    await client.request("reaction.toggle", { chatId: entry.chat.id, messageId: newest.id, emoji: "🧱" });
    await mark.waitFor({ state });
  }
}

async function openChat(page: Page, title: string): Promise<void> {
  await page.locator(".chat-row", { hasText: title }).first().click();
  await page.locator(".chat-head-title", { hasText: title }).waitFor();
}

let owner: User;
let ann: User;
let bob: User;

test("owner claims the server and creates invites; two people register with them", async () => {
  const o = await newPage();
  await o.page.goto(await claimLink());
  await o.page.waitForSelector('text="Set up the owner account"');
  await fill(o.page, { username: "owner", password, displayName: "Olga Owner" });
  await o.page.getByRole("button", { name: "Set up the owner account" }).click();
  await o.page.getByRole("button", { name: "New chat" }).waitFor();
  owner = { ...o, name: "owner" };
  const [inviteA, inviteB] = [await createInvite(owner.page), await createInvite(owner.page)];
  expect(inviteA).toContain("/invite#");
  ann = await register(inviteA, "ann", "Ann Archer");
  bob = await register(inviteB, "bob", "Bob Baker");
  // an invite works once
  const m = await newPage();
  await m.page.goto(inviteA.replace(/^https?:\/\/[^/]+/, server.url));
  await fill(m.page, { username: "mallory", password });
  await m.page.getByRole("button", { name: "Create account" }).click();
  expect(await m.page.getByRole("alert").textContent()).toBe("That invite is not valid.");
  await m.ctx.close();
}, 90_000);

test("a direct chat: messages, typing, read ticks, edit, reactions, delete", async () => {
  await ann.page.getByRole("button", { name: "New chat" }).click();
  await fill(ann.page, { peer: "bob" });
  await ann.page.getByRole("button", { name: "Create", exact: true }).click();
  await ann.page.locator(".chat-head-title", { hasText: "Bob Baker" }).waitFor();
  await send(ann.page, "Hello **Bob**, lunch at noon?");
  await bubble(ann.page, "lunch at noon").locator('.tick[aria-label="Sent"]').waitFor();

  // Bob sees the chat with an unread badge, opens it: bold is rendered, Ann's tick turns to read
  await bob.page.locator(".chat-row", { hasText: "Ann Archer" }).locator(".badge").waitFor();
  await openChat(bob.page, "Ann Archer");
  expect(await bubble(bob.page, "lunch at noon").locator("strong").textContent()).toBe("Bob");
  await bubble(ann.page, "lunch at noon").locator('.tick[aria-label="Read"]').waitFor();

  // typing shows in Ann's header while Bob writes
  await bob.page.locator('textarea[name="message"]').pressSequentially("Sure", { delay: 30 });
  await ann.page.locator(".chat-head-sub.typing", { hasText: "Bob Baker is typing" }).waitFor();
  await bob.page.locator('textarea[name="message"]').press("Enter");
  await bubble(ann.page, "Sure").waitFor();

  // Up arrow edits Ann's last message
  const annBox = ann.page.locator('textarea[name="message"]');
  await annBox.click();
  await annBox.press("ArrowUp");
  await ann.page.locator(".composer-context", { hasText: "Editing" }).waitFor();
  await annBox.fill("Hello Bob, lunch at one?");
  await annBox.press("Enter");
  await bubble(bob.page, "lunch at one?").locator(".meta", { hasText: "edited" }).waitFor();

  // Bob reacts; Ann sees the count
  const msg = bubble(bob.page, "lunch at one?");
  await msg.hover();
  await msg.getByRole("button", { name: "React" }).click();
  await bob.page.getByRole("button", { name: "👍" }).first().click();
  await bubble(ann.page, "lunch at one?").locator(".reaction", { hasText: "1" }).waitFor();

  // Ann deletes it for everyone
  const mine = bubble(ann.page, "lunch at one?");
  await mine.hover();
  await mine.getByRole("button", { name: "Delete" }).click();
  await ann.page.getByRole("button", { name: "Delete for everyone" }).click();
  await bob.page.locator(".history .msg.deleted", { hasText: "This message was deleted" }).waitFor();
  expect(await bubble(bob.page, "lunch at one?").count()).toBe(0);
}, 90_000);

test("written offline, delivered once when the connection is back", async () => {
  await bob.ctx.setOffline(true);
  await bob.page.locator(".offline-banner").waitFor();
  await send(bob.page, "written while offline");
  await bob.page.locator(".msg.pending", { hasText: "written while offline" }).waitFor();
  // Nothing left while offline: every event for Ann up to now is on her page, and it is not among them.
  await pageBarrier(ann, "ann", "Bob Baker");
  expect(await bubble(ann.page, "written while offline").count()).toBe(0);
  await bob.ctx.setOffline(false);
  await bubble(ann.page, "written while offline").waitFor({ timeout: 20_000 });
  await bob.page.locator(".offline-banner").waitFor({ state: "detached" });
  await bob.page.locator(".msg.pending").waitFor({ state: "detached" });
  // No duplicate: the outbox is empty, and every event committed for either of them so far is on their page.
  await Promise.all([pageBarrier(ann, "ann", "Bob Baker"), pageBarrier(bob, "bob", "Ann Archer")]);
  expect(await bubble(ann.page, "written while offline").count()).toBe(1);
  expect(await bubble(bob.page, "written while offline").count()).toBe(1);
  await ann.page.reload(); // and the server stored it once
  await openChat(ann.page, "Bob Baker");
  // The reloaded history renders after openChat returns: wait for it before counting.
  await bubble(ann.page, "written while offline").first().waitFor();
  expect(await bubble(ann.page, "written while offline").count()).toBe(1);
}, 60_000);

let carol: User;

test("a third person joins a group by its invite link and talks to everyone", async () => {
  carol = await register(await createInvite(owner.page), "carol", "Carol Cole");
  await ann.page.getByRole("button", { name: "New chat" }).click();
  await ann.page.getByRole("tab", { name: "Group", exact: true }).click();
  await fill(ann.page, { title: "Weekend trip", members: "bob" });
  await ann.page.getByRole("button", { name: "Create", exact: true }).click();
  await ann.page.locator(".chat-head-title", { hasText: "Weekend trip" }).waitFor();
  await ann.page.getByRole("button", { name: "Chat info" }).first().click();
  await ann.page.getByRole("button", { name: "Create invite link" }).click();
  const link = await ann.page.locator(".info-panel .created-link input").inputValue();
  expect(link).toContain("/join#");
  await carol.page.goto(link.replace(/^https?:\/\/[^/]+/, server.url));
  await carol.page.locator(".chat-head-title", { hasText: "Weekend trip" }).waitFor();
  await send(carol.page, "Hi all, @ann I'm in!");
  await bubble(ann.page, "I'm in!").waitFor();
  await ann.page.locator(".member-list li", { hasText: "Carol Cole" }).waitFor();
  await bob.page.locator(".chat-row", { hasText: "Weekend trip" }).waitFor();
  await openChat(bob.page, "Weekend trip");
  await bubble(bob.page, "I'm in!").waitFor();
  expect(await bubble(bob.page, "I'm in!").locator(".mention").textContent()).toBe("@ann");

  // mention autocomplete, pins, replies
  const box = carol.page.locator('textarea[name="message"]');
  await box.pressSequentially("see you @bo", { delay: 20 });
  await carol.page.getByRole("option", { name: /Bob Baker/ }).waitFor();
  await box.press("Enter");
  expect(await box.inputValue()).toBe("see you @bob ");
  await box.press("Enter");
  expect(await bubble(bob.page, "see you").locator(".mention").textContent()).toBe("@bob");
  const pinned = bubble(ann.page, "I'm in!");
  await pinned.hover();
  await pinned.getByRole("button", { name: "Pin" }).click();
  await bob.page.locator(".pinned-bar", { hasText: "I'm in!" }).waitFor();
  const target = bubble(bob.page, "I'm in!").first();
  await target.hover();
  await target.getByRole("button", { name: "Reply" }).click();
  await send(bob.page, "Great, welcome Carol");
  const reply = bubble(ann.page, "welcome Carol").locator(".reply-quote");
  expect(await reply.locator(".reply-text").textContent()).toBe("Hi all, @ann I'm in!");
  await reply.click();
  await ann.page.locator(".msg.flash", { hasText: "I'm in!" }).waitFor();

  // Bob forwards Carol's message to Ann: it keeps its origin
  await target.hover();
  await target.getByRole("button", { name: "Forward" }).click();
  const forwardTo = bob.page.getByRole("dialog", { name: "Forward to…" });
  await forwardTo.locator(".chat-row", { hasText: "Ann Archer" }).click();
  await forwardTo.getByRole("button", { name: "Forward", exact: true }).click();
  await bob.page.locator(".chat-head-title", { hasText: "Ann Archer" }).waitFor();
  await bob.page.locator(".history .msg .forwarded", { hasText: "Forwarded from Carol Cole" }).waitFor();

  // the owner renames the group from its info panel; everyone sees the new name
  await ann.page.getByRole("button", { name: "Edit name and description" }).click();
  await fill(ann.page, { "chat-title": "Weekend trip to the lake" });
  await ann.page.locator(".info-panel").getByRole("button", { name: "Save" }).click();
  await bob.page.locator(".chat-row", { hasText: "Weekend trip to the lake" }).waitFor();
  await ann.page.locator(".info-panel").getByRole("button", { name: "Close" }).click();
}, 90_000);

test("hostile text renders as text: no script runs, no element is injected, no unsafe link", async () => {
  await openChat(ann.page, "Bob Baker");
  await openChat(bob.page, "Ann Archer");
  const payloads = [
    '<img src=x onerror="window.__xss=1">',
    "<script>window.__xss=1</script>",
    "[click me](javascript:window.__xss=1)",
    "[click](JaVaScRiPt:alert(1))",
    "[x](data:text/html,<script>alert(1)</script>)",
    '<a href="javascript:window.__xss=1">a</a> <svg onload="window.__xss=1">',
    "**<iframe src=javascript:alert(1)>**",
    "`<b>code</b>` and [ok](https://example.org/ok)",
  ];
  for (const p of payloads) await send(ann.page, p);
  await bubble(bob.page, "code</b>").waitFor();
  for (const page of [ann.page, bob.page]) {
    const found = await page.evaluate(() => ({
      flag: (window as unknown as { __xss?: number }).__xss,
      injected: document.querySelectorAll(".history img, .history script, .history iframe, .history svg:not(.icon), .history [onerror], .history [onload]").length,
      hrefs: [...document.querySelectorAll(".history a")].map((a) => a.getAttribute("href")),
    }));
    expect(found.flag).toBeUndefined();
    expect(found.injected).toBe(0);
    expect(found.hrefs).toEqual(["https://example.org/ok"]);
  }
  expect(await bubble(bob.page, "<img src=x").textContent()).toContain('<img src=x onerror="window.__xss=1">');
  // Bob had the chat open: what arrived in view is read, and he stays at the newest message
  await bob.page.locator(".chat-row", { hasText: "Ann Archer" }).locator(".badge").waitFor({ state: "detached" });
  expect(await bob.page.locator(".to-latest").count()).toBe(0);
  expect(errors).toEqual([]);
}, 60_000);

const bigCount = 10_000;

/** A group of Ann's with bigCount messages, written straight into storage (the server keeps no cache of them). */
async function seedBigChat(): Promise<void> {
  const auth = await passwordAuth(server.url, { username: "ann", password, deviceName: "seeder" });
  const client = createClient({ url: `${server.url.replace(/^http/, "ws")}/ws`, auth });
  await client.connect();
  const { entry } = await client.request("chat.create", { kind: "group", clientId: "big-history", title: "Big history" });
  const me = (await client.request("me.get", {})).id;
  client.close();
  const log = createLogger({ level: "error", format: "json", stream: { write: () => {} } });
  const storage = await openSqliteStorage({ file: join(dir, "hearth.sqlite"), durability: "normal", log });
  const start = Date.now() - bigCount * 60_000;
  for (let from = 0; from < bigCount; from += 500) {
    await Promise.all(
      Array.from({ length: Math.min(500, bigCount - from) }, (_, k) => {
        const i = from + k;
        return storage.messages.send(
          { id: `big-${i}`, chatId: entry.chat.id, senderId: me, clientId: null, text: `Message number ${i + 1} of the big history`, entities: [], replyToId: i === bigCount - 1 ? "big-9000" : null, forward: null, silent: false, now: start + i * 60_000 },
          () => {},
        );
      }),
    );
  }
  await storage.close();
}

test("a 10,000-message chat: scrolling both ways keeps the rendered messages bounded", async () => {
  await seedBigChat();
  await ann.page.reload();
  await openChat(ann.page, "Big history");
  const page = ann.page;
  await bubble(page, `Message number ${bigCount} of`).waitFor();
  const count = () => page.evaluate(() => ({ msgs: document.querySelectorAll(".history .msg").length, nodes: document.querySelectorAll(".history *").length }));
  const first = () => page.evaluate(() => Number(document.querySelector<HTMLElement>(".history .msg")?.dataset.seq));
  // the newest message replies to one 1,000 messages back: the quote finds and shows it
  await bubble(page, `Message number ${bigCount} of`).locator(".reply-quote").click();
  await page.locator(".msg.flash", { hasText: "Message number 9001 of" }).waitFor();
  await page.getByRole("button", { name: "Go to the newest message" }).click();
  await bubble(page, `Message number ${bigCount} of`).waitFor();
  let maxMsgs = 0;
  let maxNodes = 0;
  const track = async () => {
    const c = await count();
    maxMsgs = Math.max(maxMsgs, c.msgs);
    maxNodes = Math.max(maxNodes, c.nodes);
  };
  // scroll up 12 pages' worth: older pages come in, the newest end is dropped
  for (let i = 0; i < 12; i++) {
    const before = await first();
    await page.evaluate(() => document.querySelector(".history")!.scrollTo(0, 0));
    await page.waitForFunction((b) => Number(document.querySelector<HTMLElement>(".history .msg")?.dataset.seq) < b, before, { timeout: 10_000 });
    await track();
  }
  const reachedSeq = await first();
  expect(reachedSeq).toBeLessThan(bigCount - 12 * 40);
  // and back down: newer pages come in again
  for (let i = 0; i < 5; i++) {
    const last = await page.evaluate(() => Number([...document.querySelectorAll<HTMLElement>(".history .msg")].at(-1)?.dataset.seq));
    await page.evaluate(() => {
      const h = document.querySelector(".history")!;
      h.scrollTo(0, h.scrollHeight);
    });
    await page.waitForFunction((l) => Number([...document.querySelectorAll<HTMLElement>(".history .msg")].at(-1)?.dataset.seq) > l, last, { timeout: 10_000 });
    await track();
  }
  // jump to the newest
  await page.getByRole("button", { name: "Go to the newest message" }).click();
  await bubble(page, `Message number ${bigCount} of`).waitFor();
  await track();
  console.log(`10,000-message chat: at most ${maxMsgs} message elements and ${maxNodes} DOM nodes in the history while scrolling (reached seq ${reachedSeq})`);
  expect(maxMsgs).toBeLessThan(200);
  expect(maxNodes).toBeLessThan(200 * 12); // ~8 nodes per message: toolbars exist only while pointed at or focused
}, 120_000);

async function axe(page: Page, screen: string): Promise<string[]> {
  const source = readFileSync(join(repo, "node_modules", "axe-core", "axe.min.js"), "utf8");
  // Not an inline <script>: the app's CSP refuses those (as it should); DevTools evaluation is not page script.
  await page.evaluate(source);
  const violations = await page.evaluate(async () => {
    const r = await (window as unknown as { axe: { run: (ctx: Document) => Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> } }).axe.run(document);
    return r.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`);
  });
  return violations.map((v) => `${screen}: ${v}`);
}

test("axe-core finds no serious or critical violations on the main screens, light and dark", async () => {
  const found: string[] = [];
  const signIn = await newPage();
  await signIn.page.goto(server.url);
  await signIn.page.getByRole("button", { name: "Sign in" }).waitFor();
  found.push(...(await axe(signIn.page, "sign-in")));
  await signIn.ctx.close();
  const page = ann.page;
  for (const scheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await openChat(page, "Bob Baker");
    found.push(...(await axe(page, `chat (${scheme})`)));
    await openChat(page, "Weekend trip");
    await page.getByRole("button", { name: "Chat info" }).first().click();
    await page.locator(".info-panel").waitFor();
    found.push(...(await axe(page, `group info (${scheme})`)));
    await page.locator(".info-panel").getByRole("button", { name: "Close" }).click();
    await page.getByRole("button", { name: "Settings" }).click();
    await page.locator(".settings").waitFor();
    found.push(...(await axe(page, `settings (${scheme})`)));
    await page.keyboard.press("Escape");
  }
  await page.emulateMedia({ colorScheme: "light" });
  expect(found).toEqual([]);
}, 90_000);

test("screenshots of the main screens: light and dark, desktop and phone", async () => {
  const page = bob.page;
  const shot = (name: string) => page.screenshot({ path: join(shots, `${name}.png`) });
  for (const scheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.setViewportSize({ width: 1280, height: 800 });
    await openChat(page, "Ann Archer");
    await shot(`chat-desktop-${scheme}`);
    await openChat(page, "Weekend trip");
    await page.getByRole("button", { name: "Chat info" }).first().click();
    await page.locator(".info-panel").waitFor();
    await shot(`group-info-desktop-${scheme}`);
    await page.locator(".info-panel").getByRole("button", { name: "Close" }).click();
    await page.getByRole("button", { name: "Settings" }).click();
    await page.locator(".settings").waitFor();
    await shot(`settings-desktop-${scheme}`);
    await page.keyboard.press("Escape");
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByRole("button", { name: "Back" }).click();
    await page.locator(".chat-rows").waitFor();
    await shot(`chats-phone-${scheme}`);
    await openChat(page, "Ann Archer");
    await shot(`chat-phone-${scheme}`);
    await page.getByRole("button", { name: "Back" }).click();
  }
  const signIn = await newPage();
  await signIn.page.goto(server.url);
  await signIn.page.getByRole("button", { name: "Sign in" }).waitFor();
  await signIn.page.screenshot({ path: join(shots, "sign-in-desktop-light.png") });
  await signIn.ctx.close();
  await page.emulateMedia({ colorScheme: "light" });
  await page.setViewportSize({ width: 1280, height: 800 });
  expect(errors).toEqual([]);
}, 90_000);

test("the service worker keeps the app shell and IndexedDB the last state: Hearth opens without a network", async () => {
  const page = carol.page;
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
  await page.reload(); // now controlled by the worker
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  await carol.ctx.setOffline(true);
  await page.reload();
  await page.getByRole("button", { name: "New chat" }).waitFor();
  await page.locator(".offline-banner").waitFor();
  // the last state seen is kept in IndexedDB: chats and their newest messages show offline
  await openChat(page, "Weekend trip");
  await bubble(page, "I'm in!").first().waitFor();
  await carol.ctx.setOffline(false);
  await page.locator(".offline-banner").waitFor({ state: "detached", timeout: 20_000 });
  await page.locator(".chat-row", { hasText: "Weekend trip" }).waitFor();
}, 60_000);

test("two-factor: set up in settings with recovery codes, asked for at sign-in; other devices can be revoked", async () => {
  const page = owner.page;
  await page.getByRole("button", { name: "Settings" }).click();
  await page.getByRole("button", { name: "Set up two-factor authentication" }).click();
  const secret = (await page.locator(".secret").textContent())!.trim();
  const key = base32Decode(secret)!;
  await page.fill('[name="tf-code"]', hotp(key, totpStep(Date.now())));
  await page.getByRole("button", { name: "Turn on" }).click();
  await page.locator(".codes li").first().waitFor();
  expect(await page.locator(".codes li").count()).toBeGreaterThan(4);
  await page.getByRole("button", { name: "Done" }).click();
  await page.locator("text=Two-factor authentication is on.").waitFor();
  await page.getByRole("button", { name: "Sign out" }).click();
  await fill(page, { username: "owner", password });
  await page.getByRole("button", { name: "Sign in" }).click();
  expect(await page.getByRole("alert").textContent()).toBe("Enter the code from your authenticator app.");
  await page.fill('[name="totp"]', hotp(key, totpStep(Date.now()) + 1)); // the enabling code was spent
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("button", { name: "New chat" }).waitFor();

  // Ann sees the seeding script's session among her devices and revokes it
  await ann.page.getByRole("button", { name: "Settings" }).click();
  const seeder = ann.page.locator(".session-list li", { hasText: "seeder" });
  await seeder.getByRole("button", { name: "Revoke" }).click();
  await ann.page.getByRole("dialog", { name: "Revoke" }).getByRole("button", { name: "Revoke" }).click(); // confirmed
  await seeder.waitFor({ state: "detached" });
  await ann.page.locator(".session-list li", { hasText: "This device" }).waitFor();

  // theme and language switch at once, and stay after a reload
  await ann.page.getByRole("radio", { name: "Dark" }).click();
  expect(await ann.page.evaluate(() => document.documentElement.dataset.theme)).toBe("dark");
  await ann.page.selectOption('select[name="language"]', "de");
  await ann.page.getByRole("heading", { name: "Einstellungen" }).waitFor();
  await ann.page.keyboard.press("Escape");
  // closing settings goes Back to where Ann was (asynchronously): reloading before that
  // would land on /settings again
  await ann.page.waitForURL((u) => u.pathname !== "/settings", { timeout: 10_000 });
  await ann.page.reload();
  await ann.page.getByRole("button", { name: "Neuer Chat" }).waitFor();
  expect(await ann.page.evaluate(() => document.documentElement.lang)).toBe("de");
  await ann.page.getByRole("button", { name: "Einstellungen" }).click();
  await ann.page.selectOption('select[name="language"]', "en");
  await ann.page.getByRole("radio", { name: "System" }).click();
  await ann.page.keyboard.press("Escape");
}, 60_000);

test("chat info: promote and demote, remove a member, block and unblock", async () => {
  const page = ann.page;
  await openChat(page, "Weekend trip");
  await page.getByRole("button", { name: "Chat info" }).first().click();
  const bobRow = page.locator(".member-list li", { hasText: "Bob Baker" });
  await bobRow.getByRole("button", { name: "Make admin" }).click();
  await bobRow.getByRole("button", { name: "Remove admin" }).click();
  await bobRow.getByRole("button", { name: "Make admin" }).waitFor();
  await page.locator(".member-list li", { hasText: "Carol Cole" }).getByRole("button", { name: "Remove" }).click();
  await page.locator(".member-list li", { hasText: "Carol Cole" }).waitFor({ state: "detached" });
  await carol.page.locator(".chat-row", { hasText: "Weekend trip" }).waitFor({ state: "detached" });
  await page.locator(".info-panel").getByRole("button", { name: "Close" }).click();

  await openChat(page, "Bob Baker");
  await page.getByRole("button", { name: "Chat info" }).first().click();
  await page.getByRole("button", { name: "Block user" }).click();
  await page.getByRole("button", { name: "Unblock user" }).waitFor();
  await openChat(bob.page, "Ann Archer");
  await send(bob.page, "can you hear me?");
  // refused: marked failed, with the reason
  await bob.page.locator(".msg.pending.failed", { hasText: "can you hear me?" }).locator("text=You cannot message this person.").waitFor();
  await page.getByRole("button", { name: "Unblock user" }).click();
  await page.getByRole("button", { name: "Block user" }).waitFor();
  await bob.page.locator(".msg.failed").getByRole("button", { name: "Retry" }).click();
  await bubble(page, "can you hear me?").waitFor();
  expect(await bob.page.locator(".msg.pending").count()).toBe(0);
}, 60_000);

test("keyboard: Ctrl+K searches, Alt+arrows switch chats, Tab reaches a message's actions, Escape closes", async () => {
  const page = ann.page;
  await openChat(page, "Bob Baker");
  await page.keyboard.press("Control+k");
  expect(await page.evaluate(() => document.activeElement?.getAttribute("type"))).toBe("search");
  await page.keyboard.type("weekend");
  expect(await page.locator(".chat-row").count()).toBe(1);
  await page.keyboard.press("Control+a");
  await page.keyboard.press("Backspace");
  const titles = await page.locator(".chat-row .row-title").allTextContents();
  const at = titles.indexOf("Bob Baker");
  await page.keyboard.press("Alt+ArrowDown");
  await page.locator(".chat-head-title", { hasText: titles[Math.min(at + 1, titles.length - 1)]! }).waitFor();
  await page.keyboard.press("Alt+ArrowUp");
  await page.locator(".chat-head-title", { hasText: "Bob Baker" }).waitFor();
  // a message is a tab stop; focusing it shows its actions
  await page.locator(".history .msg").last().focus();
  await page.keyboard.press("Tab");
  expect(await page.evaluate(() => document.activeElement?.closest(".msg-tools") ? "tools" : document.activeElement?.outerHTML.slice(0, 200))).toBe("tools");
  await page.locator(".history .msg").last().focus();
  await page.keyboard.press("Escape");
  await page.locator(".chat-view").waitFor({ state: "detached" });
}, 30_000);

test("touch at phone width: a tap on a message opens its action sheet; react from it", async () => {
  const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true, colorScheme: "light" });
  const page = await ctx.newPage();
  const mine: string[] = []; // this page's own (other pages' offline steps may log "Not connected")
  page.on("pageerror", (e) => mine.push(`pageerror: ${e.message}`));
  await page.goto(server.url);
  await fill(page, { username: "bob", password });
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.locator(".chat-row", { hasText: "Ann Archer" }).first().tap();
  const msg = bubble(page, "can you hear me?");
  await msg.waitFor();
  expect(await msg.getAttribute("aria-haspopup")).toBe("dialog");
  const box = (await msg.locator(".text").boundingBox())!;
  await page.touchscreen.tap(box.x + 10, box.y + box.height / 2);
  const sheet = page.getByRole("dialog", { name: "Message actions" });
  await sheet.waitFor();
  expect(await page.locator(".msg-tools").count()).toBe(0); // no hover toolbar on touch
  expect(await sheet.getByRole("button").allTextContents()).toEqual(expect.arrayContaining(["Reply", "Forward", "Edit", "Delete"]));
  await page.screenshot({ path: join(shots, "message-actions-phone-light.png") });
  expect(await axe(page, "message actions (phone)")).toEqual([]);
  await sheet.getByRole("button", { name: "React with 👍" }).tap();
  await sheet.waitFor({ state: "detached" });
  await msg.getByRole("button", { name: "👍 1" }).waitFor();
  expect(await msg.getByRole("button", { name: "👍 1" }).getAttribute("aria-pressed")).toBe("true");
  expect(mine).toEqual([]);
  await ctx.close();
}, 60_000);

test("password change in settings: wrong current and too short are explained; success signs out other devices", async () => {
  const page = carol.page;
  const other = await newPage(); // a second device of Carol's, signed out by the change
  await other.page.goto(server.url);
  await fill(other.page, { username: "carol", password });
  await other.page.getByRole("button", { name: "Sign in" }).click();
  await other.page.getByRole("button", { name: "New chat" }).waitFor();
  await page.getByRole("button", { name: "Settings" }).click();
  const form = page.getByRole("region", { name: "Change password" });
  await form.locator("text=Changing your password signs you out on every other device.").waitFor();
  const change = async (current: string, next: string, repeat = next) => {
    await fill(page, { "current-password": current, "new-password": next, "repeat-password": repeat });
    await form.getByRole("button", { name: "Change password" }).click();
  };
  await change("not my password", "a much better passphrase");
  expect(await form.getByRole("alert").textContent()).toBe("The current password is wrong.");
  await change(password, "short");
  await form.getByRole("alert").filter({ hasText: "The password is too short." }).waitFor();
  await change(password, "a much better passphrase", "a much better passphrasf");
  await form.getByRole("alert").filter({ hasText: "The new passwords do not match." }).waitFor();
  await change(password, "a much better passphrase");
  await form.getByRole("status").filter({ hasText: "Password changed. Devices signed out: 1." }).waitFor();
  await other.page.getByRole("button", { name: "Sign in" }).waitFor({ timeout: 15_000 });
  await page.keyboard.press("Escape");
  await page.getByRole("button", { name: "New chat" }).waitFor(); // this device stays signed in
  await other.ctx.close();
}, 60_000);
