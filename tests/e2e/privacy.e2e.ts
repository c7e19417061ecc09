// The "who may add me to groups" privacy setting in the web client, in real headless
// Chromium against a real server: chosen in settings, stored on the server (another
// client reads it back with privacy.get), still chosen after a reload; screenshots at
// phone (390×844) and desktop (1280×800) size in test-artifacts/screenshots/.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Browser, chromium } from "playwright-core";
import { type RunningBinary, startHearth } from "../../scripts/run-binary.ts";
import { ensureWebBuilt } from "../../scripts/setup.ts";
import { createClient, passwordAuth } from "../../src/client/index.ts";

const repo = join(import.meta.dir, "..", "..");
const shots = join(repo, "test-artifacts", "screenshots");
const password = "correct horse battery staple";
let dir: string;
let server: RunningBinary;
let browser: Browser;
const errors: string[] = [];

beforeAll(async () => {
  await ensureWebBuilt();
  dir = mkdtempSync(join(tmpdir(), "hearth-privacy-e2e-"));
  server = await startHearth([process.execPath, join(repo, "src", "main.ts")], repo, ["--data", dir, "--set", "accounts.registerAttemptsPerIp=100000", "--set", "tls.mode=off"]);
  const args = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];
  browser = await chromium.launch({ executablePath: "/usr/bin/chromium", headless: false, args });
  mkdirSync(shots, { recursive: true });
}, 240_000);

afterAll(async () => {
  await browser?.close();
  server?.proc.kill("SIGTERM");
  await server?.proc.exited;
  rmSync(dir, { recursive: true, force: true });
});

async function claimLink(): Promise<string> {
  for (let i = 0; i < 1000; i++) {
    const line = server.log.find((l) => l.includes("/claim#"));
    if (line) return /https?:\/\/\S+\/claim#[\w-]+/.exec(line)![0];
    await Bun.sleep(10);
  }
  throw new Error(`no claim link in the log:\n${server.log.join("\n")}`);
}

test("choose who may add me to groups; the server keeps it; it shows after a reload", async () => {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: "light" });
  const page = await ctx.newPage();
  page.on("pageerror", (e) => errors.push(`pageerror: ${e.message}`));
  await page.goto(await claimLink());
  await page.waitForSelector('text="Set up the owner account"');
  for (const [name, value] of Object.entries({ username: "olga", password, displayName: "Olga Ömer-Łukasiewicz 🦊" })) await page.fill(`[name="${name}"]`, value);
  await page.getByRole("button", { name: "Set up the owner account" }).click();
  await page.getByRole("button", { name: "New chat" }).waitFor();
  await page.getByRole("button", { name: "Settings" }).click();
  const select = page.getByLabel("Who may add me to groups and channels");
  expect(await select.inputValue()).toBe("everyone");
  await select.selectOption("contacts");
  await page.getByRole("status").filter({ hasText: "Saved" }).waitFor();

  const auth = await passwordAuth(server.url, { username: "olga", password, deviceName: "checker" });
  const client = createClient({ url: `${server.url.replace(/^http/, "ws")}/ws`, auth });
  await client.connect();
  expect(await client.request("privacy.get", {})).toMatchObject({ groupAdd: "contacts" });
  client.close();

  await page.getByLabel("Who may add me to groups and channels").scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(shots, "settings-privacy-desktop-light.png") });
  await page.reload(); // settings has its own URL, so the reload reopens it
  await page.setViewportSize({ width: 390, height: 844 });
  const again = page.getByLabel("Who may add me to groups and channels");
  await again.scrollIntoViewIfNeeded();
  expect(await again.inputValue()).toBe("contacts");
  await page.screenshot({ path: join(shots, "settings-privacy-phone-light.png") });
  await ctx.close();
  expect(errors).toEqual([]);
}, 120_000);
