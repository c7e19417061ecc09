// The web client under its Content-Security-Policy, in real headless Chromium (Debian's
// package through playwright-core) against a real server (`bun src/main.ts serve`, TLS on
// with the local CA, web client from web/dist), on both listeners: claim, invite,
// register, sign in, open a chat, send and receive, and the trust page's nonce'd script.
// Every `securitypolicyviolation` event and every console line about the policy is
// collected from the first script on; the test fails on any.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { createHash, type X509Certificate } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect } from "node:tls";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { type RunningBinary, startHearth } from "../../scripts/run-binary.ts";
import { ensureWebBuilt } from "../../scripts/setup.ts";

const repo = join(import.meta.dir, "..", "..");
const shots = join(repo, "test-artifacts", "screenshots");
const password = "correct horse battery staple";
let dir: string;
let server: RunningBinary;
let httpsUrl: string;
let browser: Browser;
const violations: string[] = [];

/** The SPKI pin of the certificate the HTTPS listener serves (Chromium trusts exactly it; never --ignore-certificate-errors). */
function leafSpki(url: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port), rejectUnauthorized: false }, () => {
      const cert = (socket as unknown as { getPeerX509Certificate(): X509Certificate }).getPeerX509Certificate();
      socket.end();
      resolve(createHash("sha256").update(cert.publicKey.export({ type: "spki", format: "der" })).digest("base64"));
    });
    socket.on("error", reject);
  });
}

beforeAll(async () => {
  await ensureWebBuilt();
  dir = mkdtempSync(join(tmpdir(), "hearth-csp-e2e-"));
  server = await startHearth([process.execPath, join(repo, "src", "main.ts")], repo, ["--data", dir]);
  const listening = JSON.parse(server.log.find((l) => l.includes('"msg":"listening"'))!);
  httpsUrl = listening.httpsUrl;
  const args = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];
  args.push(`--ignore-certificate-errors-spki-list=${await leafSpki(httpsUrl)}`);
  browser = await chromium.launch({ executablePath: "/usr/bin/chromium", headless: false, args });
  mkdirSync(shots, { recursive: true });
}, 240_000);

afterAll(async () => {
  await browser?.close();
  server?.proc.kill("SIGTERM");
  await server?.proc.exited;
  rmSync(dir, { recursive: true, force: true });
});

