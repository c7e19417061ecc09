// The web client's first run in a real browser (Debian's chromium through playwright-core)
// against a real server (`bun src/main.ts serve`, web client from web/dist): open the
// owner claim link the server printed, create the owner, stay signed in across a reload,
// sign out, sign back in, and see a wrong password refused.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";
import { type RunningBinary, startHearth } from "../../scripts/run-binary.ts";

const repo = join(import.meta.dir, "..", "..");
let dir: string;
let server: RunningBinary;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "hearth-e2e-"));
  server = await startHearth([process.execPath, join(repo, "src", "main.ts")], repo, ["--data", dir]);
  browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu"] });
  page = await browser.newPage();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  server?.proc.kill("SIGTERM");
  await server?.proc.exited;
  rmSync(dir, { recursive: true, force: true });
});

async function claimLink(): Promise<string> {
  for (let i = 0; i < 500; i++) {
    const line = server.log.find((l) => l.includes("/claim#"));
    if (line) return line.trim();
    await Bun.sleep(10);
  }
  throw new Error(`no claim link in the log:\n${server.log.join("\n")}`);
}

async function fillAndSubmit(fields: Record<string, string>, button: string): Promise<void> {
  for (const [name, value] of Object.entries(fields)) await page.fill(`input[name=${name}]`, value);
  await page.click(`button:has-text("${button}")`);
}

test("claim the server, stay signed in, sign out and in again", async () => {
  await page.goto(await claimLink());
  await page.waitForSelector('text="Set up the owner account"');
  await fillAndSubmit({ username: "owner", password: "correct horse battery", displayName: "The Owner" }, "Set up the owner account");
  await page.waitForSelector("text=Welcome to Hearth");
  expect(new URL(page.url()).pathname).toBe("/"); // the claim token leaves the address bar

  await page.reload();
  await page.waitForSelector("text=Welcome to Hearth");

  await page.click('button[aria-label="Settings"]'); // signing out lives in the settings dialog
  await page.click('button:has-text("Sign out")');
  await fillAndSubmit({ username: "owner", password: "wrong password!!" }, "Sign in");
  expect(await page.textContent('[role="alert"]', { timeout: 10_000 })).toBe("Wrong username or password.");
  await fillAndSubmit({ username: "owner", password: "correct horse battery" }, "Sign in");
  await page.waitForSelector("text=Welcome to Hearth");
}, 60_000);

test("the page is the installable app: manifest, icons and theme colour", async () => {
  const manifest = await (await fetch(`${server.url}/manifest.webmanifest`)).json();
  expect(manifest.name).toBe("Hearth");
  for (const icon of manifest.icons as { src: string; type: string }[]) {
    const res = await fetch(`${server.url}${icon.src}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe(icon.type);
  }
  await page.emulateMedia({ colorScheme: "dark" });
  const dark = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  await page.emulateMedia({ colorScheme: "light" });
  const light = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  expect(dark).not.toBe(light); // follows prefers-color-scheme
}, 30_000);
