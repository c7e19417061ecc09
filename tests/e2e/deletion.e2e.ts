// "Your data" and account deletion in real headless Chromium against a real server
// process, at desktop (1280×800) and phone (390×844) size: a person downloads their
// export (a tar the server names), asks to delete their account (the grace period stated,
// the password re-entered), lands on the sign-in screen, signs in to find the account
// scheduled for deletion and keeps it; an owner deletes someone from Administration →
// People, cancels it, then deletes another at once, whose message stays in the group from
// "Deleted account". Screenshots go to test-artifacts/deletion/.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";
import { type RunningBinary, startHearth } from "../../scripts/run-binary.ts";
import { ensureWebBuilt } from "../../scripts/setup.ts";
import { createClient, type HearthClient, tokenAuth } from "../../src/client/index.ts";
import type { AuthTokens } from "../../src/protocol/http.ts";

const repo = join(import.meta.dir, "..", "..");
const shots = join(repo, "test-artifacts", "deletion");
const password = "correct horse battery staple";
let dir: string;
let server: RunningBinary;
let browser: Browser;
let owner: HearthClient;
let ownerId: string;
const errors: string[] = [];
const clients: HearthClient[] = [];

beforeAll(async () => {
  await ensureWebBuilt();
  dir = mkdtempSync(join(tmpdir(), "hearth-deletion-e2e-"));
  server = await startHearth([process.execPath, join(repo, "src", "main.ts")], repo, ["--data", dir, "--set", "accounts.registerAttemptsPerIp=100000", "--set", "tls.mode=off", "--set", "accounts.registration=open"]);
  const args = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];
  browser = await chromium.launch({ executablePath: "/usr/bin/chromium", headless: false, args });
  mkdirSync(shots, { recursive: true });
  const token = /\/claim#([\w-]+)/.exec(await claimLine())![1]!;
  const ownerTokens = await post<AuthTokens>("/api/auth/claim", { token, username: "olga", password, displayName: "Olga Ömer-Łukasiewicz 🦊", deviceName: "checker" });
  ownerId = ownerTokens.userId;
  owner = await connect(ownerTokens);
}, 240_000);

afterAll(async () => {
  for (const c of clients) c.close();
  await browser?.close();
  server?.proc.kill("SIGTERM");
  await server?.proc.exited;
  rmSync(dir, { recursive: true, force: true });
});

async function claimLine(): Promise<string> {
  for (let i = 0; i < 1000; i++) {
    const line = server.log.find((l) => l.includes("/claim#"));
    if (line) return line;
    await Bun.sleep(10);
  }
  throw new Error(`no claim link in the log:\n${server.log.join("\n")}`);
}

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

let seq = 0;
const cid = () => `e${++seq}`;

/** A person with a group full of conversation, so screens show realistic content. */
async function seededPerson(username: string, displayName: string, memberIds: string[] = []): Promise<AuthTokens> {
  const tokens = await post<AuthTokens>("/api/auth/register", { username, password, displayName, deviceName: "Pixel 8 · Firefox" });
  const me = await connect(tokens);
  const { entry } = await me.request("chat.create", { kind: "group", clientId: cid(), title: "Allotment neighbours 🥕 — plots 12 to 30", memberIds });
  await me.request("message.send", { chatId: entry.chat.id, clientId: cid(), text: "Water rota for August: I take the first week, and the hose by the shed is fixed 🚿" });
  return tokens;
}

async function signIn(page: Page, username: string) {
  await page.goto(server.url);
  await page.fill('[name="username"]', username);
  await page.fill('[name="password"]', password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

async function openYourData(page: Page) {
  await page.getByRole("button", { name: "Settings" }).click();
  const section = page.getByRole("region", { name: "Your data" });
  await section.scrollIntoViewIfNeeded();
  return section;
}

async function deleteOwnAccount(page: Page, username: string, size: string) {
  const section = await openYourData(page);
  await section.getByRole("button", { name: "Delete account" }).click();
  await section.getByText("Your account will be deleted in 7 days.").waitFor();
  await section.locator(".danger-zone").scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(shots, `delete-confirm-${size}.png`) });
  await section.locator('[name="delete-password"]').fill("not my password");
  await section.getByRole("button", { name: "Delete my account" }).click();
  await section.getByText("The current password is wrong.").waitFor();
  await section.locator('[name="delete-password"]').fill(password);
  await section.getByRole("button", { name: "Delete my account" }).click();
  await page.getByText("Your account is scheduled for deletion. Sign in before then to keep it.").waitFor();
  await page.screenshot({ path: join(shots, `signed-out-pending-${size}.png`) });
  await signIn(page, username);
  await page.getByText(/This account will be deleted on .*\. Keep it and sign in\?/).waitFor();
  await page.screenshot({ path: join(shots, `signin-pending-${size}.png`) });
  await page.getByRole("button", { name: "Keep my account" }).click();
  await page.getByRole("button", { name: "New chat" }).waitFor();
}

