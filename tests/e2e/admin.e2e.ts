// The admin console in real headless Chromium against a real server process, at phone
// (390×844, touch) and desktop (1280×800) size: an owner signs one of a member's devices
// out, reads storage per person and chat, blocks an address range and lifts a block, reads
// the audit log and health. Content is seeded over HTTP/WebSocket like any client: long
// names, emoji, files in chats. Screenshots go to test-artifacts/admin/.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";
import { type RunningBinary, startHearth } from "../../scripts/run-binary.ts";
import { ensureWebBuilt } from "../../scripts/setup.ts";
import { createClient, type HearthClient, tokenAuth } from "../../src/client/index.ts";
import type { AuthTokens } from "../../src/protocol/http.ts";
import { mediaPaths } from "../../src/protocol/media.ts";

const repo = join(import.meta.dir, "..", "..");
const shots = join(repo, "test-artifacts", "admin");
const password = "correct horse battery staple";
let dir: string;
let server: RunningBinary;
let browser: Browser;
const errors: string[] = [];
const clients: HearthClient[] = [];

beforeAll(async () => {
  await ensureWebBuilt();
  dir = mkdtempSync(join(tmpdir(), "hearth-admin-e2e-"));
  server = await startHearth([process.execPath, join(repo, "src", "main.ts")], repo, ["--data", dir, "--set", "accounts.registerAttemptsPerIp=100000", "--set", "tls.mode=off", "--set", "accounts.registration=open"]);
  const args = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];
  browser = await chromium.launch({ executablePath: "/usr/bin/chromium", headless: false, args });
  mkdirSync(shots, { recursive: true });
}, 240_000);

afterAll(async () => {
  for (const c of clients) c.close();
  await browser?.close();
  server?.proc.kill("SIGTERM");
  await server?.proc.exited;
  rmSync(dir, { recursive: true, force: true });
});

