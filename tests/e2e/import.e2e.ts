// Importing a chat from the web, in headless Chromium against the real server: ann opens
// New chat → "Import a chat from Telegram or WhatsApp", picks a Telegram Desktop export
// (.zip written by tests/import-fixtures.ts), sees the upload and the report, opens the new
// group: the export's senders by name (Cyrillic, CJK, emoji) with an "imported" mark, the
// photo and voice message as attachments, the missing file noted; in the chat info she maps
// her own export name to herself and those messages become hers. Then a WhatsApp export
// into an existing group from its info panel. At 390×844 (touch) and 1280×800.
// Screenshots: test-artifacts/screenshots/import-*.png.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";
import { type RunningBinary, startHearth } from "../../scripts/run-binary.ts";
import { ensureWebBuilt } from "../../scripts/setup.ts";
import { authPaths } from "../../src/protocol/http.ts";
import { telegramZip, whatsappZip } from "../import-fixtures.ts";

const repo = join(import.meta.dir, "..", "..");
const shots = join(repo, "test-artifacts", "screenshots");
const password = "correct horse battery staple";
let dir: string;
let server: RunningBinary;
let browser: Browser;
let telegram: string;
let whatsapp: string;
let broken: string;
const errors: string[] = [];

beforeAll(async () => {
  await ensureWebBuilt();
  dir = mkdtempSync(join(tmpdir(), "hearth-import-e2e-"));
  server = await startHearth([process.execPath, join(repo, "src", "main.ts")], repo, ["--data", dir, "--set", "accounts.registerAttemptsPerIp=100000", "--set", "tls.mode=off", "--set", "accounts.registration=open"]);
  const args = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];
  browser = await chromium.launch({ executablePath: "/usr/bin/chromium", headless: false, args });
  mkdirSync(shots, { recursive: true });
  telegram = join(dir, "ChatExport_2025-12-31.zip");
  writeFileSync(telegram, await telegramZip());
  whatsapp = join(dir, "WhatsApp Chat - Новый год.zip");
  writeFileSync(whatsapp, await whatsappZip());
  broken = join(dir, "broken.zip");
  writeFileSync(broken, (await telegramZip()).subarray(0, 4000));
  await claimOwner();
}, 240_000);

/** Until an owner exists the app shows the claim screen, not sign-in. */
async function claimOwner(): Promise<void> {
  let line: string | undefined;
  for (let i = 0; i < 1000 && !line; i++) {
    line = server.log.find((l) => l.includes("/claim#"));
    if (!line) await Bun.sleep(10);
  }
  const token = /\/claim#([\w-]+)/.exec(line ?? "")?.[1];
  if (!token) throw new Error(`no claim link in the log:\n${server.log.join("\n")}`);
  const res = await fetch(server.url + authPaths.claim, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ token, username: "owner", password, deviceName: "seeder" }) });
  if (!res.ok) throw new Error(`claim: ${res.status} ${await res.text()}`);
}

afterAll(async () => {
  await browser?.close();
  server?.proc.kill("SIGTERM");
  await server?.proc.exited;
  rmSync(dir, { recursive: true, force: true });
});

const sizes = [
  { name: "phone", viewport: { width: 390, height: 844 }, touch: true },
  { name: "desktop", viewport: { width: 1280, height: 800 }, touch: false },
] as const;
type Size = (typeof sizes)[number];

let seq = 0;
async function register(first: string, displayName: string): Promise<string> {
  const username = `${first}${++seq}${process.pid % 1000}`;
  const res = await fetch(server.url + authPaths.register, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ username, password, displayName, deviceName: "seeder" }) });
  if (!res.ok) throw new Error(`register ${username}: ${res.status} ${await res.text()}`);
  return username;
}

async function signIn(username: string, size: Size): Promise<Page> {
  const ctx = await browser.newContext({ viewport: size.viewport, hasTouch: size.touch, isMobile: size.touch, colorScheme: "light" });
  const page = await ctx.newPage();
  page.on("pageerror", (e) => errors.push(`${username} pageerror: ${e.message}`));
  await page.goto(`${server.url}/?e2e`);
  await page.fill('[name="username"]', username);
  await page.fill('[name="password"]', password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("button", { name: "New chat" }).waitFor();
  return page;
}

const tap = (size: Size, target: ReturnType<Page["locator"]>) => (size.touch ? target.tap() : target.click());
const shot = (page: Page, name: string) => page.screenshot({ path: join(shots, `import-${name}.png`) });

async function noSidewaysScroll(page: Page): Promise<void> {
  const { scroll, inner } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, inner: innerWidth }));
  expect(scroll).toBeLessThanOrEqual(inner);
}

