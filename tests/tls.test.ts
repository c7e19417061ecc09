// TLS end-to-end on loopback: the local CA's certificates parsed with node's real X.509
// parser (names, validity, chain, key usage), renewal and re-issue decisions with an
// injected clock and address list, and a real server with its HTTPS listener: trust page,
// CA download, redirects, HSTS by mode, WebSockets on both listeners, live certificate swap.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createPrivateKey, X509Certificate } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import tls from "node:tls";
import { Elysia } from "elysia";
import { loadConfig } from "../src/config/load.ts";
import type { Config } from "../src/config/schema.ts";
import { createLogger } from "../src/log/logger.ts";
import { limits } from "../src/limits.ts";
import { compose } from "../src/compose.ts";
import { startServer, type RunningServer } from "../src/server/app.ts";
import { ensureLocalCa, leafProblem, localCaFiles } from "../src/tls/local-ca.ts";
import { startLocalCa } from "../src/tls/local-ca-source.ts";
import { serverNames } from "../src/tls/names.ts";
import { loadOwnCert, startOwnCert } from "../src/tls/own.ts";
import type { TlsSource } from "../src/tls/source.ts";
import { pickLang, texts } from "../src/tls/trust-text.ts";
import { renderTrustPage } from "../src/tls/trust-page.ts";
import { decodeNameConstraints, encodeNameConstraints, permittedFor, PRIVATE_RANGES, unpermittedNames } from "../src/tls/name-constraints.ts";
import { tlsCheck } from "../src/cli/doctor/checks/tls.ts";
import { accountsAuthenticate, accountsModule } from "../src/accounts/module.ts";
import { createWsPart } from "../src/server/ws.ts";
import { chatsModule } from "../src/chats/module.ts";
import { decodeServerFrame, encodeClientFrame } from "../src/protocol/codec.ts";
import type { ServerFrame } from "../src/protocol/frames.ts";
import { PROTOCOL_VERSION } from "../src/protocol/version.ts";
import { connectClient, createTestUser, until } from "./support/harness.ts";
import { formatResult } from "../src/cli/doctor/check.ts";
import { caPermitted, certNames, createCa, issueLeaf, sha256Fingerprint } from "../src/tls/x509.ts";

const DAY = 86_400_000;
const T0 = Date.parse("2026-11-22T00:00:00Z");
const quiet = createLogger({ level: "error", format: "json", stream: { write: () => {} } });
const tempDir = () => mkdtempSync(join(tmpdir(), "hearth-tls-"));
const configFor = (dir: string, set: string[] = []) => loadConfig({ flags: { host: "127.0.0.1", port: 0, data: dir, set: ["log.format=json", ...set] } });
const names = (config: Config, addresses: string[]) => serverNames(config, { hostname: "boxy", addresses });

