// Inviting and finding people, administration and 2FA in real headless Chromium, each at
// phone width (390×844, touch) and desktop (1280×800). The server runs in this process
// bound to all interfaces with its local CA, so the links it hands out point at the
// HTTPS LAN address (as for a second device), and the browsers open exactly those links;
// Chromium trusts only the server's leaf key (--ignore-certificate-errors-spki-list).
// Seeding goes over loopback HTTP/WebSocket like any client. Every test makes its own
// people (long names, emoji, dozens of users) and takes screenshots into test-artifacts/.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { ensureWebBuilt } from "../../scripts/setup.ts";
import { accountsAuthenticate, ensureOwnerClaim } from "../../src/accounts/module.ts";
import { publicBaseUrl } from "../../src/accounts/registration.ts";
import { base32Decode, hotp, totpStep } from "../../src/accounts/totp.ts";
import { createClient, type HearthClient } from "../../src/client/client.ts";
import { tokenAuth } from "../../src/client/auth.ts";
import { loadConfig } from "../../src/config/load.ts";
import { limits } from "../../src/limits.ts";
import { compose, composeModules } from "../../src/compose.ts";
import { advertiseLinks } from "../../src/net/discovery.ts";
import { lanAddress } from "../../src/net/lan.ts";
import type { AuthTokens } from "../../src/protocol/http.ts";
import { startServer, type RunningServer } from "../../src/server/app.ts";
import { createWebAssets, defaultWebSource } from "../../src/server/static.ts";
import { createWsPart } from "../../src/server/ws.ts";
import { startTls } from "../../src/tls/index.ts";
import type { TlsSource } from "../../src/tls/source.ts";
import { spkiSha256 } from "../../src/tls/x509.ts";

const repo = join(import.meta.dir, "..", "..");
const shots = join(repo, "test-artifacts", "people");
const password = "correct horse battery staple";
const lan = lanAddress();
let dir: string;
let server: RunningServer;
let tls: TlsSource;
let browser: Browser;
let loopback: string; // seeding goes here (http://127.0.0.1:port serves everything on loopback)
let owner: { tokens: AuthTokens; client: HearthClient };
const clients: HearthClient[] = [];

const sizes = [
  { name: "phone", viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true },
  { name: "desktop", viewport: { width: 1280, height: 800 }, hasTouch: false, isMobile: false },
] as const;
type Size = (typeof sizes)[number];

let seq = 0;
const uniq = () => `${process.pid % 1000}${++seq}`;

/** Seeding in groups the server's password-hashing queue takes (limits.passwordHashWaitingMax); more at once is answered `unavailable`, by design. */
async function inBatches(count: number, make: (i: number) => Promise<unknown>): Promise<void> {
  const batch = Math.max(1, limits.passwordHashWaitingMax / 2);
  for (let start = 0; start < count; start += batch) {
    await Promise.all(Array.from({ length: Math.min(batch, count - start) }, (_, k) => make(start + k)));
  }
}