test("a person downloads their data, asks to delete the account, and keeps it at sign-in (desktop)", async () => {
  const tokens = await seededPerson("zoe", "Zoë Featherstonehaugh-Wolstenholme 🌻");
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: "light", acceptDownloads: true });
  const page = await ctx.newPage();
  page.on("pageerror", (e) => errors.push(`pageerror: ${e.message}`));
  await signIn(page, "zoe");
  await page.getByRole("button", { name: "New chat" }).waitFor();
  const section = await openYourData(page);
  const [download] = await Promise.all([page.waitForEvent("download"), section.getByRole("button", { name: "Download my data" }).click()]);
  expect(download.suggestedFilename()).toMatch(/^hearth-export-zoe-\d{4}-\d{2}-\d{2}\.tar$/);
  const saved = join(dir, "export.tar");
  await download.saveAs(saved);
  const tar = readFileSync(saved).toString("latin1");
  expect(tar).toContain("index.html");
  expect(tar).toContain("Water rota for August");
  await section.getByText(/^Saved hearth-export-zoe/).waitFor();
  await page.screenshot({ path: join(shots, "your-data-desktop.png") });
  await page.keyboard.press("Escape");
  await deleteOwnAccount(page, "zoe", "desktop");
  const { users } = await owner.request("user.list", { query: "zoe" });
  expect(users[0]).toMatchObject({ id: tokens.userId, deletion: null });
  await ctx.close();
  expect(errors).toEqual([]);
}, 180_000);

test("the same at phone size, with nothing wider than the screen", async () => {
  await seededPerson("yusuf", "Yusuf Abdülkadiroğlu-Papadopoulos 🐝");
  const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true, colorScheme: "dark" });
  const page = await ctx.newPage();
  page.on("pageerror", (e) => errors.push(`pageerror: ${e.message}`));
  await signIn(page, "yusuf");
  await page.getByRole("button", { name: "New chat" }).waitFor();
  await openYourData(page);
  await page.screenshot({ path: join(shots, "your-data-phone.png") });
  await page.keyboard.press("Escape");
  await deleteOwnAccount(page, "yusuf", "phone");
  expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBe(0);
  await ctx.close();
  expect(errors).toEqual([]);
}, 180_000);

test("an owner deletes people from Administration → People: with grace (then cancels), and at once", async () => {
  const later = await seededPerson("xavier", "Xavier Quintana-Oyelaran 🎷");
  const now = await seededPerson("wanda", "Wanda Wiśniewska-Nakamura 🐙", [ownerId]); // olga is in wanda's group
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: "light" });
  const page = await ctx.newPage();
  page.on("pageerror", (e) => errors.push(`pageerror: ${e.message}`));
  await signIn(page, "olga");
  await page.getByRole("button", { name: "Settings" }).click();
  await page.getByRole("tab", { name: "People" }).waitFor();
  const row = page.locator(".user-list li", { hasText: "@xavier" }).first();
  await row.getByRole("button", { name: "Delete", exact: true }).click();
  await row.getByText("Delete Xavier Quintana-Oyelaran 🎷's account?", { exact: false }).waitFor();
  await row.scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(shots, "admin-delete-confirm-desktop.png") });
  await row.getByRole("button", { name: "Delete in 7 days" }).click();
  await row.getByText(/^deletion on /).waitFor();
  await page.screenshot({ path: join(shots, "admin-deletion-scheduled-desktop.png") });
  expect((await owner.request("user.list", { query: "xavier" })).users[0]!.deletion).toMatchObject({ by: "admin" });
  const refused = await fetch(server.url + "/api/auth/login", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ username: "xavier", password, deviceName: "d", cancelDeletion: true }) });
  expect(((await refused.json()) as { error: { data: { cancellable: boolean } } }).error.data.cancellable).toBe(false);
  await row.getByRole("button", { name: "Cancel deletion" }).click();
  await row.getByText(/^deletion on /).waitFor({ state: "detached" });
  expect((await owner.request("user.list", { query: "xavier" })).users[0]!.deletion).toBeNull();
  expect(later.userId).toBeTruthy();

  await page.setViewportSize({ width: 390, height: 844 });
  const wrow = page.locator(".user-list li", { hasText: "@wanda" }).first();
  await wrow.getByRole("button", { name: "Delete", exact: true }).click();
  await wrow.getByRole("button", { name: "Delete now, for good" }).waitFor();
  await wrow.evaluate((el) => el.scrollIntoView({ block: "start" }));
  await page.screenshot({ path: join(shots, "admin-delete-confirm-phone.png") });
  await wrow.getByRole("button", { name: "Delete now, for good" }).click();
  await page.locator(".user-list li", { hasText: "@wanda" }).waitFor({ state: "detached" });
  expect((await owner.request("user.list", { query: "wanda" })).users).toEqual([]);
  expect(await owner.request("user.get", { userId: now.userId })).toMatchObject({ displayName: "Deleted account", username: "" });
  expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBe(0);
  // wanda's message stays in the group, from a Deleted account; olga now owns the group
  await page.keyboard.press("Escape");
  await page.getByText("Allotment neighbours 🥕 — plots 12 to 30").first().click();
  await page.getByRole("log", { name: "Messages" }).getByText("Water rota for August", { exact: false }).waitFor();
  await page.screenshot({ path: join(shots, "deleted-author-phone.png") });
  await page.getByRole("log", { name: "Messages" }).getByText("Deleted account").first().waitFor();
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.getByRole("log", { name: "Messages" }).getByText("Deleted account").first().waitFor();
  await page.screenshot({ path: join(shots, "deleted-author-desktop.png") });
  expect(await page.getByText("Wanda Wiśniewska-Nakamura 🐙").count()).toBe(0);
  await ctx.close();
  expect(errors).toEqual([]);
}, 180_000);
