// Voice messages, end to end in headless Chromium (Debian's package through playwright-core)
// with the fake microphone (`--use-fake-device-for-media-stream`: a beep every second)
// against the real server: ann records from the composer's mic (live waveform, timer),
// sends; the server stores the upload as a voice media with the waveform and duration the
// browser computed; ben receives it in a bubble with the waveform drawn, plays it (the
// element's currentTime advances), changes the speed (playbackRate 1.5, then 2), seeks by
// tapping the waveform; cancel (while recording, or after Stop) sends nothing; hold to record (desktop: the mouse held down)
// sends on release and cancels when slid left. At 390×844 with touch and at 1280×800, each
// test with its own people and chat. Screenshots: test-artifacts/screenshots/voice-*.png.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";
import { type RunningBinary, startHearth } from "../../scripts/run-binary.ts";
import { ensureWebBuilt } from "../../scripts/setup.ts";
import { createClient, type HearthClient, passwordAuth } from "../../src/client/index.ts";
import { authPaths } from "../../src/protocol/http.ts";

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
  "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream", "--autoplay-policy=no-user-gesture-required",
];

beforeAll(async () => {
  await ensureWebBuilt();
  dir = mkdtempSync(join(tmpdir(), "hearth-vweb-voice-e2e-"));
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

async function device(p: Person, size: Size): Promise<Page> {
  const ctx = await browser.newContext({ viewport: size.viewport, hasTouch: size.touch, isMobile: size.touch, colorScheme: "light" });
  await ctx.grantPermissions(["microphone"], { origin: server.url });
  const page = await ctx.newPage();
  page.on("pageerror", (e) => errors.push(`${p.username} pageerror: ${e.message}`));
  page.on("console", (m) => { if (m.type() === "error" && /Content Security Policy/i.test(m.text())) errors.push(`${p.username} CSP: ${m.text()}`); });
  await page.goto(`${server.url}/?e2e`);
  await page.fill('[name="username"]', p.username);
  await page.fill('[name="password"]', password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("button", { name: "New chat" }).waitFor();
  return page;
}

const tap = (size: Size, target: ReturnType<Page["locator"]>) => (size.touch ? target.tap() : target.click());
const shot = (page: Page, name: string) => page.screenshot({ path: join(shots, `voice-${name}.png`) });

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

/** Waits until the recorder's timer shows at least `seconds` (m:ss). */
const atLeast = (page: Page, seconds: number) =>
  page.waitForFunction((s) => {
    const [m, ss] = (document.querySelector(".voice-rec .rec-time")?.textContent ?? "0:00").split(":").map(Number);
    return m! * 60 + ss! >= s;
  }, seconds, { timeout: 15_000 });

/** The audio element of the voice message `mediaId` on `page`. */
const audioState = (page: Page, mediaId: string) =>
  page.evaluate((id) => {
    const a = document.querySelector(`.voice-msg[data-media-id="${id}"] audio`) as HTMLAudioElement | null;
    return a ? { currentTime: a.currentTime, playbackRate: a.playbackRate, paused: a.paused } : null;
  }, mediaId);

for (const size of sizes) {
  test(`${size.name}: ann records a voice message from the microphone, ben plays it with speed and seeking`, async () => {
    const ann = await person("ann", "Ann Whitaker-Okonkwo 🎙️");
    const ben = await person("ben", "Ben Halvorsen 🎧");
    const { entry } = await ann.client.request("chat.create", { kind: "direct", userId: ben.id });
    const chatId = entry.chat.id;
    await ann.client.request("message.send", { chatId, clientId: `m${++seq}`, text: "Can't type right now, sending you a voice note about Saturday 🚲" });

    const a = await device(ann, size);
    await openChat(a, size, ben.displayName);
    const mic = a.getByRole("button", { name: "Record a voice message" });
    await mic.waitFor();
    // typing hides the mic (send instead); an empty box shows it again
    await a.locator('textarea[name="message"]').fill("x");
    await a.getByRole("button", { name: "Send", exact: true }).waitFor();
    expect(await mic.count()).toBe(0);
    await a.locator('textarea[name="message"]').fill("");

    // cancel: nothing is sent
    await tap(size, mic);
    await a.locator(".voice-rec.recording").waitFor();
    await tap(size, a.getByRole("button", { name: "Cancel recording" }));
    await a.locator(".voice-rec").waitFor({ state: "detached" });

    // stop: the recording waits with its waveform and length; cancel throws it away
    await tap(size, a.getByRole("button", { name: "Record a voice message" }));
    await a.locator(".voice-rec.recording").waitFor();
    await atLeast(a, 1);
    await tap(size, a.getByRole("button", { name: "Stop recording" }));
    await a.locator(".voice-rec.ready").waitFor();
    expect(await a.locator(".voice-rec .rec-time").textContent()).toMatch(/^0:0[1-9]$/);
    expect(await a.getByRole("button", { name: "Stop recording" }).count()).toBe(0);
    await shot(a, `stopped-${size.name}`);
    await tap(size, a.getByRole("button", { name: "Cancel recording" }));
    await a.locator(".voice-rec").waitFor({ state: "detached" });

    // record: the timer runs and the live waveform moves with the fake microphone's beeps
    await tap(size, a.getByRole("button", { name: "Record a voice message" }));
    await a.locator(".voice-rec.recording").waitFor();
    await atLeast(a, 2);
    const live = await a.locator(".voice-rec .rec-wave .vbar").evaluateAll((bars) => bars.map((b) => (b as HTMLElement).style.height));
    expect(live.length).toBe(40);
    expect(new Set(live).size).toBeGreaterThan(1);
    await noSidewaysScroll(a);
    await axe(a, `recording (${size.name})`);
    await shot(a, `recording-${size.name}`);
    await atLeast(a, 3);
    await tap(size, a.getByRole("button", { name: "Send voice message" }));
    const sent = a.locator(".history .msg .voice-msg");
    await sent.waitFor({ timeout: 20_000 });
    await a.locator(".voice-rec").waitFor({ state: "detached" });

    // what the server stored: one voice media with the browser's waveform and duration
    const { messages } = await ben.client.request("message.list", { chatId, anchor: "latest", direction: "before", limit: 10 });
    const voiceMessages = messages.filter((m) => (m.attachments ?? []).length > 0);
    expect(voiceMessages.length).toBe(1); // the cancelled recording sent nothing
    const media = voiceMessages[0]!.attachments![0]!;
    expect(media.kind).toBe("voice");
    expect(media.mime).toMatch(/^(audio|video)\/(ogg|webm)/);
    expect(media.durationMs).toBeGreaterThanOrEqual(2500);
    expect(media.durationMs).toBeLessThan(10_000);
    const wave = Buffer.from(media.waveform ?? "", "base64");
    expect(wave.length).toBeGreaterThan(10);
    expect(wave.length).toBeLessThanOrEqual(128);
    expect(Math.max(...wave)).toBe(255);
    expect(new Set(wave).size).toBeGreaterThan(3); // beeps and pauses: not flat
    console.log(`voice (${size.name}): ${media.mime}, ${media.size} bytes, ${media.durationMs} ms, ${wave.length} bars`);

    // ben: the bubble with the stored waveform, not yet played
    const b = await device(ben, size);
    await openChat(b, size, ann.displayName);
    const bubble = b.locator(`.voice-msg[data-media-id="${media.id}"]`);
    await bubble.waitFor();
    const heights = await bubble.locator(".voice-wave .vbar").evaluateAll((bars) => bars.map((x) => (x as HTMLElement).getBoundingClientRect().height));
    expect(heights.length).toBe(40);
    expect(Math.max(...heights) - Math.min(...heights)).toBeGreaterThan(8); // drawn, with a shape
    expect(await bubble.locator(".voice-unplayed").count()).toBe(1);
    expect(await bubble.locator(".voice-time").textContent()).toBe(`0:${String(Math.floor(media.durationMs! / 1000)).padStart(2, "0")}`);
    await noSidewaysScroll(b);
    await axe(b, `voice bubble (${size.name})`);
    await shot(b, `bubble-${size.name}`);

    // play: currentTime advances; the speed control changes playbackRate
    await tap(size, bubble.getByRole("button", { name: "Play", exact: true }));
    await b.waitForFunction((id) => ((document.querySelector(`.voice-msg[data-media-id="${id}"] audio`) as HTMLAudioElement | null)?.currentTime ?? 0) > 0.3, media.id, { timeout: 15_000 });
    await bubble.getByRole("button", { name: "Pause", exact: true }).waitFor();
    await tap(size, bubble.getByRole("button", { name: "Playback speed 1×" }));
    expect((await audioState(b, media.id))?.playbackRate).toBe(1.5);
    await tap(size, bubble.getByRole("button", { name: "Playback speed 1.5×" }));
    expect((await audioState(b, media.id))?.playbackRate).toBe(2);
    await b.locator(".voice-wave .vbar.played").first().waitFor();
    expect(await bubble.locator(".voice-unplayed").count()).toBe(0);
    await shot(b, `playing-${size.name}`);
    await b.emulateMedia({ colorScheme: "dark" });
    await shot(b, `playing-dark-${size.name}`);
    await a.emulateMedia({ colorScheme: "dark" });
    await shot(a, `sent-dark-${size.name}`);
    await tap(size, bubble.getByRole("button", { name: "Pause", exact: true }));
    await bubble.getByRole("button", { name: "Play", exact: true }).waitFor();

    // seek: a tap at three quarters of the waveform puts the position there
    const wavebox = (await bubble.locator(".voice-wave").boundingBox())!;
    const at = { x: wavebox.width * 0.75, y: wavebox.height / 2 };
    if (size.touch) await bubble.locator(".voice-wave").tap({ position: at });
    else await bubble.locator(".voice-wave").click({ position: at });
    const after = (await audioState(b, media.id))!;
    const expected = (media.durationMs! / 1000) * 0.75;
    expect(Math.abs(after.currentTime - expected)).toBeLessThan(0.6);
    // the speed is one setting for all voice messages, kept on the device
    expect(await b.evaluate(() => localStorage.getItem("hearth.voice.rate"))).toBe("2");
    // ann's own bubble shows no unplayed dot
    expect(await a.locator(".voice-msg .voice-unplayed").count()).toBe(0);

    if (!size.touch) {
      // hold to record: held down it records, sliding left cancels, releasing sends
      await a.emulateMedia({ colorScheme: "light" });
      const micBox = (await a.getByRole("button", { name: "Record a voice message" }).boundingBox())!;
      const cx = micBox.x + micBox.width / 2;
      const cy = micBox.y + micBox.height / 2;
      await a.mouse.move(cx, cy);
      await a.mouse.down();
      await a.locator(".voice-rec.recording.holding").waitFor({ timeout: 5000 }).catch(async (e) => {
        const info = await a.evaluate(([x, y]) => ({ at: document.elementFromPoint(x!, y!)?.outerHTML.slice(0, 200), rec: document.querySelector(".voice-rec")?.outerHTML.slice(0, 200) }), [cx, cy]);
        throw new Error(`${(e as Error).message} ${JSON.stringify(info)}`);
      });
      await a.locator(".voice-rec .rec-note", { hasText: "Release to send, slide left to cancel" }).waitFor();
      await shot(a, `holding-${size.name}`);
      await a.mouse.move(cx - 150, cy, { steps: 6 });
      await a.locator(".voice-rec").waitFor({ state: "detached" });
      await a.mouse.up();
      await a.mouse.move(cx, cy);
      await a.mouse.down();
      await a.locator(".voice-rec.recording.holding").waitFor();
      await atLeast(a, 1);
      await a.mouse.up();
      await a.locator(".voice-rec").waitFor({ state: "detached" });
      await a.locator(".history .msg .voice-msg").nth(1).waitFor({ timeout: 20_000 });
      const later = await ben.client.request("message.list", { chatId, anchor: "latest", direction: "before", limit: 10 });
      const voices = later.messages.filter((m) => m.attachments?.[0]?.kind === "voice");
      expect(voices.length).toBe(2); // the first, and the held one; the slid-away one sent nothing
      expect(voices[1]!.attachments![0]!.durationMs).toBeGreaterThan(500); // the server measures the container (a little under the timer)
    }
    await a.context().close();
    await b.context().close();
    expect(errors).toEqual([]);
  }, 120_000);
}