async function post<T>(path: string, body: unknown): Promise<T> {
  const res = await fetch(loopback + path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

async function connect(tokens: AuthTokens): Promise<HearthClient> {
  const client = createClient({ url: `${loopback.replace(/^http/, "ws")}/ws`, auth: tokenAuth(loopback, tokens) });
  await client.connect();
  clients.push(client);
  return client;
}

/** A person registered over loopback (registration is open for seeding) with a connected client. */
async function person(username: string, displayName: string, role: "member" | "admin" = "member") {
  const tokens = await post<AuthTokens>("/api/auth/register", { username, password, displayName, deviceName: "seed" });
  if (role === "admin") await owner.client.request("user.set_role", { userId: tokens.userId, role: "admin" });
  return { id: tokens.userId, username, displayName, tokens, client: await connect(tokens) };
}

beforeAll(async () => {
  if (!lan) throw new Error("this machine has no LAN address: links for other devices cannot be tested");
  await ensureWebBuilt();
  dir = mkdtempSync(join(tmpdir(), "hearth-people-e2e-"));
  const config = loadConfig({ flags: { host: "0.0.0.0", port: 0, data: dir, set: ["log.format=json", "mdns.enabled=false", "log.level=error", "accounts.registerAttemptsPerIp=100000"] } });
  const deps = await compose(config, { logStream: { write: () => {} } });
  tls = (await startTls(config, { log: deps.log }))!;
  const modules = await composeModules(deps, { tls: () => tls }); // production's list: every screen finds its methods
  const websocket = createWsPart(deps, { authenticate: accountsAuthenticate(deps), modules });
  server = startServer(deps, { routes: modules.flatMap((m) => (m.routes ? [m.routes] : [])), stops: modules.flatMap((m) => (m.stop ? [m.stop] : [])), websocket, web: createWebAssets(defaultWebSource(null, repo)), tls });
  advertiseLinks(deps, server);
  loopback = server.url;
  // The claim link is built like every other link: for other devices, never localhost.
  const claim = (await ensureOwnerClaim(deps, publicBaseUrl(deps)))!;
  expect(claim).toStartWith(`https://${lan}:`);
  const tokens = await post<AuthTokens>("/api/auth/claim", { token: claim.split("#")[1], username: "olga", password, displayName: "Olga Owner-Ramírez 🔥", deviceName: "seed" });
  owner = { tokens, client: await connect(tokens) };
  await owner.client.request("registration.set", { mode: "open" });
  browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    headless: false,
    args: ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
      `--ignore-certificate-errors-spki-list=${spkiSha256(tls.material()!.cert)}`],
  });
  mkdirSync(shots, { recursive: true });
}, 240_000);

afterAll(async () => {
  for (const c of clients) c.close();
  await browser?.close();
  await server?.stop("test end");
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const pageErrors: string[] = [];

async function open(size: Size): Promise<{ ctx: BrowserContext; page: Page }> {
  const ctx = await browser.newContext({ viewport: size.viewport, hasTouch: size.hasTouch, isMobile: size.isMobile, colorScheme: "light" });
  await ctx.grantPermissions(["clipboard-read", "clipboard-write"], { origin: httpsBase() });
  const page = await ctx.newPage();
  page.on("pageerror", (e) => pageErrors.push(`${size.name}: ${e.message}`));
  return { ctx, page };
}

const httpsBase = () => `https://${lan}:${new URL(server.httpsUrl!).port}`;

async function signIn(page: Page, username: string): Promise<void> {
  await page.goto(httpsBase());
  await page.fill('[name="username"]', username);
  await page.fill('[name="password"]', password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("button", { name: "New chat" }).waitFor();
}

/** Nothing scrolls sideways. */
async function noSideScroll(page: Page, screen: string): Promise<void> {
  const { scroll, inner } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth }));
  expect(`${screen}: ${scroll}`).toBe(`${screen}: ${Math.min(scroll, inner)}`);
}

const shot = (page: Page, name: string) => page.screenshot({ path: join(shots, `${name}.png`) });