for (const size of sizes) {
  test(`${size.name}: a Telegram export becomes a group, its senders mapped from the chat info; a WhatsApp export goes into an existing group`, async () => {
    const ann = await register("ann", "Анна Петрова-Водкина 🎄");
    const page = await signIn(ann, size);

    await tap(size, page.getByRole("button", { name: "New chat" }));
    await tap(size, page.getByRole("button", { name: "Import a chat from Telegram or WhatsApp" }));
    const dialog = page.getByRole("dialog", { name: "Import chat" });
    // a cut-short archive: refused with the reason, nothing created
    await dialog.locator('input[name="export"]').setInputFiles(broken);
    await tap(size, dialog.getByRole("button", { name: "Import", exact: true }));
    await dialog.getByRole("alert").getByText("This export cannot be imported, and nothing was stored: The archive is cut short").waitFor({ timeout: 60_000 });
    await shot(page, `${size.name}-0-refused`);
    expect(await page.locator(".chat-row").count()).toBe(0);
    await dialog.locator('input[name="export"]').setInputFiles(telegram);
    await shot(page, `${size.name}-1-pick`);
    await tap(size, dialog.getByRole("button", { name: "Import", exact: true }));
    await dialog.getByText("Imported 9 messages from Telegram").waitFor({ timeout: 60_000 });
    await dialog.getByText("Files stored: 3; not in the export: 2").waitFor();
    await dialog.locator(".import-authors li", { hasText: "🦊 Fox" }).waitFor();
    // behind the dialog, the chat list says what the last message (a photo the export left out) is
    await page.locator(".chat-row", { hasText: "Files not included in the export: 1" }).waitFor({ state: "attached" });
    await noSidewaysScroll(page);
    await shot(page, `${size.name}-2-report`);

    await tap(size, dialog.getByRole("button", { name: "Open the chat" }));
    await page.locator(".chat-head-title", { hasText: "Семья 👪 家族" }).waitFor();
    const fox = page.locator(".msg", { hasText: "Replying to Anna" });
    await fox.locator(".sender", { hasText: "🦊 Fox" }).waitFor();
    await fox.getByRole("img", { name: "Imported from Telegram" }).waitFor();
    await page.locator(".msg", { hasText: "The big file" }).getByText("Files not included in the export: 1").waitFor();
    await page.locator(".msg", { hasText: "Фото с ёлки" }).locator("img").first().waitFor();
    // the placeholder is not shown as ann's own message, though she imported it
    expect(await page.locator(".msg.mine", { hasText: "Всем привет" }).count()).toBe(0);
    await noSidewaysScroll(page);
    await shot(page, `${size.name}-3-chat`);

    // map her export name to herself: those messages turn into hers
    await tap(size, page.getByRole("button", { name: "Chat info" }));
    const senders = page.getByRole("region", { name: "Imported senders" });
    const anna = senders.getByRole("combobox", { name: "Анна Петрова", exact: true });
    await anna.waitFor();
    await page.locator(".member-list li").first().waitFor(); // the member list feeds the choices
    await senders.scrollIntoViewIfNeeded();
    await shot(page, `${size.name}-4-senders`);
    await anna.selectOption({ label: "Анна Петрова-Водкина 🎄" });
    await anna.locator("option:checked", { hasText: "Водкина" }).waitFor({ state: "attached" }); // read back from chat.import_authors
    if (size.touch) await tap(size, page.getByRole("button", { name: "Close" }).first()); // the panel covers the chat on a phone
    await page.locator(".msg.mine", { hasText: "Всем привет" }).waitFor();
    if (size.touch) await tap(size, page.getByRole("button", { name: "Chat info" }));

    // a WhatsApp export into this existing group, from its info panel
    await tap(size, senders.getByRole("button", { name: "Import history into this chat" }));
    const again = page.getByRole("dialog", { name: "Import chat" });
    await again.locator('input[name="export"]').setInputFiles(whatsapp);
    await tap(size, again.getByRole("button", { name: "Import", exact: true }));
    await again.getByText("Imported 7 messages from WhatsApp").waitFor({ timeout: 60_000 });
    await shot(page, `${size.name}-5-whatsapp-report`);
    await tap(size, again.getByRole("button", { name: "Open the chat" }));
    await page.locator(".msg", { hasText: "и третья строка" }).locator(".sender", { hasText: "Мария Иванова" }).waitFor();
    await page.locator(".msg", { hasText: "新年快乐" }).waitFor();
    await noSidewaysScroll(page);
    await shot(page, `${size.name}-6-whatsapp-chat`);
    expect(errors).toEqual([]);
    await page.context().close();
  }, 180_000);
}