async function post<T>(path: string, body: unknown): Promise<T> {
  const res = await fetch(server.url + path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

async function connect(tokens: AuthTokens): Promise<HearthClient> {
  const client = createClient({ url: `${server.url.replace(/^http/, "ws")}/ws`, auth: tokenAuth(server.url, tokens) });
  await client.connect();
  clients.push(client);
  return client;
}

async function claimLink(): Promise<string> {
  for (let i = 0; i < 1000; i++) {
    const line = server.log.find((l) => l.includes("/claim#"));
    if (line) return /https?:\/\/\S+\/claim#[\w-]+/.exec(line)![0];
    await Bun.sleep(10);
  }
  throw new Error(`no claim link in the log:\n${server.log.join("\n")}`);
}

/** One finished upload of `size` bytes (content made distinct so nothing deduplicates). */
async function upload(tokens: AuthTokens, chatId: string, name: string, size: number, fill: number): Promise<string> {
  const headers = { authorization: `Bearer ${tokens.accessToken}` };
  const created = await fetch(server.url + mediaPaths.uploads, { method: "POST", headers: { ...headers, "content-type": "application/json" }, body: JSON.stringify({ size, name, purpose: "attachment", chatId }) });
  const { uploadId } = (await created.json()) as { uploadId: string };
  const bytes = new Uint8Array(size).fill(fill);
  const res = await fetch(server.url + mediaPaths.upload(uploadId), { method: "PATCH", headers: { ...headers, "content-type": "application/offset+octet-stream", "upload-offset": "0" }, body: bytes });
  if (res.status !== 200) throw new Error(`upload ${name}: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { media: { id: string } }).media.id;
}

let seq = 0;
const cid = () => `e${++seq}`;

async function openAdmin(page: Page, tab: string) {
  await page.getByRole("tab", { name: tab }).click();
  await page.locator(".admin-tabs").evaluate((el) => el.scrollIntoView({ block: "start" }));
}

test("an owner runs the server from the console: devices, storage, IP blocks, audit log, health", async () => {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: "light" });
  const page = await ctx.newPage();
  page.on("pageerror", (e) => errors.push(`pageerror: ${e.message}`));
  await page.goto(await claimLink());
  await page.waitForSelector('text="Set up the owner account"');
  for (const [name, value] of Object.entries({ username: "olga", password, displayName: "Olga Ömer-Łukasiewicz 🦊" })) await page.fill(`[name="${name}"]`, value);
  await page.getByRole("button", { name: "Set up the owner account" }).click();
  await page.getByRole("button", { name: "New chat" }).waitFor();
  const ownerTokens = await post<AuthTokens>("/api/auth/login", { username: "olga", password, deviceName: "checker" });
  const owner = await connect(ownerTokens);

  // people with devices and files
  const people = [
    ["bartholomew", "Bartholomew Featherstonehaugh-Wolstenholme 🎻"],
    ["chen", "陈静 (Chen Jing) 🌸"],
    ["dmitri", "Дмитрий Соколов"],
  ] as const;
  const tokens: AuthTokens[] = [];
  for (const [username, displayName] of people) tokens.push(await post<AuthTokens>("/api/auth/register", { username, password, displayName, deviceName: "Pixel 8 · Firefox" }));
  const laptop = await post<AuthTokens>("/api/auth/login", { username: "bartholomew", password, deviceName: "ThinkPad X1 · Chromium on Debian" });
  const bart = await connect(tokens[0]!);
  const { entry: group } = await bart.request("chat.create", { kind: "group", clientId: cid(), title: "Orchestra rehearsals 🎼 — spring season, second violins", memberIds: [tokens[1]!.userId, tokens[2]!.userId] });
  const files = [await upload(tokens[0]!, group.chat.id, "score.pdf", 900_000, 1), await upload(tokens[0]!, group.chat.id, "take-3.wav", 2_400_000, 2)];
  await bart.request("message.send", { chatId: group.chat.id, clientId: cid(), text: "scores and the recording", attachments: files });
  const chen = await connect(tokens[1]!);
  const { entry: dm } = await chen.request("chat.create", { kind: "direct", userId: tokens[2]!.userId });
  const photo = await upload(tokens[1]!, dm.chat.id, "garden.bin", 350_000, 3);
  await chen.request("message.send", { chatId: dm.chat.id, clientId: cid(), text: "🌸", attachments: [photo] });
  await owner.request("admin.ip_block", { cidr: "2001:db8:bad::/48", note: "scanner from a cloud range", expiresInMs: 7 * 86_400_000 });
  await owner.request("user.set_role", { userId: tokens[1]!.userId, role: "admin" });

  await page.getByRole("button", { name: "Settings" }).click();
  await page.getByRole("tab", { name: "People" }).waitFor();

  // People: Bartholomew's devices; sign the laptop out
  const row = page.locator(".user-list li", { hasText: "@bartholomew" }).first();
  await row.getByRole("button", { name: "Devices" }).click();
  await row.getByText("ThinkPad X1 · Chromium on Debian").waitFor();
  await row.scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(shots, "people-devices-desktop.png") });
  await row.locator(".user-sessions li", { hasText: "ThinkPad" }).getByRole("button", { name: "Sign out" }).click();
  await row.getByText("ThinkPad X1 · Chromium on Debian").waitFor({ state: "detached" });
  const left = (await owner.request("admin.sessions", { userId: tokens[0]!.userId })).sessions.map((s) => s.id);
  expect(left).not.toContain(laptop.sessionId);
  expect(left).toContain(tokens[0]!.sessionId);

  // Storage: the heaviest person and chat first
  await openAdmin(page, "Storage");
  await page.locator(".usage-list li").first().waitFor();
  const firstPerson = await page.locator(".usage-list").first().locator("li .row-title").first().textContent();
  expect(firstPerson).toBe("Bartholomew Featherstonehaugh-Wolstenholme 🎻");
  expect(await page.locator(".usage-list").nth(1).locator("li .row-title").nth(1).textContent()).toBe("陈静 (Chen Jing) 🌸 & Дмитрий Соколов"); // a direct chat is named by its people
  const firstChat = await page.locator(".usage-list").nth(1).locator("li .row-title").first().textContent();
  expect(firstChat).toBe("Orchestra rehearsals 🎼 — spring season, second violins");
  await page.getByText("3.3 MB").first().waitFor();
  await page.screenshot({ path: join(shots, "storage-desktop.png") });

  // IP blocks: add a range, see it, lift the seeded one
  await openAdmin(page, "IP blocks");
  await page.getByText("2001:db8:bad::/48").waitFor();
  await page.fill('[name="ipblock-cidr"]', "203.0.113.77/24");
  await page.fill('[name="ipblock-note"]', "password guessing, 4,000 tries overnight");
  await page.selectOption('[name="ipblock-expiry"]', "7d");
  await page.getByRole("button", { name: "Block", exact: true }).click();
  await page.getByText("203.0.113.0/24", { exact: true }).waitFor();
  await page.fill('[name="ipblock-cidr"]', "not an address");
  await page.getByRole("button", { name: "Block", exact: true }).click();
  await page.getByRole("alert").waitFor();
  await page.screenshot({ path: join(shots, "ipblocks-desktop.png") });
  await page.locator(".ipblock-list li", { hasText: "2001:db8:bad::/48" }).getByRole("button", { name: "Unblock" }).click();
  await page.getByText("2001:db8:bad::/48").waitFor({ state: "detached" });
  expect((await owner.request("admin.ip_blocks", {})).blocks.map((b) => b.cidr)).toEqual(["203.0.113.0/24"]);

  // Audit log: what was just done, newest first
  await openAdmin(page, "Audit log");
  await page.locator(".audit-list li").first().waitFor();
  const actions = await page.locator(".audit-list li code").allTextContents();
  expect(actions.slice(0, 4)).toEqual(["ipblock.remove", "ipblock.add", "session.revoke", "user.promote"]);
  await page.screenshot({ path: join(shots, "audit-desktop.png") });

  // Health
  await openAdmin(page, "Health");
  await page.getByText("No backup yet").waitFor();
  await page.getByText("HTTPS is off on this server").waitFor();
  await page.screenshot({ path: join(shots, "health-desktop.png") });

  // the same console at phone width
  await page.setViewportSize({ width: 390, height: 844 });
  for (const [tab, file] of [["Health", "health"], ["Audit log", "audit"], ["IP blocks", "ipblocks"], ["Storage", "storage"]] as const) {
    await openAdmin(page, tab);
    await page.locator(".admin-panel").first().waitFor();
    await page.locator(".admin-tabs").evaluate((el) => el.scrollIntoView({ block: "start" }));
    await page.screenshot({ path: join(shots, `${file}-phone.png`) });
  }
  await openAdmin(page, "People");
  const row2 = page.locator(".user-list li", { hasText: "@bartholomew" }).first();
  await row2.getByRole("button", { name: "Devices" }).click();
  await row2.getByText("Pixel 8 · Firefox").waitFor();
  await row2.evaluate((el) => el.scrollIntoView({ block: "start" }));
  await page.screenshot({ path: join(shots, "people-devices-phone.png") });
  // nothing in the console is wider than the phone
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBe(0);
  await ctx.close();
  expect(errors).toEqual([]);
}, 180_000);

test("a member has no console: no Administration section, and the methods refuse them", async () => {
  const t = await post<AuthTokens>("/api/auth/register", { username: "eve", password, displayName: "Eve", deviceName: "d" });
  const eve = await connect(t);
  await expect(eve.request("admin.health", {})).rejects.toMatchObject({ code: "forbidden" });
  const ctx = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await ctx.newPage();
  await page.goto(server.url);
  await page.fill('[name="username"]', "eve");
  await page.fill('[name="password"]', password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("button", { name: "Settings" }).click();
  await page.getByRole("heading", { name: "Appearance" }).waitFor();
  expect(await page.getByRole("tab", { name: "Health" }).count()).toBe(0);
  expect(await page.getByText("Administration").count()).toBe(0);
  await ctx.close();
}, 60_000);
