// ACME against a real ACME server: Pebble (Debian package `pebble`, Let's Encrypt's test
// CA) on loopback, with a stub DNS server that resolves the test domain to 127.0.0.1.
// Hearth obtains a certificate through HTTP-01 (served by its plain listener) and through
// TLS-ALPN-01 (its HTTPS port lent to an acme-tls/1 responder), serves it, and renews it
// when an injected clock says fewer than 30 days are left. Skips if pebble is missing, except in CI (CI=true), where that fails.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { X509Certificate } from "node:crypto";
import { createSocket } from "node:dgram";
import { mkdtempSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import tls from "node:tls";
import dnsPacket from "dns-packet";
import { loadConfig } from "../src/config/load.ts";
import { createLogger } from "../src/log/logger.ts";
import { compose } from "../src/compose.ts";
import { startServer } from "../src/server/app.ts";
import { acmeFiles, startAcme } from "../src/tls/acme.ts";
import { createCa, issueLeaf } from "../src/tls/x509.ts";
import { freePort } from "./support/cli.ts";
import { until } from "./support/harness.ts";

const DOMAIN = "hearth.test";
const havePebble = Bun.which("pebble") !== null;
const quiet = createLogger({ level: "error", format: "json", stream: { write: () => {} } });

/** Answers every A question with 127.0.0.1 and everything else with no records. */
function stubDns(): Promise<{ port: number; close(): void }> {
  const sock = createSocket("udp4");
  sock.on("message", (msg, rinfo) => {
    const q = dnsPacket.decode(msg);
    const answers = (q.questions ?? []).filter((x) => x.type === "A").map((x) => ({ name: x.name, type: "A" as const, ttl: 5, data: "127.0.0.1" }));
    sock.send(dnsPacket.encode({ type: "response", id: q.id, flags: dnsPacket.AUTHORITATIVE_ANSWER, questions: q.questions, answers }), rinfo.port, rinfo.address);
  });
  return new Promise((resolve) => sock.bind(0, "127.0.0.1", () => resolve({ port: sock.address().port, close: () => sock.close() })));
}

interface Pebble {
  directoryUrl: string;
  caPem: string; // pebble's own HTTPS certificate's CA (for the directory connection)
  root(): Promise<string>; // the root that signs issued certificates
  stop(): void;
}

async function startPebble(httpPort: number, tlsPort: number, dnsPort: number): Promise<Pebble> {
  const dir = mkdtempSync(join(tmpdir(), "hearth-pebble-"));
  const ca = await createCa("pebble test CA", Date.now(), 30);
  const leaf = await issueLeaf(ca, { dns: ["localhost"], ips: ["127.0.0.1"] }, Date.now(), 30);
  writeFileSync(join(dir, "cert.pem"), leaf.certPem);
  writeFileSync(join(dir, "key.pem"), leaf.keyPem);
  const [api, mgmt] = [freePort(), freePort()];
  const config = { pebble: { listenAddress: `127.0.0.1:${api}`, managementListenAddress: `127.0.0.1:${mgmt}`, certificate: join(dir, "cert.pem"), privateKey: join(dir, "key.pem"), httpPort, tlsPort, ocspResponderURL: "", externalAccountBindingRequired: false } };
  writeFileSync(join(dir, "pebble.json"), JSON.stringify(config));
  const proc = Bun.spawn(["pebble", "-config", join(dir, "pebble.json"), "-dnsserver", `127.0.0.1:${dnsPort}`], {
    env: { ...process.env, PEBBLE_VA_NOSLEEP: "1", PEBBLE_WFE_NONCEREJECT: "0", PEBBLE_AUTHZREUSE: "0" },
    stdout: "ignore",
    stderr: "ignore",
  });
  const directoryUrl = `https://127.0.0.1:${api}/dir`;
  const get = (url: string) => fetch(url, { tls: { ca: ca.certPem } } as never);
  let up = false;
  for (let i = 0; i < 200 && !up; i++) {
    up = await get(directoryUrl).then((r) => r.ok, () => false);
    if (!up) await Bun.sleep(100);
  }
  if (!up) throw new Error("pebble did not start");
  return { directoryUrl, caPem: ca.certPem, root: () => get(`https://127.0.0.1:${mgmt}/roots/0`).then((r) => r.text()), stop: () => proc.kill() };
}

/** The certificate served on `port` for SNI `DOMAIN`, verified against `root`. */
function served(port: number, root: string): Promise<{ cert: X509Certificate; authorized: boolean }> {
  return new Promise((resolve, reject) => {
    const s = tls.connect({ host: "127.0.0.1", port, servername: DOMAIN, ca: root, rejectUnauthorized: false }, () => {
      const cert = new X509Certificate(s.getPeerCertificate().raw);
      resolve({ cert, authorized: s.authorized });
      s.end();
    });
    s.on("error", reject);
  });
}

async function bootAcme(challenge: string, pebble: Pebble, ports: { http: number; https: number }, now: () => number = Date.now, dataDir?: string) {
  const data = dataDir ?? join(mkdtempSync(join(tmpdir(), "hearth-acme-")), "data");
  const set = ["log.format=json", "tls.mode=acme", `tls.acmeDomain=${DOMAIN}`, `tls.acmeDirectoryUrl=${pebble.directoryUrl}`, `tls.acmeChallenge=${challenge}`, `tls.port=${ports.https}`, "tls.acmeEmail=admin@hearth.test"];
  const config = loadConfig({ flags: { host: "127.0.0.1", port: ports.http, data, set } });
  const deps = await compose(config, { logStream: { write: () => {} } });
  const source = await startAcme(config, quiet, now, { directoryCaPem: pebble.caPem });
  const server = startServer(deps, { tls: source });
  return { data, source, server };
}

// In CI (CI=true) setup installs pebble: a missing one fails there instead of skipping.
describe.skipIf(!havePebble && !process.env.CI)("ACME with Pebble", () => {
  let dns: Awaited<ReturnType<typeof stubDns>>;
  let pebble: Pebble;
  const ports = { http: 0, https: 0 };
  beforeAll(async () => {
    dns = await stubDns();
    ports.http = freePort();
    ports.https = freePort();
    pebble = await startPebble(ports.http, ports.https, dns.port);
  });
  afterAll(() => {
    pebble?.stop();
    dns?.close();
  });

  test("HTTP-01: obtains, stores and serves a certificate; renews it with < 30 days left", async () => {
    const s = await bootAcme("http-01", pebble, ports);
    let renewed: Awaited<ReturnType<typeof bootAcme>> | null = null;
    try {
      await until(() => s.server.httpsUrl !== null, 60_000, "ACME certificate");
      const root = await pebble.root();
      const first = await served(ports.https, root);
      expect(first.authorized).toBe(true);
      expect(first.cert.subjectAltName).toBe(`DNS:${DOMAIN}`);
      const f = acmeFiles(s.data);
      expect(statSync(f.key).mode & 0o777).toBe(0o600);
      expect(statSync(f.account).mode & 0o777).toBe(0o600);
      const res = await fetch(`https://127.0.0.1:${ports.https}/healthz`, { tls: { ca: root, serverName: DOMAIN } } as never).catch((e: Error) => e);
      expect(res instanceof Response ? res.headers.get("strict-transport-security") : String(res)).toBe("max-age=31536000");
      await s.server.stop("restart with a later clock");
      // Same data dir, clock moved to 10 days before expiry: the stored certificate is renewed.
      const later = () => Date.parse(first.cert.validTo) - 10 * 86_400_000;
      renewed = await bootAcme("http-01", pebble, ports, later, s.data);
      expect(renewed.server.httpsUrl).not.toBeNull(); // serves the stored certificate while renewing
      await until(() => new X509Certificate(renewed!.source.material()!.cert).serialNumber !== first.cert.serialNumber, 60_000, "renewal");
      const second = await served(ports.https, root);
      expect(second.cert.serialNumber).not.toBe(first.cert.serialNumber);
      expect(second.authorized).toBe(true);
    } finally {
      if (!s.server.lifecycle.shuttingDown) await s.server.stop("test end");
      await renewed?.server.stop("test end");
    }
  }, 120_000);

  test("TLS-ALPN-01: the HTTPS port answers the acme-tls/1 challenge, then serves the certificate", async () => {
    const s = await bootAcme("tls-alpn-01", pebble, ports);
    try {
      await until(() => s.server.httpsUrl !== null, 60_000, "ACME certificate");
      const got = await served(ports.https, await pebble.root());
      expect(got.authorized).toBe(true);
      expect(got.cert.subjectAltName).toBe(`DNS:${DOMAIN}`);
    } finally {
      await s.server.stop("test end");
    }
  }, 120_000);
});