describe("local CA certificates (node:crypto X509Certificate)", () => {
  test("the CA and server certificate: names, validity, chain, key usage, file modes", async () => {
    const dir = tempDir();
    const config = configFor(dir);
    const wanted = names(config, ["192.168.1.20", "fd00::2"]);
    const r = await ensureLocalCa(dir, wanted, T0);
    const ca = new X509Certificate(r.ca.certPem);
    const leaf = new X509Certificate(r.leaf.certPem);
    expect(ca.ca).toBe(true);
    expect(leaf.ca).toBe(false);
    expect(leaf.checkIssued(ca)).toBe(true);
    expect(leaf.verify(ca.publicKey)).toBe(true);
    expect(leaf.keyUsage).toEqual(["1.3.6.1.5.5.7.3.1"]); // node names the EKU list keyUsage: serverAuth only
    expect(leaf.subjectAltName).toBe("DNS:hearth.local, DNS:boxy, DNS:boxy.local, DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1, IP Address:192.168.1.20, IP Address:FD00:0:0:0:0:0:0:2");
    const days = (Date.parse(leaf.validTo) - Date.parse(leaf.validFrom)) / DAY;
    expect(days).toBeLessThanOrEqual(398); // the browsers' cap on server certificate lifetime
    expect(Date.parse(leaf.validTo)).toBe(T0 + limits.tlsLeafValidDays * DAY);
    expect(leaf.checkPrivateKey(createPrivateKey(r.leaf.keyPem))).toBe(true);
    const f = localCaFiles(dir);
    expect(statSync(f.dir).mode & 0o777).toBe(0o700);
    expect(statSync(f.caKey).mode & 0o777).toBe(0o600);
    expect(statSync(f.key).mode & 0o777).toBe(0o600);
    expect(r.changes).toEqual(["new CA: no CA yet", "new server certificate: no server key yet"]);
  });

  test("names: mdns name first, hostnames, public URL host, announced call address, canonical IPs", () => {
    const config = configFor(tempDir(), ["mdns.name=familie", "server.publicUrl=https://chat.example.org", "calls.announcedAddress=10.9.8.7"]);
    const n = serverNames(config, { hostname: "Box.lan", addresses: ["192.168.1.20", "FD00:0:0:0:0:0:0:2", "192.168.1.20"] });
    expect(n.dns).toEqual(["familie.local", "box.lan", "box.local", "localhost", "chat.example.org"]);
    expect(n.ips).toEqual(["127.0.0.1", "::1", "192.168.1.20", "fd00::2", "10.9.8.7"]);
  });

  test("renewal threshold: fine with 30+ days left, re-issued below", async () => {
    const dir = tempDir();
    const wanted = names(configFor(dir), ["192.168.1.20"]);
    const r = await ensureLocalCa(dir, wanted, T0);
    const lastFine = T0 + (limits.tlsLeafValidDays - limits.tlsRenewBeforeDays) * DAY - 1;
    expect(leafProblem(r.leaf.certPem, r.ca.certPem, wanted, lastFine)).toBeNull();
    expect(leafProblem(r.leaf.certPem, r.ca.certPem, wanted, lastFine + 2 * DAY)).toBe("the server certificate expires in 28 days");
    const renewed = await ensureLocalCa(dir, wanted, lastFine + 2 * DAY);
    expect(renewed.changes).toEqual(["new server certificate: the server certificate expires in 28 days"]);
    expect(renewed.ca.certPem).toBe(r.ca.certPem); // devices keep trusting the same CA
    const seconds = (ms: number) => Math.floor(ms / 1000) * 1000; // X.509 times have whole seconds
    expect(Date.parse(new X509Certificate(renewed.leaf.certPem).validTo)).toBe(seconds(lastFine + 2 * DAY + limits.tlsLeafValidDays * DAY));
  });

  test("re-issued when an address appears or goes; untouched when nothing changed", async () => {
    const dir = tempDir();
    const config = configFor(dir);
    const r1 = await ensureLocalCa(dir, names(config, ["192.168.1.20"]), T0);
    const same = await ensureLocalCa(dir, names(config, ["192.168.1.20"]), T0 + DAY);
    expect(same.changes).toEqual([]);
    expect(same.leaf.certPem).toBe(r1.leaf.certPem);
    const moved = await ensureLocalCa(dir, names(config, ["10.0.0.7"]), T0 + DAY);
    expect(moved.changes).toEqual(["new server certificate: the names changed (+10.0.0.7 -192.168.1.20)"]);
    expect(certNames(moved.leaf.certPem).ips).toEqual(["127.0.0.1", "::1", "10.0.0.7"]);
  });

  test("a certificate not signed by the current CA is replaced", async () => {
    const dir = tempDir();
    const wanted = names(configFor(dir), []);
    await ensureLocalCa(dir, wanted, T0);
    const stranger = await createCa("someone else", T0, 30);
    const foreign = await issueLeaf(stranger, wanted, T0, 100);
    writeFileSync(localCaFiles(dir).cert, foreign.certPem);
    const r = await ensureLocalCa(dir, wanted, T0);
    expect(r.changes).toEqual(["new server certificate: the server certificate is not signed by the current CA"]);
  });

  test("Accept-Language picks the trust page language", () => {
    expect(pickLang("de-DE,de;q=0.9,en;q=0.8")).toBe("de");
    expect(pickLang("fr-FR,de;q=0.5,en;q=0.7")).toBe("en");
    expect(pickLang("fr, de;q=0.1")).toBe("de");
    expect(pickLang(null)).toBe("en");
  });
});

/** `openssl verify` with `caPem` as the only trust anchor, for a TLS server certificate. */
function opensslVerify(caPem: string, leafPem: string): { ok: boolean; out: string } {
  const dir = tempDir();
  writeFileSync(join(dir, "ca.pem"), caPem);
  writeFileSync(join(dir, "leaf.pem"), leafPem);
  const p = Bun.spawnSync(["openssl", "verify", "-no-CApath", "-no-CAstore", "-CAfile", join(dir, "ca.pem"), "-purpose", "sslserver", join(dir, "leaf.pem")]);
  return { ok: p.exitCode === 0, out: `${p.stdout}${p.stderr}` };
}