async function newPage(label: string): Promise<{ ctx: BrowserContext; page: Page }> {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  // Before any page script: report every violation the policy raises.
  await ctx.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => {
      (window as unknown as { __csp: string[] }).__csp ??= [];
      (window as unknown as { __csp: string[] }).__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
      console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI}`);
    });
  });
  const page = await ctx.newPage();
  page.on("console", (m) => {
    const text = m.text();
    if (/Content Security Policy|CSP violation|Refused to/i.test(text)) violations.push(`${label} console: ${text}`);
  });
  page.on("pageerror", (e) => violations.push(`${label} pageerror: ${e.message}`));
  return { ctx, page };
}

async function collected(label: string, page: Page): Promise<void> {
  const seen = await page.evaluate(() => (window as unknown as { __csp?: string[] }).__csp ?? []);
  violations.push(...seen.map((v) => `${label} event: ${v}`));
}

async function fill(page: Page, fields: Record<string, string>): Promise<void> {
  for (const [name, value] of Object.entries(fields)) await page.fill(`[name="${name}"]`, value);
}

async function send(page: Page, text: string): Promise<void> {
  const box = page.locator('textarea[name="message"]');
  await box.fill(text);
  await box.press("Enter");
}

const bubble = (page: Page, text: string) => page.locator(".history .msg", { hasText: text });

test("claim, invite, register, chat over plain loopback and over HTTPS: the app works and the policy is never violated", async () => {
  const claim = /https?:\/\/\S+\/claim#[\w-]+/.exec(server.log.find((l) => l.includes("/claim#")) ?? "")?.[0];
  expect(claim).toBeDefined();
  const owner = await newPage("owner/plain");
  const first = await owner.page.goto(claim!.replace(/^https?:\/\/[^/]+/, server.url));
  const csp = first!.headers()["content-security-policy"]!;
  expect(csp).toContain("script-src 'self';");
  expect(csp).toContain(`connect-src 'self' ${server.url.replace(/^http/, "ws")};`);
  await owner.page.waitForSelector('text="Set up the owner account"').catch(async (e) => {
    await collected("owner/plain", owner.page);
    throw new Error(`${(e as Error).message}\npage: ${await owner.page.locator("body").innerText()}\nviolations: ${violations.join("\n")}`);
  });
  await fill(owner.page, { username: "owner", password, displayName: "Olga Owner" });
  await owner.page.getByRole("button", { name: "Set up the owner account" }).click();
  await owner.page.getByRole("button", { name: "New chat" }).waitFor();

  await owner.page.getByRole("button", { name: "Settings" }).click();
  await owner.page.getByRole("button", { name: "Create account invite" }).click();
  const invite = await owner.page.locator('input[name="invite-url"]').inputValue({ timeout: 10_000 });
  await owner.page.keyboard.press("Escape");

  const ann = await newPage("ann/https");
  const annFirst = await ann.page.goto(invite.replace(/^https?:\/\/[^/]+/, httpsUrl));
  expect(annFirst!.headers()["content-security-policy"]).toContain(`connect-src 'self' ${httpsUrl.replace(/^https/, "wss")};`);
  expect(await ann.page.evaluate(() => window.isSecureContext)).toBe(true);
  await ann.page.waitForSelector('text="Create account"');
  await fill(ann.page, { username: "ann", password, displayName: "Ann Archer 🌿" });
  await ann.page.getByRole("button", { name: "Create account" }).click();
  await ann.page.getByRole("button", { name: "New chat" }).waitFor();

  await owner.page.getByRole("button", { name: "New chat" }).click();
  await fill(owner.page, { peer: "ann" });
  await owner.page.getByRole("button", { name: "Create", exact: true }).click();
  await owner.page.locator(".chat-head-title", { hasText: "Ann Archer" }).waitFor();
  await send(owner.page, "Hello **Ann**, does the policy hold?");
  await bubble(owner.page, "does the policy hold").locator('.tick[aria-label="Sent"]').waitFor();

  await ann.page.locator(".chat-row", { hasText: "Olga Owner" }).first().click();
  await bubble(ann.page, "does the policy hold").waitFor();
  expect(await bubble(ann.page, "does the policy hold").locator("strong").textContent()).toBe("Ann");

  // signing out and in again (the login route, over HTTPS), then a reply both ways
  await ann.page.getByRole("button", { name: "Settings" }).click();
  await ann.page.getByRole("button", { name: "Sign out" }).click();
  await fill(ann.page, { username: "ann", password });
  await ann.page.getByRole("button", { name: "Sign in" }).click();
  await ann.page.getByRole("button", { name: "New chat" }).waitFor();
  // (by its last message: right after a sign-in the row may still show "…" for the name;
  // the settings dialog the sign-out came from is open again)
  if (await ann.page.locator('dialog[aria-label="Settings"]').isVisible()) await ann.page.keyboard.press("Escape");
  await ann.page.locator(".chat-row", { hasText: "does the policy hold" }).first().click().catch(async (e) => {
    await ann.page.screenshot({ path: join(shots, "csp-failed-relogin.png") });
    await collected("ann/https", ann.page);
    throw new Error(`${(e as Error).message}\npage: ${await ann.page.locator("body").innerText()}\nviolations: ${violations.join("\n")}`);
  });
  await send(ann.page, "It holds.");
  await bubble(owner.page, "It holds.").waitFor();
  await ann.page.screenshot({ path: join(shots, "csp-https-chat.png") });

  // the trust page over HTTPS: its one inline script runs by nonce (it hides the status line)
  const trust = await newPage("trust/https");
  await trust.page.goto(`${httpsUrl}/trust`);
  await trust.page.locator("#status").waitFor({ state: "hidden" });
  expect(await trust.page.evaluate(() => getComputedStyle(document.body).maxWidth)).toBe("704px"); // its nonce'd style applied

  await collected("owner/plain", owner.page);
  await collected("ann/https", ann.page);
  await collected("trust/https", trust.page);
  expect(violations).toEqual([]);
  for (const c of [owner, ann, trust]) await c.ctx.close();
}, 120_000);
