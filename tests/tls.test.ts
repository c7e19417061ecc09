// TLS end-to-end on loopback: the local CA's certificates parsed with node's real X.509
// parser (names, validity, chain, key usage), renewal and re-issue decisions with an
// injected clock and address list, and a real server with its HTTPS listener: trust page,
// CA download, redirects, HSTS by mode, WebSockets on both listeners, live certificate swap.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createPrivateKey, X509Certificate } from "node:crypto";
import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import tls from "node:tls";
import { Elysia } from "elysia";
import { loadConfig } from "../src/config/load.ts";
import type { Config } from "../src/config/schema.ts";
import { createLogger } from "../src/log/logger.ts";
import { limits } from "../src/limits.ts";
import { compose } from "../src/main.ts";
import { startServer, type RunningServer } from "../src/server/app.ts";
import { ensureLocalCa, leafProblem, localCaFiles } from "../src/tls/local-ca.ts";
import { startLocalCa } from "../src/tls/local-ca-source.ts";
import { serverNames } from "../src/tls/names.ts";
import { loadOwnCert, startOwnCert } from "../src/tls/own.ts";
import type { TlsSource } from "../src/tls/source.ts";
import { pickLang } from "../src/tls/trust-text.ts";
import { tlsCheck } from "../src/cli/doctor/checks/tls.ts";
import { accountsAuthenticate, accountsModule } from "../src/accounts/module.ts";
import { createWsPart } from "../src/server/ws.ts";
import { formatResult } from "../src/cli/doctor/check.ts";
import { certNames, createCa, issueLeaf, sha256Fingerprint } from "../src/tls/x509.ts";

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

/** Opens a TLS connection and returns the certificate the server presented. */
function peerCert(port: number, ca: string): Promise<X509Certificate> {
  return new Promise((resolve, reject) => {
    const s = tls.connect({ host: "127.0.0.1", port, ca, servername: "localhost" }, () => {
      const raw = s.getPeerCertificate().raw;
      s.end();
      resolve(new X509Certificate(raw));
    });
    s.on("error", reject);
  });
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

function wsEcho(url: string, ca?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, ca ? ({ tls: { ca } } as never) : undefined);
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
    const res = await fetch(`https://127.0.0.1:${httpsPort}/test/app`, { tls: { ca: caPem } } as never);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("the app");
    expect(res.headers.get("strict-transport-security")).toBeNull();
    const unverified = await fetch(`https://127.0.0.1:${httpsPort}/healthz`).then(() => "connected", (e: Error) => e.message);
    expect(unverified).not.toBe("connected"); // without the CA, verification fails
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
    const pem = await fetch(`https://127.0.0.1:${httpsPort}/ca.pem`, { tls: { ca: caPem } } as never);
    expect(await pem.text()).toBe(caPem);
    const page = await fetch(`https://127.0.0.1:${httpsPort}/trust`, { tls: { ca: caPem }, headers: { "accept-language": "de" } } as never);
    expect(await page.text()).toContain(sha256Fingerprint(caPem));
  });

  test("WebSockets upgrade on both listeners (the server facade routes each upgrade)", async () => {
    expect(await wsEcho(`ws://127.0.0.1:${s.server.port}/test/echo`)).toBe("echo hi");
    expect(await wsEcho(`wss://127.0.0.1:${httpsPort}/test/echo`, caPem)).toBe("echo hi");
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
    expect(await wsEcho(`wss://127.0.0.1:${httpsPort}/test/echo`, caPem)).toBe("echo hi");
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
    const r = await ensureLocalCa(dir, names(configFor(dir), ["10.0.0.7"]), Date.now());
    const out = await run(config);
    expect(out[0]).toStartWith("ok    tls mode: local-ca: HTTPS on 127.0.0.1:a free port"); // server.port 0
    expect(out[1]).toBe(`ok    tls local CA: SHA-256 ${sha256Fingerprint(r.ca.certPem)} (compare with the trust page)`);
    expect(out[2]).toMatch(/^ok {4}tls certificate: valid 39[67] more days .*IP Address:10\.0\.0\.7/);
    expect(out.find((l) => l.includes("tls names"))).toStartWith("warn  tls names: this machine's names changed (+");
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
    const server = startServer(deps, { routes: modules.flatMap((m) => (m.routes ? [m.routes] : [])), websocket, tls: source });
    const ws = new WebSocket(`${server.httpsUrl!.replace("https:", "wss:")}/ws`, { tls: { ca: source.caPem() } } as never);
    await new Promise((resolve, reject) => {
      ws.onopen = resolve;
      ws.onerror = reject;
    });
    const closed = new Promise<number>((resolve) => (ws.onclose = (e) => resolve(e.code)));
    await server.stop("test end"); // rejects if the open wss socket kept the listener from stopping
    expect(await closed).toBe(1012);
  });
});
