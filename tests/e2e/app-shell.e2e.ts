// The web client as an installable app, in a real browser (Debian's chromium through
// playwright-core) against a real server (`bun src/main.ts serve`, web client from
// web/dist): manifest and icons served with the right types, colours that follow the
// system's light/dark preference. The screens themselves are covered by web.e2e.ts.
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
  server = await startHearth([process.execPath, join(repo, "src", "main.ts")], repo, ["--data", dir, "--set", "accounts.registerAttemptsPerIp=100000"]);
  browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu"] });
  page = await browser.newPage();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  server?.proc.kill("SIGTERM");
  await server?.proc.exited;
  rmSync(dir, { recursive: true, force: true });
});

test("the page is the installable app: manifest, icons and theme colour", async () => {
  const manifest = await (await fetch(`${server.url}/manifest.webmanifest`)).json();
  expect(manifest.name).toBe("Hearth");
  expect(manifest.icons.length).toBeGreaterThan(0);
  for (const icon of manifest.icons as { src: string; type: string }[]) {
    const res = await fetch(`${server.url}${icon.src}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe(icon.type);
  }
  await page.goto(server.url);
  await page.waitForSelector("#root *");
  await page.emulateMedia({ colorScheme: "dark" });
  const dark = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  await page.emulateMedia({ colorScheme: "light" });
  const light = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  expect(dark).not.toBe(light); // follows prefers-color-scheme
}, 30_000);