describe("the local CA vouches only for the LAN (name constraints)", () => {
  test("the extension round-trips, and matching follows RFC 5280", () => {
    const p = permittedFor({ dns: ["hearth.local", "boxy", "localhost", "chat.example.org"], ips: ["127.0.0.1", "::1", "192.168.1.20", "2001:db8::5", "203.0.113.9"] });
    expect(p.dns).toEqual(["local", "localhost", "boxy", "chat.example.org"]);
    expect(p.ips).toEqual([...PRIVATE_RANGES, "2001:db8::5/128", "203.0.113.9/32"]);
    expect(decodeNameConstraints(encodeNameConstraints(p))).toEqual(p);
    expect(unpermittedNames({ dns: ["a.b.local", "local", "evil-local", "example.com"], ips: ["10.9.9.9", "172.32.0.1", "fd12::1", "fe80::1", "8.8.8.8"] }, p)).toEqual(["evil-local", "example.com", "172.32.0.1", "8.8.8.8"]);
  });

  test("the CA carries critical nameConstraints and EKU serverAuth; the server certificate EKU serverAuth", async () => {
    const dir = tempDir();
    const r = await ensureLocalCa(dir, names(configFor(dir), ["192.168.1.20"]), T0);
    const text = (pem: string) => {
      writeFileSync(join(dir, "x.pem"), pem);
      return Bun.spawnSync(["openssl", "x509", "-noout", "-text", "-in", join(dir, "x.pem")]).stdout.toString();
    };
    const ca = text(r.ca.certPem);
    expect(ca).toContain("X509v3 Name Constraints: critical");
    expect(ca).toMatch(/Permitted:\s+DNS:local\s+DNS:localhost\s+DNS:boxy\s+IP:10\.0\.0\.0\/255\.0\.0\.0/);
    expect(ca).toContain("IP:FC00:0:0:0:0:0:0:0/FE00:0:0:0:0:0:0:0");
    expect(ca).toMatch(/Extended Key Usage: \n\s+TLS Web Server Authentication\n/);
    expect(text(r.leaf.certPem)).toMatch(/Extended Key Usage: \n\s+TLS Web Server Authentication\n/);
    expect(await caPermitted(r.ca.certPem)).toEqual(permittedFor(names(configFor(dir), ["192.168.1.20"])));
  });

  test("OpenSSL: the genuine certificate verifies; one the CA signs for another domain or address does not", async () => {
    const dir = tempDir();
    const r = await ensureLocalCa(dir, names(configFor(dir), ["192.168.1.20", "fd00::2"]), Date.now());
    expect(opensslVerify(r.ca.certPem, r.leaf.certPem)).toEqual({ ok: true, out: expect.stringContaining("OK") });
    for (const forged of [{ dns: ["example.com"], ips: [] }, { dns: ["www.google.com", "hearth.local"], ips: [] }, { dns: ["hearth.local"], ips: ["8.8.8.8"] }, { dns: [], ips: ["2001:4860::8888"] }]) {
      const leaf = await issueLeaf(r.ca, forged, Date.now(), 30); // as if someone had stolen the CA key
      const v = opensslVerify(r.ca.certPem, leaf.certPem);
      expect(v.ok).toBe(false);
      expect(v.out).toContain("permitted subtree violation");
    }
  });

  test("a TLS client (curl, OpenSSL) with only Hearth's CA refuses a forged example.com server and accepts the real one", async () => {
    const dir = tempDir();
    const r = await ensureLocalCa(dir, names(configFor(dir), []), Date.now());
    const forged = await issueLeaf(r.ca, { dns: ["example.com"], ips: [] }, Date.now(), 30);
    const serve = (leaf: { certPem: string; keyPem: string }) =>
      Bun.serve({ hostname: "127.0.0.1", port: 0, tls: { cert: `${leaf.certPem}${r.ca.certPem}`, key: leaf.keyPem }, fetch: () => new Response("hello") });
    const evil = serve(forged);
    const real = serve(r.leaf);
    try {
      const bad = await curlGet(`https://example.com:${evil.port}/`, r.ca.certPem, {}, [`example.com:${evil.port}:127.0.0.1`]);
      expect(bad.code).toBe(60);
      expect(bad.stderr).toContain("permitted subtree violation");
      const good = await curlGet(`https://hearth.local:${real.port}/`, r.ca.certPem, {}, [`hearth.local:${real.port}:127.0.0.1`]);
      expect(good.stderr).toBe("");
      expect(good.body).toBe("hello");
    } finally {
      evil.stop(true);
      real.stop(true);
    }
  });

  test("an address change keeps the CA: private ones are covered, a new public one is left out; a new hostname replaces the CA", async () => {
    const dir = tempDir();
    const config = configFor(dir);
    const first = await ensureLocalCa(dir, names(config, ["192.168.1.20", "2001:db8::5"]), T0);
    expect(certNames(first.leaf.certPem).ips).toContain("2001:db8::5"); // public at creation: permitted as one host
    const moved = await ensureLocalCa(dir, names(config, ["10.0.0.7", "fd00::9", "2001:db8::5"]), T0 + DAY);
    expect(moved.ca.certPem).toBe(first.ca.certPem); // DHCP or Wi-Fi: devices keep their trust
    expect(moved.changes).toEqual(["new server certificate: the names changed (+10.0.0.7 +fd00::9 -192.168.1.20)"]);
    // An IPv6 prefix change or a temporary address: replacing the CA would make every device re-trust each time.
    const prefix = await ensureLocalCa(dir, names(config, ["10.0.0.7", "2001:db8:1::7"]), T0 + 2 * DAY);
    expect(prefix.ca.certPem).toBe(first.ca.certPem);
    expect(prefix.changes).toEqual(["new server certificate: the names changed (-fd00::9 -2001:db8::5) (left out, the CA does not permit them: 2001:db8:1::7)"]);
    expect(certNames(prefix.leaf.certPem).ips).toEqual(["127.0.0.1", "::1", "10.0.0.7"]);
    expect(opensslVerify(prefix.ca.certPem, prefix.leaf.certPem).ok).toBe(true);
    expect((await ensureLocalCa(dir, names(config, ["10.0.0.7", "2001:db8:1::7"]), T0 + 3 * DAY)).changes).toEqual([]); // no churn
    const renamed = serverNames(config, { hostname: "newbox", addresses: ["10.0.0.7"] });
    const r = await ensureLocalCa(dir, renamed, T0 + 4 * DAY);
    expect(r.changes[0]).toBe("new CA: the CA does not cover newbox; every device that trusted the previous CA must trust the new one (the trust page says how)");
    expect(opensslVerify(r.ca.certPem, r.leaf.certPem).ok).toBe(true);
  });

  test("a CA from an older Hearth (no constraints) is replaced at start, logged, and the trust page asks to re-trust", async () => {
    const dir = tempDir();
    const config = configFor(dir);
    const f = localCaFiles(dir);
    const old = await createCa("Hearth local CA (old)", Date.now() - 100 * DAY, 3650); // what earlier versions made
    await ensureLocalCa(dir, names(config, []), Date.now() - 100 * DAY); // creates the directory layout
    writeFileSync(f.caCert, old.certPem);
    writeFileSync(f.caKey, old.keyPem);
    const logged: string[] = [];
    const log = createLogger({ level: "info", format: "json", stream: { write: (l: string) => void logged.push(l) } });
    const source = await startLocalCa({ config, log, now: Date.now, names: () => names(config, []) });
    source.stop();
    const caPem = source.caPem()!;
    expect(caPem).not.toBe(old.certPem);
    expect(source.startNotes[0]).toBe("new CA: the CA has no name constraints (made by an older Hearth), so it could vouch for any website; every device that trusted the previous CA must trust the new one (the trust page says how)");
    const warning = logged.map((l) => JSON.parse(l)).find((l) => l.level === "warn");
    expect(warning?.msg).toBe("local CA replaced: devices must trust the new CA (see /trust)");
    expect(opensslVerify(caPem, source.material()!.cert).ok).toBe(true);
    expect(opensslVerify(old.certPem, source.material()!.cert).ok).toBe(false); // the old trust no longer works: hence the notice
    const page = (lang: string, now = Date.now()) => renderTrustPage(texts[lang as "en"], lang, caPem, "https://hearth.local:8443/", "test-nonce", now);
    const today = new Date().toISOString().slice(0, 10);
    expect(page("en")).toContain(`This server replaced its certificate authority on ${today}. If this device trusted the earlier one (fingerprint <code>${sha256Fingerprint(old.certPem)}</code>)`);
    expect(page("en")).toContain(`This certificate authority was created on ${today}.`);
    expect(page("de")).toContain(`Dieser Server hat seine Zertifizierungsstelle am ${today} ersetzt.`);
    expect(page("en", Date.now() + (limits.tlsCaReplacedNoticeDays + 1) * DAY)).not.toContain("replaced its certificate authority");
    // After a restart the notice is still there (read from <data>/tls/ca-replaced.json), and the CA is kept.
    const again = await ensureLocalCa(dir, names(config, []), Date.now());
    expect(again.changes).toEqual([]);
    expect(JSON.parse(readFileSync(join(f.dir, "ca-replaced.json"), "utf8")).previousFingerprint).toBe(sha256Fingerprint(old.certPem));
  });

  test("a first CA shows its date but no re-trust notice", async () => {
    const dir = tempDir();
    const r = await ensureLocalCa(dir, names(configFor(dir), []), Date.now());
    const html = renderTrustPage(texts.en, "en", r.ca.certPem, "https://hearth.local:8443/", "test-nonce");
    expect(html).toContain('id="ca-issued"');
    expect(html).not.toContain('id="ca-replaced"');
  });
});

