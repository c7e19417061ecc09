// "No input ends the process", extended to the command line and the TLS/ACME paths, all
// through the real `hearth` executable (bun src/main.ts) in a child process:
// - random, malformed arguments for every command (seeded: HEARTH_SEED, printed): one
//   `hearth:` line on stderr, a non-zero exit, no stack trace, the data dir byte-identical;
// - damaged TLS files in the data dir (local CA, own certificate, stored ACME pair): a
//   clear one-line refusal where only the admin can decide, otherwise a new certificate
//   and a server that answers over HTTPS;
// - an ACME directory that answers garbage or is down: the server starts, logs the failure
//   and keeps serving on its plain listener.
import { afterAll, describe, expect, test } from "bun:test";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { entries } from "../src/cli/index.ts";
import { cleanEnv, freePort, hashTree, hearth, lines, repoRoot, type RunResult, tempDir } from "./support/cli.ts";
import { loadSecrets } from "../src/secrets/store.ts";
import { openSqliteStorage } from "../src/storage/sqlite/storage.ts";
import { acmeFiles } from "../src/tls/acme.ts";
import { ensureLocalCa, localCaFiles } from "../src/tls/local-ca.ts";
import { createCa, issueLeaf } from "../src/tls/x509.ts";
import { rngFrom, testSeed } from "./support/seed.ts";

const SEED = testSeed("cli-tls-robustness");
/** Garbage file contents, from the same seed. */
const garbage = rngFrom(SEED ^ 0x6a61726b);
const CASES_PER_COMMAND = Number(process.env.HEARTH_CLI_FUZZ_CASES ?? 4);

const prng = rngFrom;

const dirs: { [Symbol.dispose](): void }[] = [];
afterAll(() => dirs.forEach((d) => d[Symbol.dispose]()));
function temp(): string {
  const d = tempDir("hearth-robust-");
  dirs.push(d);
  return d.path;
}

async function dataDir(): Promise<string> {
  const data = join(temp(), "data");
  mkdirSync(data, { mode: 0o700 });
  const umask = process.umask(0o077);
  try {
    loadSecrets(data);
    const storage = await openSqliteStorage({ file: join(data, "hearth.sqlite"), durability: "normal" });
    await storage.close();
  } finally {
    process.umask(umask);
  }
  return data;
}

function expectOneLineFailure(r: RunResult, label: string) {
  const errLines = lines(r.stderr);
  expect({ label, code: r.code === 0 ? "zero" : "non-zero", lines: errLines.length }).toEqual({ label, code: "non-zero", lines: 1 });
  expect(errLines[0]).toStartWith("hearth: ");
  expect(r.stderr).not.toMatch(/^\s+at /m);
  expect(r.stderr).not.toContain("unexpected error"); // a known bad input has a known message
}

// ---- random command lines ----

const commandNames = entries.flatMap((e) => ("commands" in e ? e.commands.map((c) => c.name) : [e.name]));
// No bare "--": after it the poison below would be a positional (e.g. a backup target) and the command could run.
const NOISE = ["", " ", "-", "-x", "---", "--=", "=", "ünïcødé", "😀", "\u0007", "a".repeat(5000), "../../etc/passwd", "/dev/null", "%s%n", "$(reboot)", "'\"", "-1", "1e999", "0x10", "NaN"];
/** Each makes the command line wrong by itself, so no generated case can run a command for real. */
const POISON: ((r: () => number) => string[])[] = [
  (r) => [`--no-such-flag-${Math.floor(r() * 1e6)}`],
  () => ["--port", "not-a-port"],
  () => ["--port", "70000"],
  () => ["--port"],
  () => ["--set", "server.nope=1"],
  () => ["--set", "log.level=loud"],
  () => ["--set", "=x"],
  () => ["--set", "tls.mode=sometimes"],
  () => ["--config", "/nonexistent/hearth.toml"],
  () => ["--data", "/dev/null"],
  () => ["--host", "999.1.1.1"],
  (r) => ["-" + "zqjk"[Math.floor(r() * 4)]!],
];

