// Message timers in the web client, in real headless Chromium against a real server
// (`bun src/main.ts serve`, its retention sweeper running as in production): the owner
// sets the disappearing timer and auto-delete in a group's info panel, the server keeps
// them, the change is announced in the timeline, the header and the new message carry a
// timer mark, and the message vanishes live when its timer runs out (no tombstone), while
// one sent before the timer stays. Screenshots at 1280×800 and 390×844 (chat with the message, info panel, after it vanished) in
// test-artifacts/screenshots/retention-*.png.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Browser, chromium } from "playwright-core";
import { type RunningBinary, startHearth } from "../../scripts/run-binary.ts";
import { ensureWebBuilt } from "../../scripts/setup.ts";
import { createClient, passwordAuth } from "../../src/client/index.ts";
import { limits } from "../../src/limits.ts";

const repo = join(import.meta.dir, "..", "..");
const shots = join(repo, "test-artifacts", "screenshots");
const password = "correct horse battery staple";
let dir: string;
let server: RunningBinary;
let browser: Browser;
const errors: string[] = [];

beforeAll(async () => {
  await ensureWebBuilt();
  dir = mkdtempSync(join(tmpdir(), "hearth-retention-e2e-"));
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

test("set the timers in the info panel; the change is announced; a disappearing message vanishes live", async () => {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: "light" });
  const page = await ctx.newPage();
  page.on("pageerror", (e) => errors.push(`pageerror: ${e.message}`));
  await page.goto(await claimLink());
  await page.waitForSelector('text="Set up the owner account"');
  for (const [name, value] of Object.entries({ username: "ada", password, displayName: "Ada Łovelace-Ñúñez 🌸" })) await page.fill(`[name="${name}"]`, value);
  await page.getByRole("button", { name: "Set up the owner account" }).click();
  await page.getByRole("button", { name: "New chat" }).waitFor();

  const auth = await passwordAuth(server.url, { username: "ada", password, deviceName: "checker" });
  const client = createClient({ url: `${server.url.replace(/^http/, "ws")}/ws`, auth });
  await client.connect();
  const title = "Weekend trip to the mountains — plans & packing lists 🏔️";
  const { entry } = await client.request("chat.create", { kind: "group", clientId: "g1", title, memberIds: [] });
  const chatId = entry.chat.id;
  await client.request("message.send", { chatId, clientId: "m0", text: "Sent before any timer: this one stays. Bring warm socks, a headlamp and the good coffee ☕" });

  await page.locator(".chat-row", { hasText: title }).first().click();
  await page.locator(".chat-head-title", { hasText: title }).waitFor();
  await page.getByRole("button", { name: "Chat info" }).first().click();
  const info = page.locator(".info-panel");
  await info.getByLabel("Disappearing messages").selectOption({ label: "1 day" });
  await info.getByLabel("Auto-delete older messages").selectOption({ label: "30 days" });
  const announced = page.locator(".service-line", { hasText: "set messages to disappear after 1 day" });
  await announced.waitFor();
  await page.locator(".service-line", { hasText: "set messages older than 30 days to be deleted" }).waitFor();
  expect((await client.request("chat.get", { chatId })).chat).toMatchObject({ disappearSeconds: 86_400, autoDeleteDays: 30 });
  await page.locator(".chat-head .timer-mark").waitFor();

  // the shortest timer the server takes (no menu choice is that short): set by the other session
  await client.request("chat.set_retention", { chatId, disappearSeconds: limits.messageDisappearSecondsMin });
  await page.locator(".service-line", { hasText: `set messages to disappear after ${limits.messageDisappearSecondsMin} seconds` }).waitFor();
  expect(await info.getByLabel("Disappearing messages").inputValue()).toBe(String(limits.messageDisappearSecondsMin));
  const box = page.locator('textarea[name="message"]');
  await box.fill("This one disappears in a few seconds 💨");
  await box.press("Enter");
  const gone = page.locator(".history .msg", { hasText: "This one disappears" });
  await gone.locator(".timer-mark").waitFor();
  await page.screenshot({ path: join(shots, "retention-desktop.png") });
  await page.setViewportSize({ width: 390, height: 844 });
  await info.getByRole("button", { name: "Close" }).click();
  await gone.locator(".timer-mark").waitFor();
  await page.screenshot({ path: join(shots, "retention-phone-message.png") });

  // the server's sweeper deletes it: timer plus at most one sweep interval (and slack for a busy machine)
  await gone.waitFor({ state: "detached", timeout: limits.messageDisappearSecondsMin * 1000 + limits.retentionSweepIntervalMs + 10_000 });
  await page.locator(".history .msg", { hasText: "this one stays" }).waitFor();
  expect(await page.locator(".history", { hasText: "This message was deleted" }).count()).toBe(0);
  const { messages } = await client.request("message.list", { chatId, anchor: "latest", direction: "before" });
  expect(messages.map((m) => [m.text.slice(0, 20), m.deletedAt !== null, m.expired ?? false])).toEqual([
    ["Sent before any time", false, false],
    ["", true, true],
  ]);

  await page.getByRole("button", { name: "Chat info" }).first().click();
  await info.getByLabel("Disappearing messages").scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(shots, "retention-phone-info.png") });
  await info.getByRole("button", { name: "Close" }).click();
  await page.locator(".chat-head-title", { hasText: title }).waitFor();
  await page.screenshot({ path: join(shots, "retention-phone-chat.png") });
  client.close();
  await ctx.close();
  expect(errors).toEqual([]);
}, 120_000);