/**
 * The certificate the server presents, checked against `ca` with node's X.509 parser.
 * Bun's TLS client (BoringSSL's legacy verifier) rejects every iPAddress name constraint
 * as "unsupported name constraint type", so Bun clients here skip chain verification and
 * the chain is verified by OpenSSL instead (curl below, `openssl verify` in the CA tests).
 */
function peerCert(port: number, ca: string): Promise<X509Certificate> {
  return new Promise((resolve, reject) => {
    const s = tls.connect({ host: "127.0.0.1", port, rejectUnauthorized: false, servername: "localhost" }, () => {
      const cert = new X509Certificate(s.getPeerCertificate().raw);
      s.end();
      const issuer = new X509Certificate(ca);
      if (!cert.checkIssued(issuer) || !cert.verify(issuer.publicKey)) reject(new Error("the served certificate is not signed by the CA"));
      else resolve(cert);
    });
    s.on("error", reject);
  });
}

/** An HTTPS GET through curl (OpenSSL's verifier) with `caPem` as the only trust anchor. */
async function curlGet(url: string, caPem: string | null, headers: Record<string, string> = {}, resolve: string[] = []): Promise<{ code: number; status: number; headers: Record<string, string>; body: string; stderr: string }> {
  const dir = tempDir();
  const args = ["curl", "-sS", "-D", join(dir, "head"), "-o", join(dir, "body"), ...Object.entries(headers).flatMap(([k, v]) => ["-H", `${k}: ${v}`]), ...resolve.flatMap((r) => ["--resolve", r])];
  if (caPem) {
    writeFileSync(join(dir, "ca.pem"), caPem);
    args.push("--cacert", join(dir, "ca.pem"));
  } else args.push("--capath", dir); // no system CAs either: the server's CA is not in them
  const p = Bun.spawn([...args, url], { stderr: "pipe" }); // async: the server answering runs in this process
  const [code, stderr] = await Promise.all([p.exited, new Response(p.stderr).text()]);
  const read = (f: string) => (existsSync(join(dir, f)) ? readFileSync(join(dir, f), "utf8") : "");
  const head = read("head").split("\r\n");
  const hs: Record<string, string> = {};
  for (const l of head.slice(1)) if (l.includes(":")) hs[l.slice(0, l.indexOf(":")).toLowerCase()] = l.slice(l.indexOf(":") + 1).trim();
  return { code, status: Number(head[0]?.split(" ")[1] ?? 0), headers: hs, body: read("body"), stderr };
}

