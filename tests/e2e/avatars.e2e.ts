// Avatars, end to end in headless Chromium (Debian's package through playwright-core)
// against the real server: ann picks a picture in Settings (the file chooser), moves and
// zooms it in the square cropper, sets it; the server serves a square thumbnail; ben sees
// it in his chat list (the thumbhash drawn while the thumbnail is held back, then the
// picture) and in the chat header; ann gives
// her group a picture from its info panel and ben's list shows it at once; both are
// removed again and the initials come back (ann's in ben's header as soon as he opens
// her chat, and in his list after a reload). At 390×844 with touch and at 1280×800, each
// test with its own people and chats. Screenshots: test-artifacts/screenshots/avatars-*.png.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";
import { type RunningBinary, startHearth } from "../../scripts/run-binary.ts";
import { ensureWebBuilt } from "../../scripts/setup.ts";
import { createClient, type HearthClient, passwordAuth } from "../../src/client/index.ts";
import { authPaths } from "../../src/protocol/http.ts";
import { fileSize } from "../../web/src/media/logic.ts";

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
  await ensureWebBuilt();
  dir = mkdtempSync(join(tmpdir(), "hearth-vweb-avatars-e2e-"));
  server = await startHearth([process.execPath, join(repo, "src", "main.ts")], repo, ["--data", dir, "--set", "accounts.registerAttemptsPerIp=100000", "--set", "tls.mode=off", "--set", "accounts.registration=open"]);
  browser = await chromium.launch({ executablePath: "/usr/bin/chromium", headless: false, args: chromiumArgs });
  mkdirSync(shots, { recursive: true });
  await claimOwner();
}, 240_000);

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
interface Person { username: string; displayName: string; id: string; client: HearthClient }

async function person(first: string, displayName: string): Promise<Person> {
  const username = `${first}${++seq}${process.pid % 1000}`;
  const res = await fetch(server.url + authPaths.register, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ username, password, displayName, deviceName: "seeder" }) });
  if (!res.ok) throw new Error(`register ${username}: ${res.status} ${await res.text()}`);
  const { userId } = (await res.json()) as { userId: string };
  const client = createClient({ url: `${server.url.replace(/^http/, "ws")}/ws`, auth: await passwordAuth(server.url, { username, password, deviceName: "seeder" }) });
  await client.connect();
  return { username, displayName, id: userId, client };
}

async function device(p: Person, size: Size, prepare?: (page: Page) => Promise<unknown>): Promise<Page> {
  // no service worker: the test holds back thumbnail requests (page.route sees no worker fetches)
  const ctx = await browser.newContext({ viewport: size.viewport, hasTouch: size.touch, isMobile: size.touch, colorScheme: "light", serviceWorkers: "block" });
  const page = await ctx.newPage();
  page.on("pageerror", (e) => errors.push(`${p.username} pageerror: ${e.message}`));
  await prepare?.(page);
  page.on("console", (m) => { if (m.type() === "error" && /Content Security Policy/i.test(m.text())) errors.push(`${p.username} CSP: ${m.text()}`); });
  await page.goto(`${server.url}/?e2e`);
  await page.fill('[name="username"]', p.username);
  await page.fill('[name="password"]', password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("button", { name: "New chat" }).waitFor();
  return page;
}

const tap = (size: Size, target: ReturnType<Page["locator"]>) => (size.touch ? target.tap() : target.click());
const shot = (page: Page, name: string) => page.screenshot({ path: join(shots, `avatars-${name}.png`) });

async function openChat(page: Page, size: Size, title: string): Promise<void> {
  await tap(size, page.locator(".chat-row", { hasText: title }).first());
  await page.locator(".chat-head-title", { hasText: title }).waitFor();
}

async function noSidewaysScroll(page: Page): Promise<void> {
  const { scroll, inner } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, inner: innerWidth }));
  expect(scroll).toBeLessThanOrEqual(inner);
}

