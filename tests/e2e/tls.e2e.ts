// HTTPS on a LAN address in a real browser (Debian's chromium through playwright-core).
// A real Hearth server (local-ca mode, the web client, the real TLS listener) is bound to
// this machine's LAN address from src/net/lan.ts, so https://<LAN IP> is not loopback,
// yet no packet leaves the machine. Chromium trusts exactly the server certificate via
// --ignore-certificate-errors-spki-list (never --ignore-certificate-errors); a second
// browser without it must fail with ERR_CERT_AUTHORITY_INVALID.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Elysia } from "elysia";
import { type BrowserContext, chromium } from "playwright-core";
import { loadConfig } from "../../src/config/load.ts";
import { compose } from "../../src/compose.ts";
import { lanAddress } from "../../src/net/lan.ts";
import { startServer, type RunningServer } from "../../src/server/app.ts";
import { createWebAssets, defaultWebSource } from "../../src/server/static.ts";
import { startTls } from "../../src/tls/index.ts";
import type { TlsSource } from "../../src/tls/source.ts";
import { localCaFiles } from "../../src/tls/local-ca.ts";
import { issueLeaf, sha256Fingerprint, spkiSha256 } from "../../src/tls/x509.ts";

const repo = join(import.meta.dir, "..", "..");
const lan = lanAddress();
// The web client's own service worker when it has one; until then a minimal one, served
// by this test only (not by Hearth), proves registration works in this context.
const appSw = existsSync(join(repo, "web", "dist", "sw.js")) ? "/sw.js" : null;
const testSw = new Elysia().get("/tls-check/sw.js", () => new Response("self.addEventListener('install',()=>self.skipWaiting());", { headers: { "content-type": "text/javascript" } }));

let dir: string;
let server: RunningServer;
let tls: TlsSource;
let https: string;
let plain: string;
const profiles: string[] = [];

async function browser(trustLeaf: boolean, extra: { home?: string; args?: string[] } = {}): Promise<BrowserContext> {
  const profile = mkdtempSync(join(tmpdir(), "hearth-chromium-"));
  profiles.push(profile);
  const args = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync", ...(extra.args ?? [])];
  if (trustLeaf) args.push(`--ignore-certificate-errors-spki-list=${spkiSha256(tls.material()!.cert)}`);
  const env = extra.home ? { ...process.env, HOME: extra.home } : undefined;
  return chromium.launchPersistentContext(profile, { executablePath: "/usr/bin/chromium", headless: false, args, env: env as Record<string, string> | undefined });
}

/** A HOME whose NSS database trusts `caPem` as a CA for websites: how a person installs it on Linux (the trust page's certutil line). */
function homeTrusting(caPem: string): string {
  const home = mkdtempSync(join(tmpdir(), "hearth-home-"));
  profiles.push(home);
  const db = join(home, ".pki", "nssdb");
  mkdirSync(db, { recursive: true });
  writeFileSync(join(home, "ca.pem"), caPem);
  const run = (args: string[]) => {
    const p = Bun.spawnSync(args);
    if (p.exitCode !== 0) throw new Error(`${args[0]} failed: ${p.stderr}`);
  };
  run(["certutil", "-N", "-d", `sql:${db}`, "--empty-password"]);
  run(["certutil", "-A", "-d", `sql:${db}`, "-t", "C,,", "-n", "Hearth local CA", "-i", join(home, "ca.pem")]);
  return home;
}