function garbageArgs(r: () => number, data: string): string[] {
  const pick = <T,>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
  const args: string[] = ["--data", data];
  const n = 1 + Math.floor(r() * 4);
  for (let i = 0; i < n; i++) args.push(r() < 0.5 ? pick(NOISE) : String.fromCharCode(...Array.from({ length: 1 + Math.floor(r() * 12) }, () => 0x20 + Math.floor(r() * 0x250))));
  const poison = pick(POISON)(r);
  args.splice(2 + Math.floor(r() * (args.length - 1)), 0, ...poison); // after the real --data: a later flag value wins
  return args.filter((a) => a !== "--help" && a !== "-h" && a !== "--version" && a !== "-v");
}

describe("random command lines: one line, non-zero exit, no stack trace, data untouched", () => {
  test.each(commandNames)("hearth %s with garbage arguments", async (name) => {
    const data = await dataDir();
    const cwd = temp(); // a relative path among the garbage (a backup target, say) must not create anything either
    const before = hashTree(data);
    const r = prng(SEED ^ [...name].reduce((h, c) => (h * 31 + c.charCodeAt(0)) | 0, 7));
    for (let i = 0; i < CASES_PER_COMMAND; i++) {
      const args = [...name.split(" "), ...garbageArgs(r, data)];
      const res = await hearth(args, { timeoutMs: 20_000, cwd });
      try {
        expectOneLineFailure(res, JSON.stringify(args).slice(0, 300));
        expect(hashTree(data)).toEqual(before);
        expect(readdirSync(cwd)).toEqual([]);
      } catch (err) {
        throw new Error(`HEARTH_SEED=${SEED} case ${i} of ${name}: ${JSON.stringify(args).slice(0, 500)} → exit ${res.code}, stderr ${JSON.stringify(res.stderr.slice(0, 500))}: ${(err as Error).message.slice(0, 800)}`);
      }
    }
  }, 120_000);

  test("unknown commands and groups without a command", async () => {
    const data = await dataDir();
    const before = hashTree(data);
    for (const args of [["frobnicate"], ["admin"], ["admin", "nope"], ["secrets"], ["secrets", "rotate"], ["secrets", "rotate", "../x"], ["restore", "/nonexistent.sqlite"], ["backup"], ["help", "nope"]]) {
      expectOneLineFailure(await hearth([...args, "--data", data]), args.join(" "));
    }
    expect(hashTree(data)).toEqual(before);
  }, 60_000);
});

// ---- damaged TLS files ----

/** `hearth serve` in a child process; resolves once /healthz answers or the process exits. */
async function serveUntilUp(data: string, set: string[]) {
  const port = freePort();
  const tlsPort = freePort();
  const args = ["serve", "--data", data, "--port", String(port), "--host", "127.0.0.1", "--set", "mdns.enabled=false", "--set", `tls.port=${tlsPort}`, ...set.flatMap((s) => ["--set", s])];
  const child = Bun.spawn([process.execPath, join(repoRoot, "src/main.ts"), ...args], { cwd: repoRoot, env: cleanEnv({ HEARTH_LOG_LEVEL: "info" }), stdout: "ignore", stderr: "pipe" });
  let stderr = "";
  const reader = (async () => {
    const r = child.stderr.getReader();
    const text = new TextDecoder();
    for (let c = await r.read(); !c.done; c = await r.read()) stderr += text.decode(c.value, { stream: true });
  })();
  const deadline = Date.now() + 20_000;
  let up = false;
  while (Date.now() < deadline && child.exitCode === null) {
    up = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok, () => false);
    if (up) break;
    await Bun.sleep(50);
  }
  return {
    up,
    port,
    tlsPort,
    stderr: () => stderr,
    async exited() {
      await child.exited;
      await reader;
      return { code: child.exitCode!, stderr };
    },
    async stop() {
      child.kill("SIGTERM");
      await child.exited;
      await reader;
    },
  };
}