/** axe-core on the current screen: no serious or critical violation. */
async function axe(page: Page, screen: string): Promise<void> {
  // Not an inline <script>: the app's CSP refuses those (as it should); DevTools evaluation is not page script.
  await page.evaluate(readFileSync(join(repo, "node_modules", "axe-core", "axe.min.js"), "utf8"));
  const found = await page.evaluate(async () => {
    const r = await (window as unknown as { axe: { run: (ctx: Document) => Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> } }).axe.run(document);
    return r.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`);
  });
  expect(found.map((v) => `${screen}: ${v}`)).toEqual([]);
}

async function tap(page: Page, size: Size, locator: ReturnType<Page["locator"]>): Promise<void> {
  if (size.hasTouch) await locator.tap();
  else await locator.click();
}

async function openSettings(page: Page): Promise<void> {
  await page.getByRole("button", { name: "Settings" }).click();
  await page.locator(".settings").waitFor();
}

describe.skipIf(!lan || !existsSync("/usr/bin/chromium"))("people, invites, administration and 2FA", () => {
  for (const size of sizes) {
    test(`${size.name}: an admin's empty list invites people; the link works on another device and says who invites to which server`, async () => {
      const u = uniq();
      const admin = await person(`ines${u}`, "Inés Administradora de la Comunidad 🌻", "admin");
      const { ctx, page } = await open(size);
      await signIn(page, admin.username);
      const card = page.locator(".invite-card");
      await card.waitFor();
      await noSideScroll(page, "empty list");
      await shot(page, `invite-card-${size.name}`);
      await tap(page, size, card.getByRole("button", { name: "Invite people" }));
      const dialog = page.getByRole("dialog", { name: "Invite people" });
      await dialog.locator('select[name="invite-expiry"]').selectOption("1d");
      await dialog.locator('select[name="invite-uses"]').selectOption("5");
      await tap(page, size, dialog.getByRole("button", { name: "Create account invite" }));
      const url = await dialog.locator('input[name="invite-url"]').inputValue({ timeout: 10_000 });
      expect(url).toStartWith(`${httpsBase()}/invite#`); // the LAN HTTPS address, never localhost
      await dialog.getByRole("img", { name: "QR code: Invite link" }).first().waitFor();
      await tap(page, size, dialog.getByRole("button", { name: "Copy" }).first());
      await dialog.getByRole("button", { name: "Copied" }).waitFor();
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(url);
      // the pending invite can be shown and copied again
      const pendingRow = dialog.locator(".invite-list li", { hasText: "used 0 of 5" });
      await tap(page, size, pendingRow.getByRole("button", { name: "Show link" }));
      expect(await pendingRow.locator('input[name="pending-invite-url"]').inputValue()).toBe(url);
      await noSideScroll(page, "invite dialog");
      await shot(page, `invite-dialog-${size.name}`);
      await axe(page, "invite dialog");
      await page.emulateMedia({ colorScheme: "dark" }); // the QR code keeps its white quiet zone
      await shot(page, `invite-dialog-${size.name}-dark`);
      await axe(page, "invite dialog (dark)");
      await page.emulateMedia({ colorScheme: "light" });

      // another device opens the link: who invites you where, then registers
      const other = await open(size);
      await other.page.goto(url);
      const invited = other.page.locator(".invited-by");
      await invited.waitFor();
      expect(await invited.textContent()).toBe(`Inés Administradora de la Comunidad 🌻 invites you to ${lan}:${new URL(server.httpsUrl!).port}.`);
      await noSideScroll(other.page, "register");
      await shot(other.page, `register-invited-${size.name}`);
      await axe(other.page, "register");
      await other.page.fill('[name="username"]', `newbie${u}`);
      await other.page.fill('[name="password"]', password);
      await other.page.fill('[name="displayName"]', "Nuevo Miembro 🐣");
      await other.page.getByRole("button", { name: "Create account" }).click();
      await other.page.getByRole("button", { name: "New chat" }).waitFor();
      // a member's empty list has no invite card
      expect(await other.page.locator(".invite-card").count()).toBe(0);
      await ctx.close();
      await other.ctx.close();
      expect(pageErrors).toEqual([]);
    }, 120_000);

    test(`${size.name}: find people by name among many; a profile card; Message opens the chat`, async () => {
      const u = uniq();
      const me = await person(`finder${u}`, "Fernanda Finder");
      const friend = await person(`lopez${u}`, "Lopez Family 🏡 and the extended household");
      await person(`lopezstranger${u}`, "Lopez Stranger 🌵");
      await inBatches(30, (i) => person(`crowd${u}x${i}`, `Crowd Person ${i} 🎈 with a rather long display name`));
      await friend.client.request("profile.update", { bio: "We live by the lake 🏞️ and answer slowly on weekends." });
      const { entry } = await me.client.request("chat.create", { kind: "group", clientId: `g${u}`, title: "Neighbours 🏘️", memberIds: [friend.id] });
      expect(entry.chat.kind).toBe("group");
      await owner.client.request("server.set_directory", { enabled: false });
      const { ctx, page } = await open(size);
      await signIn(page, me.username);
      await page.getByRole("button", { name: "New chat" }).click();
      const search = page.locator('input[name="peer"]');
      await search.fill("lop");
      const results = page.locator(".people-results .person-row");
      await results.first().waitFor();
      // the directory is off: only the person sharing a chat is found
      expect(await page.locator(".people-results .person-names").allTextContents()).toEqual([`Lopez Family 🏡 and the extended household@lopez${u}`]);
      await owner.client.request("server.set_directory", { enabled: true });
      await search.fill("");
      await search.fill(`crowd${u}`);
      await page.locator(".people-results .person-row", { hasText: "Crowd Person 0 " }).waitFor();
      expect(await results.count()).toBe(20); // 30 match: the first page of answers
      await noSideScroll(page, "find people");
      await shot(page, `find-people-${size.name}`);
      await axe(page, "find people");
      await search.fill("lop");
      await page.locator(".people-results .person-row", { hasText: `@lopezstranger${u}` }).waitFor();
      await tap(page, size, page.locator(".people-results .person-row", { hasText: `@lopez${u}` }).first());
      const card = page.getByRole("dialog", { name: "Profile" });
      await card.locator(".profile-bio", { hasText: "We live by the lake" }).waitFor();
      expect(await card.locator(".profile-username").textContent()).toBe(`@lopez${u}`);
      expect(await card.locator(".avatar").textContent()).toBe("LH"); // first and last word
      await noSideScroll(page, "profile card");
      await shot(page, `profile-card-${size.name}`);
      await axe(page, "profile card");
      await tap(page, size, card.getByRole("button", { name: "Message" }));
      await page.locator(".chat-head-title", { hasText: "Lopez Family" }).waitFor();
      await page.getByRole("dialog", { name: "New chat" }).waitFor({ state: "detached" }); // Message closes the New chat dialog too
      // a group's invite link is for other devices too, with its QR code
      if (size.name === "phone") await page.getByRole("button", { name: "Back" }).click();
      await page.locator(".chat-row", { hasText: "Neighbours" }).first().click();
      await page.getByRole("button", { name: "Chat info" }).first().click();
      await tap(page, size, page.getByRole("button", { name: "Create invite link" }));
      expect(await page.locator(".info-panel .created-link input").inputValue()).toStartWith(`${httpsBase()}/join#`);
      await page.locator(".info-panel").getByRole("img", { name: "QR code: Invite link" }).waitFor();
      await noSideScroll(page, "chat info with invite link");
      await shot(page, `chat-invite-link-${size.name}`);
      await ctx.close();
      expect(pageErrors).toEqual([]);
    }, 180_000);

    test(`${size.name}: administration: search users, reset link used on another device, disable, promote and demote`, async () => {
      const u = uniq();
      const admin = await person(`adm${u}`, "Ádám Admin 🛠️", "admin");
      const target = await person(`target${u}`, "Tamsin Target-Featherstonehaugh 🦊");
      const { ctx, page } = await open(size);
      await signIn(page, admin.username);
      await openSettings(page);
      const users = page.locator(".admin-users");
      await users.locator('input[name="user-search"]').fill(target.username);
      const row = users.locator(".user-list li", { hasText: "Tamsin Target" });
      await row.waitFor();
      expect(await users.locator(".user-list li").count()).toBe(1);
      await tap(page, size, row.getByRole("button", { name: "Password reset link" }));
      const resetUrl = await row.locator('input[name="reset-url"]').inputValue({ timeout: 10_000 });
      expect(resetUrl).toStartWith(`${httpsBase()}/reset#`);
      await row.getByRole("img", { name: /^QR code: Password reset link for/ }).waitFor();
      await row.scrollIntoViewIfNeeded();
      await noSideScroll(page, "admin users");
      await shot(page, `admin-users-${size.name}`);
      await axe(page, "administration");

      // the target opens the link elsewhere and sets a new password; their sessions end
      const other = await open(size);
      await other.page.goto(resetUrl);
      await other.page.locator("text=For Tamsin Target-Featherstonehaugh 🦊").waitFor();
      await noSideScroll(other.page, "reset page");
      await shot(other.page, `reset-page-${size.name}`);
      await axe(other.page, "reset page");
      await other.page.fill('[name="new-password"]', "a much newer passphrase");
      await other.page.fill('[name="repeat-password"]', "a much newer passphrase");
      await other.page.getByRole("button", { name: "Set password" }).click();
      await other.page.locator("text=Password changed. Sign in with the new one.").waitFor();
      expect(await other.page.inputValue('[name="username"]')).toBe(target.username);
      await other.page.fill('[name="password"]', "a much newer passphrase");
      await other.page.getByRole("button", { name: "Sign in" }).click();
      await other.page.getByRole("button", { name: "New chat" }).waitFor();
      await other.ctx.close();
      // the link worked once
      const third = await open(size);
      await third.page.goto(resetUrl);
      await third.page.getByRole("alert").filter({ hasText: "not valid" }).waitFor();
      await third.ctx.close();

      // disable and enable, promote and demote (an admin may promote but not demote admins)
      await tap(page, size, row.getByRole("button", { name: "Disable" }));
      await row.locator("text=disabled").waitFor();
      await tap(page, size, row.getByRole("button", { name: "Enable" }));
      await row.getByRole("button", { name: "Disable" }).waitFor();
      await tap(page, size, row.getByRole("button", { name: "Make admin" }));
      await row.locator("text=· admin").waitFor();
      expect(await row.locator(".row-actions").count()).toBe(0); // only the owner acts on admins
      await owner.client.request("user.set_role", { userId: target.id, role: "member" });

      // many people: the list pages (50 at a time) and searches by display name
      await inBatches(55, (i) => person(`many${u}p${String(i).padStart(2, "0")}`, `Manuela Many ${i} 🐙 of the very long family name`));
      const search = users.locator('input[name="user-search"]');
      await search.fill(`many${u}`);
      await users.locator(".user-list li", { hasText: `@many${u}p49` }).waitFor();
      expect(await users.locator(".user-list li").count()).toBe(50);
      await tap(page, size, users.getByRole("button", { name: "Show more" }));
      await users.locator(".user-list li", { hasText: `@many${u}p54` }).waitFor();
      expect(await users.locator(".user-list li").count()).toBe(55);
      expect(await users.getByRole("button", { name: "Show more" }).count()).toBe(0);
      await search.fill("Manuela Many 7 ");
      await users.locator(".user-list li").first().waitFor();
      await noSideScroll(page, "admin users, many");
      await ctx.close();
      expect(pageErrors).toEqual([]);
    }, 180_000);

    test(`${size.name}: two-factor setup shows a QR code and a copy button; a reused code says to wait for the next one`, async () => {
      const u = uniq();
      const me = await person(`totp${u}`, "Zoë Two-Factor 🔐");
      const { ctx, page } = await open(size);
      await signIn(page, me.username);
      await openSettings(page);
      await tap(page, size, page.getByRole("button", { name: "Set up two-factor authentication" }));
      await page.getByRole("img", { name: "QR code for your authenticator app" }).waitFor();
      const secret = (await page.locator(".secret").textContent())!.trim();
      await tap(page, size, page.locator(".secret-row").getByRole("button", { name: "Copy" }));
      await page.locator(".secret-row").getByRole("button", { name: "Copied" }).waitFor();
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);
      await page.getByRole("img", { name: "QR code for your authenticator app" }).scrollIntoViewIfNeeded();
      await noSideScroll(page, "2fa setup");
      await shot(page, `twofactor-${size.name}`);
      const key = base32Decode(secret)!;
      const code = hotp(key, totpStep(Date.now()));
      await page.fill('[name="tf-code"]', code);
      await page.getByRole("button", { name: "Turn on" }).click();
      await page.locator(".codes li").first().waitFor();
      await page.getByRole("button", { name: "Done" }).click();
      // sign in elsewhere with the code that turned 2FA on: already used
      const other = await open(size);
      await other.page.goto(httpsBase());
      await other.page.fill('[name="username"]', me.username);
      await other.page.fill('[name="password"]', password);
      await other.page.getByRole("button", { name: "Sign in" }).click();
      await other.page.locator('[name="totp"]').waitFor();
      await other.page.fill('[name="totp"]', code);
      await other.page.getByRole("button", { name: "Sign in" }).click();
      expect(await other.page.getByRole("alert").textContent()).toBe("That code was already used. Wait for the next one.");
      await shot(other.page, `totp-used-${size.name}`);
      await other.ctx.close();
      await ctx.close();
      expect(pageErrors).toEqual([]);
    }, 120_000);
  }
});