/** Raw HTTP/1.1 over TCP: fetch() cannot send a Host header other than the URL's. */
async function rawGet(port: number, path: string, headers: Record<string, string>, method = "GET"): Promise<{ status: number; headers: Record<string, string>; body: string }> {
  const head = [`${method} ${path} HTTP/1.1`, ...Object.entries({ connection: "close", ...headers }).map(([k, v]) => `${k}: ${v}`), "", ""].join("\r\n");
  const chunks: Buffer[] = [];
  await new Promise<void>((resolve, reject) => {
    void Bun.connect({
      hostname: "127.0.0.1",
      port,
      socket: {
        open: (s) => void s.write(head),
        data: (_s, d) => void chunks.push(Buffer.from(d)),
        close: () => resolve(),
        error: (_s, e) => reject(e),
      },
    }).catch(reject);
  });
  const text = Buffer.concat(chunks).toString("utf8");
  const [top = "", body = ""] = text.split("\r\n\r\n", 2);
  const [statusLine = "", ...lines] = top.split("\r\n");
  const hs: Record<string, string> = {};
  for (const l of lines) hs[l.slice(0, l.indexOf(":")).toLowerCase()] = l.slice(l.indexOf(":") + 1).trim();
  return { status: Number(statusLine.split(" ")[1]), headers: hs, body: text.slice(top.length + 4) || body };
}

const echoRoutes = new Elysia().ws("/test/echo", { message(ws, m) { ws.send(`echo ${String(m)}`); } }).get("/test/app", () => "the app").get("/test/raw", () => new Response("raw"));

async function bootTls(set: string[], source: (config: Config) => Promise<TlsSource> | TlsSource) {
  const dir = tempDir();
  const config = configFor(join(dir, "data"), set);
  const deps = await compose(config, { logStream: { write: () => {} } });
  const tlsSource = await source(config);
  const server = startServer(deps, { routes: [echoRoutes], tls: tlsSource });
  return { dir, config, deps, server, tlsSource };
}

/** wss: the chain is checked by peerCert/curlGet beforehand (see peerCert for why Bun does not verify it). */
function wsEcho(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, url.startsWith("wss:") ? ({ tls: { rejectUnauthorized: false } } as never) : undefined);
    ws.onopen = () => ws.send("hi");
    ws.onmessage = (e) => {
      resolve(String(e.data));
      ws.close();
    };
    ws.onerror = (e) => reject(new Error(`websocket ${url}: ${(e as ErrorEvent).message ?? "error"}`));
  });
}