/** A refusal: one line, no stack trace, and nothing in the data dir changed. */
async function refusedAtStart(data: string, set: string[], mention: string) {
  const before = hashTree(data);
  const s = await serveUntilUp(data, set);
  if (s.up) await s.stop();
  expect(s.up).toBe(false);
  const { code, stderr } = await s.exited();
  expectOneLineFailure({ code, stdout: "", stderr }, mention);
  expect(stderr).toContain(mention);
  expect(hashTree(data)).toEqual(before);
}

/** A curl over HTTPS that only checks the handshake completes (the chain is verified in tests/tls.test.ts). */
async function httpsAnswers(port: number): Promise<boolean> {
  const p = Bun.spawn(["curl", "-sk", "-o", "/dev/null", "-w", "%{http_code}", `https://127.0.0.1:${port}/healthz`], { stdout: "pipe" });
  return (await new Response(p.stdout).text()) === "200";
}

const names = { dns: ["hearth.local", "localhost"], ips: ["127.0.0.1", "::1"] };

describe("damaged local-CA files", () => {
  const cases: [string, (f: ReturnType<typeof localCaFiles>) => void, string][] = [
    ["truncated ca.crt", (f) => writeFileSync(f.caCert, readFileSync(f.caCert, "utf8").slice(0, 100)), "ca.crt is not a PEM certificate"],
    ["ca.crt holding a key", (f) => writeFileSync(f.caCert, readFileSync(f.caKey)), "ca.crt is not a PEM certificate"],
    ["garbage ca.key", (f) => writeFileSync(f.caKey, garbage.bytes(300)), "ca.key is not the private key of"],
    ["ca.key from another CA", (f) => writeFileSync(f.caKey, readFileSync(f.key)), "ca.key is not the private key of"],
    ["ca.key missing", (f) => Bun.spawnSync(["rm", f.caKey]), "ca.key is missing"],
    ["the CA is a server certificate", (f) => writeFileSync(f.caCert, readFileSync(f.cert)), "ca.crt is not a CA certificate"],
  ];
  test.each(cases)("%s: refused in one line, nothing changed, the admin is told to restore or start over", async (_label, damage, mention) => {
    const data = await dataDir();
    await ensureLocalCa(data, names, Date.now());
    damage(localCaFiles(data));
    await refusedAtStart(data, [], mention);
  }, 40_000);

  const leafCases: [string, (f: ReturnType<typeof localCaFiles>) => void][] = [
    ["truncated server.crt", (f) => writeFileSync(f.cert, readFileSync(f.cert, "utf8").slice(0, 80))],
    ["garbage server.key", (f) => writeFileSync(f.key, "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n")],
    ["server.key of another certificate", (f) => writeFileSync(f.key, readFileSync(f.caKey))],
    ["empty server.crt", (f) => writeFileSync(f.cert, "")],
  ];
  test.each(leafCases)("%s: a new server certificate is issued and HTTPS answers", async (_label, damage) => {
    const data = await dataDir();
    await ensureLocalCa(data, names, Date.now());
    damage(localCaFiles(data));
    const s = await serveUntilUp(data, []);
    try {
      expect(s.up).toBe(true);
      expect(await httpsAnswers(s.tlsPort)).toBe(true);
      expect(s.stderr()).toContain("new server certificate");
    } finally {
      await s.stop();
    }
  }, 40_000);

  test("the tls directory is a file: one clear line", async () => {
    const data = await dataDir();
    writeFileSync(join(data, "tls"), "not a directory");
    await refusedAtStart(data, [], `cannot use directory ${join(data, "tls")}`);
  }, 40_000);
});