/** axe-core on the current screen: no serious or critical violation (injected through DevTools: the CSP refuses inline script). */
async function axe(page: Page, screen: string): Promise<void> {
  await page.evaluate(readFileSync(join(repo, "node_modules", "axe-core", "axe.min.js"), "utf8"));
  const found = await page.evaluate(async () => {
    const r = await (window as unknown as { axe: { run: (ctx: Document) => Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> } }).axe.run(document);
    return r.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`);
  });
  expect(found.map((v) => `${screen}: ${v}`)).toEqual([]);
}

/** A 900×600 PNG drawn in the page (a sunset with a round sun off-centre), as bytes. */
async function picture(page: Page): Promise<Buffer> {
  const b64 = await page.evaluate(() => {
    const c = document.createElement("canvas");
    c.width = 900;
    c.height = 600;
    const g = c.getContext("2d")!;
    const sky = g.createLinearGradient(0, 0, 0, 600);
    sky.addColorStop(0, "#1d3b8a");
    sky.addColorStop(1, "#f08a3c");
    g.fillStyle = sky;
    g.fillRect(0, 0, 900, 600);
    g.fillStyle = "#ffd23f";
    g.beginPath();
    g.arc(600, 330, 120, 0, Math.PI * 2);
    g.fill();
    g.fillStyle = "#2d1b3d";
    g.fillRect(0, 470, 900, 130);
    return c.toDataURL("image/png").split(",")[1]!;
  });
  return Buffer.from(b64, "base64");
}

/** Picks the picture through the file chooser the button opens, crops (drag and zoom) and sets it. */
async function setPicture(page: Page, size: Size, scope: ReturnType<Page["locator"]>, name: string): Promise<void> {
  const png = await picture(page);
  const chooser = page.waitForEvent("filechooser");
  await tap(size, scope.getByRole("button", { name: "Add photo" }));
  await (await chooser).setFiles({ name: "sunset.png", mimeType: "image/png", buffer: png });
  const dialog = page.getByRole("dialog", { name: "Crop photo" });
  const view = dialog.locator("canvas.crop-view");
  await view.waitFor();
  await dialog.locator('input[name="zoom"]').fill("1.6");
  const box = (await view.boundingBox())!;
  if (!size.touch) {
    // drag the sun towards the middle
    await page.mouse.move(box.x + box.width * 0.7, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.45, box.y + box.height / 2, { steps: 5 });
    await page.mouse.up();
  }
  await noSidewaysScroll(page);
  await axe(page, `cropper (${name}, ${size.name})`);
  await shot(page, `cropper-${name}-${size.name}`);
  await tap(size, dialog.getByRole("button", { name: "Set photo" }));
  await dialog.waitFor({ state: "detached", timeout: 20_000 });
}

/** The shown picture of an avatar inside `scope` (loaded), or null when it shows initials. */
const shown = (scope: ReturnType<Page["locator"]>) =>
  scope.locator(".avatar").first().evaluate((el) => {
    const img = el.querySelector("img.avatar-pic") as HTMLImageElement | null;
    return img && img.complete && img.naturalWidth > 0 && !img.classList.contains("loading") ? img.getAttribute("data-avatar-id") : null;
  });

async function waitShown(scope: ReturnType<Page["locator"]>, mediaId: string | null): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if ((await shown(scope)) === mediaId) return;
    await Bun.sleep(100);
  }
  const html = await scope.locator(".avatar").first().evaluate((el) => el.outerHTML);
  expect(`${await shown(scope)} in ${html}`).toBe(`${mediaId} in ${html}`);
}

for (const size of sizes) {
  test(`${size.name}: ann sets her picture and her group's; ben sees both in his list and header; both removed`, async () => {
    const ann = await person("ann", "Ann Whitaker-Okonkwo 📸");
    const ben = await person("ben", "Ben Halvorsen-Lindqvist 🎧");
    const { entry: dm } = await ann.client.request("chat.create", { kind: "direct", userId: ben.id });
    await ann.client.request("message.send", { chatId: dm.chat.id, clientId: `m${++seq}`, text: "New profile picture from the beach, what do you think? 🌅" });
    const family = "Whitaker family 🏡 weekend plans";
    const { entry: group } = await ann.client.request("chat.create", { kind: "group", clientId: `c${++seq}`, title: family, memberIds: [ben.id] });
    await ann.client.request("message.send", { chatId: group.chat.id, clientId: `m${++seq}`, text: "I gave our group a picture too 🏖️" });

    // ann: Settings → Add photo → crop → set
    const a = await device(ann, size);
    await tap(size, a.getByRole("button", { name: "Settings" }));
    const settings = a.locator(".settings");
    await settings.waitFor();
    await setPicture(a, size, settings, "profile");
    const mine = await ann.client.request("user.get", { userId: ann.id });
    const avatarId = mine.avatar?.id;
    expect(avatarId).toBeTruthy();
    await waitShown(settings.locator(".avatar-editor"), avatarId!);
    await settings.getByRole("button", { name: "Remove photo" }).waitFor();
    // the person's own storage, as media.usage answers it, now counting the picture
    const usage = await ann.client.request("media.usage", {});
    expect(usage.usedBytes).toBeGreaterThan(0);
    const expected = usage.limitBytes > 0 ? `Your files on this server: ${fileSize(usage.usedBytes)} of ${fileSize(usage.limitBytes)}` : `Your files on this server: ${fileSize(usage.usedBytes)}`;
    await settings.locator(".storage-usage", { hasText: expected }).waitFor();
    await axe(a, `settings with avatar (${size.name})`);
    await shot(a, `settings-${size.name}`);
    await a.keyboard.press("Escape");
    await settings.waitFor({ state: "detached" });

    // ben: in the chat list and the header, and the server's thumbnail is square
    // (the thumbnails are held back at first: the thumbhash placeholder shows meanwhile)
    expect(mine.avatar?.placeholder).toBeTruthy();
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const b = await device(ben, size, (page) => page.route("**/media/*/thumb/*", async (route) => {
      await held;
      await route.continue();
    }));
    const rowOf = (page: Page, title: string) => page.locator(".chat-row", { has: page.locator(".row-title", { hasText: title }) }).first();
    const annRow = rowOf(b, ann.displayName);
    const placeholder = annRow.locator(".avatar canvas.avatar-ph");
    await placeholder.waitFor({ state: "attached", timeout: 10_000 }).catch(async (e) => {
      throw new Error(`${(e as Error).message}\n${await annRow.locator(".avatar").first().evaluate((el) => el.outerHTML).catch(() => "no avatar")}`);
    });
    // drawn: the canvas holds the thumbhash's pixels, not a blank
    const painted = await placeholder.evaluate((c) => {
      const canvas = c as HTMLCanvasElement;
      const px = canvas.getContext("2d")!.getImageData(0, 0, canvas.width, canvas.height).data;
      let opaque = 0;
      for (let i = 3; i < px.length; i += 4) if (px[i]! > 0) opaque++;
      return { w: canvas.width, h: canvas.height, opaque };
    });
    expect(painted.w).toBeGreaterThan(0);
    expect(painted.opaque).toBeGreaterThan(0);
    await shot(b, `placeholder-${size.name}`);
    release();
    await waitShown(annRow, avatarId!);
    expect(await annRow.locator(".avatar canvas.avatar-ph").count()).toBe(0);
    const dims = await b.evaluate(async (id) => {
      const res = await fetch(`/media/${id}/thumb/320`);
      const bmp = await createImageBitmap(await res.blob());
      return { status: res.status, type: res.headers.get("content-type"), w: bmp.width, h: bmp.height };
    }, avatarId!);
    expect(dims.status).toBe(200);
    expect(dims.type).toMatch(/^image\//);
    expect(dims.w).toBe(dims.h);
    console.log(`avatar (${size.name}): ${JSON.stringify(dims)}, placeholder ${mine.avatar?.placeholder ? "yes" : "no"}`);
    await tap(size, annRow);
    await b.locator(".chat-head-title", { hasText: ann.displayName }).waitFor();
    await waitShown(b.locator(".chat-head"), avatarId!);
    await noSidewaysScroll(b);
    await shot(b, `header-${size.name}`);

    // ann: the group's picture from its info panel; ben's list follows live (chat.updated)
    await tap(size, rowOf(a, family));
    await a.locator(".chat-head-title", { hasText: family }).waitFor();
    await tap(size, a.getByRole("button", { name: "Chat info" }));
    const info = a.locator(".info-panel");
    await info.waitFor();
    await setPicture(a, size, info, "group");
    const groupAvatar = (await ann.client.request("chat.get", { chatId: group.chat.id })).chat.avatar?.id;
    expect(groupAvatar).toBeTruthy();
    await waitShown(info.locator(".avatar-editor"), groupAvatar!);
    await shot(a, `group-info-${size.name}`);
    if (size.touch) await b.locator(".chat-head .back").tap();
    const groupRow = rowOf(b, family);
    await waitShown(groupRow, groupAvatar!);
    await noSidewaysScroll(b);
    await shot(b, `list-${size.name}`);

    // removed: the group's at once in ben's list, ann's after his next connection
    await tap(size, info.getByRole("button", { name: "Remove photo" }));
    await waitShown(groupRow, null);
    await tap(size, info.getByRole("button", { name: "Close" }));
    if (size.touch) await a.locator(".chat-head .back").tap();
    await tap(size, a.getByRole("button", { name: "Settings" }));
    await settings.waitFor();
    await tap(size, settings.getByRole("button", { name: "Remove photo" }));
    await settings.getByRole("button", { name: "Add photo" }).waitFor();
    expect((await ann.client.request("user.get", { userId: ann.id })).avatar).toBeUndefined();
    // opening her chat asks for her profile again: the header shows her initials at once
    if (!size.touch) await tap(size, groupRow);
    await tap(size, rowOf(b, ann.displayName));
    await b.locator(".chat-head-title", { hasText: ann.displayName }).waitFor();
    await waitShown(b.locator(".chat-head"), null);
    if (size.touch) await b.locator(".chat-head .back").tap();
    // and after a reload (the cached list first, then the welcome snapshot) the list too
    await b.reload();
    const again = rowOf(b, ann.displayName);
    await again.waitFor();
    await waitShown(again, null);
    expect(await again.locator(".avatar").first().textContent()).toBe("AW");
    await a.context().close();
    await b.context().close();
    expect(errors).toEqual([]);
  }, 120_000);
}