describe("a server in local-ca mode", () => {
  let addresses = ["192.168.1.20"];
  let s: Awaited<ReturnType<typeof bootTls>>;
  let caPem = "";
  let httpsPort = 0;
  beforeAll(async () => {
    s = await bootTls([], (config) => startLocalCa({ config, log: quiet, now: Date.now, names: () => names(config, addresses) }));
    caPem = s.tlsSource.caPem()!;
    httpsPort = Number(new URL(s.server.httpsUrl!).port);
  });
  afterAll(() => s.server.stop("test end"));

  test("HTTPS serves the app with a certificate from the local CA; no HSTS for a private CA", async () => {
    const res = await curlGet(`https://127.0.0.1:${httpsPort}/test/app`, caPem);
    expect(res.stderr).toBe("");
    expect(res.status).toBe(200);
    expect(res.body).toBe("the app");
    expect(res.headers["strict-transport-security"]).toBeUndefined();
    const unverified = await curlGet(`https://127.0.0.1:${httpsPort}/healthz`, null);
    expect(unverified.code).toBe(60); // without the CA, verification fails (curl: peer certificate cannot be authenticated)
  });

  test("loopback on plain HTTP stays the app (the quick start's http://localhost)", async () => {
    const res = await rawGet(s.server.port, "/test/app", { host: `localhost:${s.server.port}`, accept: "text/html" });
    expect(res.status).toBe(200);
    expect(res.body).toContain("the app");
  });

  test("a LAN host on plain HTTP gets the trust page, in its language, with the CA fingerprint", async () => {
    const en = await rawGet(s.server.port, "/chats/1", { host: `192.168.1.20:${s.server.port}`, accept: "text/html" });
    expect(en.status).toBe(200);
    expect(en.headers["content-language"]).toBe("en");
    expect(en.body).toContain("Trust this Hearth server");
    expect(en.body).toContain(sha256Fingerprint(caPem));
    expect(en.body).toContain(`https://192.168.1.20:${httpsPort}/chats/1`);
    for (const os of ["Windows", "macOS", "Linux", "Android", "iOS"]) expect(en.body).toContain(os);
    const de = await rawGet(s.server.port, "/", { host: `192.168.1.20:${s.server.port}`, accept: "text/html", "accept-language": "de-DE,de;q=0.9" });
    expect(de.headers["content-language"]).toBe("de");
    expect(de.body).toContain("Diesem Hearth-Server vertrauen");
  });

  test("other LAN requests are redirected to https on the same host", async () => {
    const res = await rawGet(s.server.port, "/api/x?y=1", { host: `192.168.1.20:${s.server.port}`, "content-length": "0" }, "POST");
    expect(res.status).toBe(308);
    expect(res.headers.location).toBe(`https://192.168.1.20:${httpsPort}/api/x?y=1`);
    const route = await rawGet(s.server.port, "/test/app", { host: `192.168.1.20:${s.server.port}` }); // a real route too
    expect(route.status).toBe(308);
    expect(route.headers.location).toBe(`https://192.168.1.20:${httpsPort}/test/app`);
    const ws = await rawGet(s.server.port, "/test/echo", { host: `192.168.1.20:${s.server.port}`, upgrade: "websocket", "sec-websocket-version": "13", "sec-websocket-key": "dGhlIHNhbXBsZSBub25jZQ==" });
    expect(ws.status).toBe(308); // no plain WebSocket for LAN hosts either
    const probes = await rawGet(s.server.port, "/healthz", { host: `192.168.1.20:${s.server.port}` });
    expect(probes.status).toBe(200);
  });

  test("the CA downloads (DER and PEM) are the CA, on both listeners", async () => {
    const der = await fetch(`${s.server.url}/ca.crt`);
    expect(der.headers.get("content-type")).toBe("application/x-x509-ca-cert");
    const parsed = new X509Certificate(Buffer.from(await der.arrayBuffer()));
    expect(parsed.fingerprint256).toBe(sha256Fingerprint(caPem));
    expect(parsed.ca).toBe(true);
    const pem = await curlGet(`https://127.0.0.1:${httpsPort}/ca.pem`, caPem);
    expect(pem.body).toBe(caPem);
    const page = await curlGet(`https://127.0.0.1:${httpsPort}/trust`, caPem, { "accept-language": "de" });
    expect(page.body).toContain(sha256Fingerprint(caPem));
  });

  test("WebSockets upgrade on both listeners (the server facade routes each upgrade)", async () => {
    expect(await wsEcho(`ws://127.0.0.1:${s.server.port}/test/echo`)).toBe("echo hi");
    await peerCert(httpsPort, caPem);
    expect(await wsEcho(`wss://127.0.0.1:${httpsPort}/test/echo`)).toBe("echo hi");
  });

  test("a new LAN address re-issues the certificate and the live listener serves it", async () => {
    const before = await peerCert(httpsPort, caPem);
    expect(before.subjectAltName).toContain("IP Address:192.168.1.20");
    addresses = ["10.0.0.7"];
    await s.tlsSource.check();
    const after = await peerCert(httpsPort, caPem);
    expect(after.subjectAltName).toContain("IP Address:10.0.0.7");
    expect(after.subjectAltName).not.toContain("192.168.1.20");
    expect(after.serialNumber).not.toBe(before.serialNumber);
    expect(await wsEcho(`wss://127.0.0.1:${httpsPort}/test/echo`)).toBe("echo hi");
    expect(readFileSync(localCaFiles(s.config.data.dir).cert, "utf8").trim()).toBe(after.toString().trim());
  });
});