// In CI (CI=true) setup installs chromium: a missing one fails there instead of skipping.
describe.skipIf((!lan || !existsSync("/usr/bin/chromium")) && !process.env.CI)(`https://${lan}: a secure context on the LAN`, () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "hearth-tls-e2e-"));
    const config = loadConfig({ flags: { host: lan!, port: 0, data: dir, set: ["log.format=json", "mdns.enabled=false"] } });
    const deps = await compose(config, { logStream: { write: () => {} } });
    tls = (await startTls(config, { log: deps.log }))!;
    server = startServer(deps, { routes: [testSw], web: createWebAssets(defaultWebSource(null, repo)), tls });
    https = server.httpsUrl!;
    plain = server.url;
  }, 60_000);

  afterAll(async () => {
    await server?.stop("test end");
    for (const p of [dir, ...profiles]) rmSync(p, { recursive: true, force: true });
  });

  test("trusted: secure context, mediaDevices, a service worker activates; the trust page forwards to https", async () => {
    const ctx = await browser(true);
    try {
      const page = await ctx.newPage();
      const res = await page.goto(`${https}/`);
      expect(res?.status()).toBe(200);
      expect(new URL(page.url()).hostname).toBe(lan!);
      expect(await page.evaluate(() => window.isSecureContext)).toBe(true);
      expect(await page.evaluate(() => typeof navigator.mediaDevices?.getUserMedia)).toBe("function");
      const state = await page.evaluate(async (path) => {
        const reg = await navigator.serviceWorker.register(path);
        const sw = (reg.installing ?? reg.waiting ?? reg.active)!;
        if (sw.state !== "activated") await new Promise<void>((r) => sw.addEventListener("statechange", () => sw.state === "activated" && r()));
        return sw.state;
      }, appSw ?? "/tls-check/sw.js");
      expect(state).toBe("activated");
      // A device that trusts the CA and opens the plain address lands on https by itself.
      await page.goto(`${plain}/chats#token-in-fragment`);
      await page.waitForURL(`${https}/chats#token-in-fragment`, { timeout: 15_000 }); // a claim link's #token survives
      expect(await page.evaluate(() => window.isSecureContext)).toBe(true);
    } finally {
      await ctx.close();
    }
  }, 60_000);

  test("untrusted: https fails with ERR_CERT_AUTHORITY_INVALID; plain http shows the trust page and the CA download", async () => {
    const ctx = await browser(false);
    try {
      const failure = await (await ctx.newPage()).goto(`${https}/`).then(() => "loaded", (e: Error) => e.message);
      expect(failure).toContain("net::ERR_CERT_AUTHORITY_INVALID");
      const page = await ctx.newPage(); // the first one is left on Chromium's error page
      await page.goto(`${plain}/`);
      expect(await page.evaluate(() => window.isSecureContext)).toBe(false); // why the trust page exists
      await page.waitForSelector('#status:has-text("does not trust Hearth yet")');
      const caPem = tls.caPem()!;
      expect(await page.textContent("#fingerprint")).toBe(sha256Fingerprint(caPem));
      expect(await page.getAttribute("#secure", "href")).toBe(`${https}/`);
      const download = await page.evaluate(async () => {
        const res = await fetch("/ca.crt");
        return { type: res.headers.get("content-type"), bytes: (await res.arrayBuffer()).byteLength };
      });
      expect(download.type).toBe("application/x-x509-ca-cert");
      expect(download.bytes).toBeGreaterThan(300);
    } finally {
      await ctx.close();
    }
  }, 60_000);

  test("a device that trusts Hearth's CA trusts it for Hearth, and not for example.com (name constraints)", async () => {
    const caPem = tls.caPem()!;
    const caKey = await Bun.file(localCaFiles(dir).caKey).text();
    const forged = await issueLeaf({ certPem: caPem, keyPem: caKey }, { dns: ["example.com"], ips: [] }, Date.now(), 30); // a stolen CA key
    const evil = Bun.serve({ hostname: "127.0.0.1", port: 0, tls: { cert: `${forged.certPem}${caPem}`, key: forged.keyPem }, fetch: () => new Response("<h1>forged</h1>", { headers: { "content-type": "text/html" } }) });
    const ctx = await browser(false, { home: homeTrusting(caPem), args: [`--host-resolver-rules=MAP example.com 127.0.0.1`] });
    try {
      const page = await ctx.newPage();
      const res = await page.goto(`${https}/trust`); // trusted through the CA alone: no SPKI pin
      expect(res?.status()).toBe(200);
      expect(await page.evaluate(() => window.isSecureContext)).toBe(true);
      const failure = await (await ctx.newPage()).goto(`https://example.com:${evil.port}/`).then(() => "loaded", (e: Error) => e.message);
      expect(failure).toMatch(/net::ERR_CERT_(INVALID|NAME_CONSTRAINT_VIOLATION)/);
    } finally {
      await ctx.close();
      evil.stop(true);
    }
  }, 60_000);
});