describe("own certificate mode with bad paths and files", () => {
  test("missing, a directory, empty, garbage, a key for another certificate, the key as the certificate", async () => {
    const dir = temp();
    const ca = await createCa("Company CA", Date.now(), 30);
    const leaf = await issueLeaf(ca, { dns: ["localhost"], ips: ["127.0.0.1"] }, Date.now(), 30);
    const other = await issueLeaf(ca, { dns: ["x"], ips: [] }, Date.now(), 30);
    const file = (name: string, text: string | Uint8Array) => {
      writeFileSync(join(dir, name), text);
      return join(dir, name);
    };
    const cert = file("cert.pem", leaf.certPem);
    const key = file("key.pem", leaf.keyPem);
    const cases: [string, string, string][] = [
      [join(dir, "nope.pem"), key, "cannot read tls.certFile"],
      [dir, key, "is a directory or device"],
      [file("empty.pem", ""), key, "is not a PEM certificate"],
      [file("garbage.pem", garbage.bytes(2000)), key, "is not a PEM certificate"],
      [cert, file("other.key", other.keyPem), "does not belong to the certificate"],
      [key, key, "is not a PEM certificate"],
      [cert, cert, "is not a PEM private key"],
      [file("huge.pem", "x".repeat(2 * 1024 * 1024)), key, "the limit is"],
    ];
    const data = await dataDir();
    for (const [c, k, mention] of cases) await refusedAtStart(data, ["tls.mode=own", `tls.certFile=${c}`, `tls.keyFile=${k}`], mention);
  }, 120_000);
});

describe("ACME failure paths: the server starts and keeps serving", () => {
  const acme = (url: string) => ["tls.mode=acme", "tls.acmeDomain=chat.example.org", "tls.acmeChallenge=http-01", `tls.acmeDirectoryUrl=${url}`];

  /**
   * `failsFast`: the answer is an error acme-client does not retry, so the failure is logged
   * at once. Connection errors and 5xx are retried by acme-client (5 attempts, 5-25 s apart,
   * under limits.acmeOrderTimeoutMs): then the server must simply stay up meanwhile.
   */
  async function staysUp(data: string, url: string, failsFast: boolean) {
    const s = await serveUntilUp(data, acme(url));
    try {
      expect(s.up).toBe(true);
      const deadline = Date.now() + (failsFast ? 15_000 : 3_000);
      while (!s.stderr().includes("TLS certificate check failed") && Date.now() < deadline) await Bun.sleep(50);
      if (failsFast) expect(s.stderr()).toContain("TLS certificate check failed; will retry");
      expect(s.stderr()).not.toMatch(/^\s+at /m);
      expect((await fetch(`http://127.0.0.1:${s.port}/healthz`)).ok).toBe(true); // still alive after the failure
    } finally {
      await s.stop();
    }
  }

  const answers: [string, (req: Request) => Response, boolean][] = [
    ["random bytes", () => new Response(garbage.bytes(512)), true],
    ["HTML", () => new Response("<html>captive portal</html>", { headers: { "content-type": "text/html" } }), true],
    ["a JSON directory without the fields", () => Response.json({ hello: [1, 2, 3] }), true],
    ["a JSON directory whose URLs point nowhere", () => Response.json({ newNonce: "http://127.0.0.1:1/n", newAccount: "http://127.0.0.1:1/a", newOrder: "http://127.0.0.1:1/o" }), false],
    ["500", () => new Response("boom", { status: 500 }), false],
  ];
  test.each(answers)("a directory answering %s", async (_label, answer, failsFast) => {
    const garbage = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: answer });
    try {
      await staysUp(await dataDir(), `http://127.0.0.1:${garbage.port}/directory`, failsFast);
    } finally {
      garbage.stop(true);
    }
  }, 40_000);

  test("a directory that is down", async () => {
    await staysUp(await dataDir(), `http://127.0.0.1:${freePort()}/directory`, false);
  }, 40_000);

  test("a damaged stored ACME certificate is replaced by a new order, not a crash", async () => {
    const data = await dataDir();
    const f = acmeFiles(data);
    mkdirSync(f.dir, { recursive: true, mode: 0o700 });
    writeFileSync(f.cert, "-----BEGIN CERTIFICATE-----\ngarbage\n-----END CERTIFICATE-----\n", { mode: 0o600 });
    writeFileSync(f.key, "garbage", { mode: 0o600 });
    const s = await serveUntilUp(data, acme(`http://127.0.0.1:${freePort()}/directory`));
    try {
      expect(s.up).toBe(true);
      expect(s.stderr()).toContain("the stored ACME certificate or key is damaged");
    } finally {
      await s.stop();
    }
  }, 40_000);
});