describe("own certificate mode", () => {
  let pair: { certPem: string; keyPem: string; caPem: string; dir: string };
  beforeAll(async () => {
    const ca = await createCa("Company CA", Date.now(), 30);
    const leaf = await issueLeaf(ca, { dns: ["localhost", "chat.example.org"], ips: ["127.0.0.1"] }, Date.now(), 30);
    const dir = tempDir();
    writeFileSync(join(dir, "cert.pem"), `${leaf.certPem}\n${ca.certPem}\n`);
    writeFileSync(join(dir, "key.pem"), leaf.keyPem);
    writeFileSync(join(dir, "other.key"), (await issueLeaf(ca, { dns: ["x"], ips: [] }, Date.now(), 30)).keyPem);
    writeFileSync(join(dir, "garbage.pem"), "not a certificate");
    pair = { certPem: leaf.certPem, keyPem: leaf.keyPem, caPem: ca.certPem, dir };
  });

  test("a key that does not match, a missing file or garbage is one clear fatal line", () => {
    const d = pair.dir;
    expect(() => loadOwnCert(join(d, "cert.pem"), join(d, "other.key"))).toThrow(`tls.keyFile ${join(d, "other.key")} does not belong to the certificate in tls.certFile ${join(d, "cert.pem")}`);
    expect(() => loadOwnCert(join(d, "nope.pem"), join(d, "key.pem"))).toThrow(`cannot read tls.certFile ${join(d, "nope.pem")}: ENOENT`);
    expect(() => loadOwnCert(join(d, "garbage.pem"), join(d, "key.pem"))).toThrow("is not a PEM certificate");
    expect(() => loadOwnCert("", "")).toThrow("tls.mode is own but tls.certFile or tls.keyFile is empty");
  });

  test("HTTPS with HSTS, and plain LAN requests are redirected (no trust page)", async () => {
    const set = ["tls.mode=own", `tls.certFile=${join(pair.dir, "cert.pem")}`, `tls.keyFile=${join(pair.dir, "key.pem")}`];
    const s = await bootTls(set, (config) => startOwnCert(config, quiet));
    try {
      const port = Number(new URL(s.server.httpsUrl!).port);
      const res = await fetch(`https://127.0.0.1:${port}/test/app`, { tls: { ca: pair.caPem } } as never);
      expect(await res.text()).toBe("the app");
      expect(res.headers.get("strict-transport-security")).toBe("max-age=31536000");
      const raw = await fetch(`https://127.0.0.1:${port}/test/raw`, { tls: { ca: pair.caPem } } as never); // a handler's own Response (the web client's files)
      expect(raw.headers.get("strict-transport-security")).toBe("max-age=31536000");
      const plain = await rawGet(s.server.port, "/", { host: "chat.example.org", accept: "text/html" });
      expect(plain.status).toBe(308);
      expect(plain.headers.location).toBe(`https://chat.example.org:${port}/`);
      expect((await fetch(`${s.server.url}/ca.crt`)).status).not.toBe(200); // no private CA to hand out
    } finally {
      await s.server.stop("test end");
    }
  });
});

describe("tls.mode=off behind a proxy", () => {
  test("plain HTTP serves everyone; a trusted proxy's requests are never redirected when TLS is on", async () => {
    const s = await bootTls(["server.trustedProxies=127.0.0.1"], (config) => startLocalCa({ config, log: quiet, now: Date.now, names: () => names(config, []) }));
    try {
      const res = await rawGet(s.server.port, "/test/app", { host: "chat.example.org", accept: "text/html" });
      expect(res.status).toBe(200);
      expect(res.body).toContain("the app");
    } finally {
      await s.server.stop("test end");
    }
  });
});

describe("hearth doctor's TLS check", () => {
  const run = async (config: Config) => (await tlsCheck({ config, dataDir: config.data.dir, dbFile: "", db: () => { throw new Error("unused"); } })).map(formatResult);

  test("local-ca: CA fingerprint, expiry and names; a media address the served certificate lacks is a warning", async () => {
    const dir = tempDir();
    const config = configFor(dir, ["calls.announcedAddress=10.55.0.1"]);
    const r = await ensureLocalCa(dir, serverNames(configFor(dir), { hostname: hostname(), addresses: ["10.0.0.7"] }), Date.now()); // this machine's name: the CA must permit it
    const out = await run(config);
    expect(out[0]).toStartWith("ok    tls mode: local-ca: HTTPS on 127.0.0.1:a free port"); // server.port 0
    expect(out[1]).toBe(`ok    tls local CA: SHA-256 ${sha256Fingerprint(r.ca.certPem)} (compare with the trust page)`);
    expect(out[2]).toMatch(/^ok {4}tls certificate: valid 39[67] more days .*IP Address:10\.0\.0\.7/);
    expect(out.find((l) => l.includes("tls names:"))).toStartWith("warn  tls names: this machine's names changed (+");
    expect(out.find((l) => l.includes("tls media address"))).toBe("warn  tls media address: calls announce 10.55.0.1 but the certificate does not cover it: people opening https://10.55.0.1 would see a warning");
  });

  test("own: a key that does not match FAILs; plain http public URL on a LAN host is not a secure context", async () => {
    const dir = tempDir();
    const ca = await createCa("x", Date.now(), 10);
    writeFileSync(join(dir, "c.pem"), (await issueLeaf(ca, { dns: ["a.example"], ips: [] }, Date.now(), 10)).certPem);
    writeFileSync(join(dir, "k.pem"), (await issueLeaf(ca, { dns: ["b.example"], ips: [] }, Date.now(), 10)).keyPem);
    const own = await run(configFor(dir, ["tls.mode=own", `tls.certFile=${join(dir, "c.pem")}`, `tls.keyFile=${join(dir, "k.pem")}`]));
    expect(own[0]).toStartWith("FAIL  tls mode: tls.keyFile");
    const off = await run(configFor(dir, ["tls.mode=off", "server.publicUrl=http://192.168.1.5:8080"]));
    expect(off).toContain("warn  secure context: server.publicUrl http://192.168.1.5:8080 is plain http on a non-loopback host: not a secure context; calls, the installable app and push need HTTPS (tls.mode) or a TLS-terminating proxy");
    const https = await run(configFor(dir, ["tls.mode=off", "server.publicUrl=https://chat.example.org"]));
    expect(https).toContain("ok    secure context: https://chat.example.org is a secure context");
  });
});

describe("the real WebSocket endpoint over wss", () => {
  test("/ws upgrades on the HTTPS listener and shutdown closes it with 1012", async () => {
    const config = configFor(tempDir());
    const deps = await compose(config, { logStream: { write: () => {} } });
    const source = await startLocalCa({ config, log: quiet, now: Date.now, names: () => names(config, []) });
    const modules = [accountsModule(deps)];
    const websocket = createWsPart(deps, { authenticate: accountsAuthenticate(deps), modules });
    const server = startServer(deps, { routes: modules.flatMap((m) => (m.routes ? [m.routes] : [])), stops: modules.flatMap((m) => (m.stop ? [m.stop] : [])), websocket, tls: source });
    await peerCert(Number(new URL(server.httpsUrl!).port), source.caPem()!);
    const ws = new WebSocket(`${server.httpsUrl!.replace("https:", "wss:")}/ws`, { tls: { rejectUnauthorized: false } } as never);
    await new Promise((resolve, reject) => {
      ws.onopen = resolve;
      ws.onerror = reject;
    });
    const closed = new Promise<number>((resolve) => (ws.onclose = (e) => resolve(e.code)));
    await server.stop("test end"); // rejects if the open wss socket kept the listener from stopping
    expect(await closed).toBe(1012);
  });

  test("a chat's shared frame (native topic publish) reaches members on both listeners", async () => {
    const config = configFor(tempDir(), ["accounts.registration=open"]);
    const deps = await compose(config, { logStream: { write: () => {} } });
    const source = await startLocalCa({ config, log: quiet, now: Date.now, names: () => names(config, []) });
    const modules = [accountsModule(deps), chatsModule(deps)];
    const websocket = createWsPart(deps, { authenticate: accountsAuthenticate(deps), modules });
    const server = startServer(deps, { routes: modules.flatMap((m) => (m.routes ? [m.routes] : [])), stops: modules.flatMap((m) => (m.stop ? [m.stop] : [])), websocket, tls: source });
    try {
      await peerCert(Number(new URL(server.httpsUrl!).port), source.caPem()!);
      const plainUrl = `${server.url.replace("http:", "ws:")}/ws`;
      const ann = await createTestUser(server, `tlsann${process.pid % 1000}`);
      const bob = await createTestUser(server, `tlsbob${process.pid % 1000}`);
      const annClient = await connectClient({ url: server.url, wsUrl: plainUrl }, ann);
      const entry = ((await annClient.request("chat.create", { kind: "group", clientId: "tls-group", title: "Both 🔐", memberIds: [bob.userId] })) as { entry: { chat: { id: string } } }).entry;
      // bob on wss, speaking the protocol by hand (the client's global WebSocket cannot be told about the local CA)
      const ws = new WebSocket(`${server.httpsUrl!.replace("https:", "wss:")}/ws`, { tls: { rejectUnauthorized: false } } as never);
      ws.binaryType = "arraybuffer";
      const frames: ServerFrame[] = [];
      ws.onmessage = (e) => {
        const r = decodeServerFrame(new Uint8Array(e.data as ArrayBuffer));
        if (r.ok) frames.push(r.frame);
      };
      await new Promise((resolve, reject) => {
        ws.onopen = resolve;
        ws.onerror = reject;
      });
      ws.send(encodeClientFrame({ t: "hello", v: PROTOCOL_VERSION, token: bob.accessToken }));
      await until(() => frames.some((f) => f.t === "welcome"), 5000, "bob's welcome over wss");
      const texts = () => frames.flatMap((f) => (f.t === "chat_events" && f.chatId === entry.chat.id ? f.events : [])).map((e) => (e.data as { message?: { text: string } }).message?.text);
      const annSaw: string[] = [];
      annClient.on("message.created", (d) => void annSaw.push((d as { message: { text: string } }).message.text));
      for (const text of ["one", "two", "three"]) await annClient.request("message.send", { chatId: entry.chat.id, clientId: text, text });
      await until(() => texts().length === 3 && annSaw.length === 3, 5000, "three messages on both listeners");
      expect([texts(), annSaw]).toEqual([["one", "two", "three"], ["one", "two", "three"]]);
      annClient.close();
      ws.close();
    } finally {
      await server.stop("test end");
    }
  });
});
