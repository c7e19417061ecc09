// HTTP edge fuzz: random and malformed requests through raw TCP and TLS sockets against
// a real `hearth serve` process with TLS on (the default local CA), on both listeners.
// Requests go pipelined on keep-alive connections (that is what makes 100,000 of them
// fast), each batch possibly ending in one that may end the connection (garbage request
// lines, broken framing, oversized heads, HTTP/1.0, upgrades), and now and then a
// connection is dropped half-way through a request. Asserted: the process stays up and
// logs no unhandled error, every answer parses as HTTP (status line, header lines,
// framing: one response per request, in order), a connection closes only after an
// answer that says so or a request that earns it, and RSS stays under a generous ceiling.
// Seeded: prints its seed; HEARTH_SEED=<n> replays one; HEARTH_FUZZ_REQUESTS scales it.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { exchange, parseResponses, spawnServer, type ServerProcess, type Target } from "./support/raw-http.ts";
import { rngFrom, testSeed } from "./support/seed.ts";

const SEED = testSeed("http fuzz");
const REQUESTS = Number(process.env.HEARTH_FUZZ_REQUESTS ?? 100_000);
const CONNECTIONS_PER_LISTENER = 6;
const RSS_CEILING_BYTES = 768 * 1024 * 1024;

function rng(seed: number) {
  const next = rngFrom(seed);
  return { next, int: next.int, chance: (p: number) => next() < p, pick: next.pick };
}
type Rng = ReturnType<typeof rng>;

const PATHS = [
  "/", "/healthz", "/readyz", "/metrics", "/api/auth/info", "/api/auth/login", "/api/auth/register", "/api/auth/claim",
  "/api/auth/refresh", "/api/auth/logout", "/api/nothing", "/api", "/ws", "/trust", "/ca.crt", "/ca.pem",
  "/.well-known/acme-challenge/abc", "/.well-known/acme-challenge/", "/assets/index.js", "/index.html", "/sw.js",
  "/manifest.webmanifest", "/%2e%2e/%2e%2e/etc/passwd", "/..%2f..%2fetc", "/%ff%fe", "/%", "/%00", "//double//slash",
  "/a?b=c&d", "/healthz?x=1#frag", "/chats/01HZX", "/claim#token", "/api/auth/login/", "/API/AUTH/LOGIN", "/ws?token=x",
];
const HOSTS = [
  "127.0.0.1", "localhost", "192.0.2.2", "hearth.local", "[::1]", "[::1]:8080", "", "a b", "x:99999", "[::1", "evil/foo?",
  "evil#x", "%41", "a..b", "-", ".", "1.2.3.4.5", "127.0.0.1:0", "0x7f.1", "ünï.local", "x".repeat(300), "evil.example:443",
];
const HEADER_NAMES = [
  "Accept", "Accept-Language", "User-Agent", "Cookie", "Authorization", "X-Forwarded-For", "X-Real-IP", "X-Request-Id",
  "Origin", "Referer", "Content-Language", "Cache-Control", "If-None-Match", "Range", "X-A", "x-b", "Sec-Fetch-Mode", "DNT",
];
const HEADER_VALUES = [
  "text/html", "*/*", "en-US,en;q=0.9", "de", "zz-ZZ;q=0", "Bearer x.y.z", "Bearer ", "1.2.3.4", "::1", "127.0.0.1, 10.0.0.1",
  "garbage, , ,", "01ABC", "\x7f", "bytes=0-10", "bytes=99999999-", "null", "https://evil.example", "", " padded ",
];
const CONTENT_TYPES = [
  "application/json", "application/json; charset=utf-8", "text/plain", "text/plain;charset=UTF-8", "multipart/form-data; boundary=x",
  "application/x-www-form-urlencoded", "application/json; charset=latin1", "APPLICATION/JSON", "application/jsonx", "", ";;;",
];
const METHODS = ["GET", "GET", "GET", "GET", "POST", "POST", "POST", "HEAD", "PUT", "DELETE", "OPTIONS", "PATCH"];

const printable = (r: Rng, n: number) => {
  let s = "";
  for (let i = 0; i < n; i++) s += String.fromCharCode(0x20 + r.int(95));
  return s;
};

const FAST_PATHS = PATHS.filter((p) => !isSlow(p));
const SLOW_PATHS = PATHS.filter(isSlow);

function randomPath(r: Rng, slow: boolean): string {
  if (slow) return r.pick(SLOW_PATHS);
  if (r.chance(0.85)) return r.pick(FAST_PATHS);
  if (r.chance(0.5)) return `/${printable(r, r.int(40)).replace(/[ #?]/g, "_")}`;
  return `/${"a".repeat(r.int(4000))}?${"q=1&".repeat(r.int(200))}`;
}

function randomBody(r: Rng): string {
  const kind = r.int(6);
  if (kind === 0) return "";
  if (kind === 1) return "{";
  if (kind === 2) return JSON.stringify({ username: printable(r, r.int(10)), password: 7, deviceName: [] });
  if (kind === 3) return "--x\r\nContent-Disposition: form-data; name=\"username\"\r\n\r\nalice\r\n--x--\r\n";
  if (kind === 4) return printable(r, r.int(r.chance(0.05) ? 70_000 : 2000));
  return JSON.stringify(Array.from({ length: r.int(50) }, () => printable(r, 8)));
}

interface Req {
  bytes: string;
  method: string;
  /** May the server close the connection after (or instead of) answering this one? */
  mayClose: boolean;
  /** Switches protocols when accepted (a WebSocket upgrade). */
  upgrade?: boolean;
  /** Answered after a timer or I/O, not synchronously: nothing may be pipelined behind it (see below). */
  slow?: boolean;
  /** May be answered with a streamed file (the web client), which is pending the same way. */
  pendable?: boolean;
  /**
   * A head over Bun's limit: Bun answers 431 and closes, and the requests pipelined just
   * before it in the same read may go unanswered (seen on TLS, where they arrive together).
   */
  oversized?: boolean;
}

// Bun 1.4.4 (uWS "denying async pipelining") closes a connection, with nothing written,
// when a pipelined request arrives while the response before it is still pending past a
// microtask (oven-sh/bun#33664 and follow-ups). Browsers never pipeline. The fuzz keeps
// the requests that are always answered late (storage writes, password hashing) last in
// their batch, and accepts that close only at a request that may be answered late (those,
// or a web client file, which Bun streams); any other close without an answer that says
// so is a failure.
function isSlow(path: string): boolean {
  return path.startsWith("/readyz") || path.toLowerCase().startsWith("/api/auth");
}
const SYNC_PREFIXES = ["/api", "/healthz", "/metrics", "/ca.crt", "/ca.pem", "/trust", "/.well-known/"];
const mayServeFile = (method: string, path: string) => (method === "GET" || method === "HEAD") && !SYNC_PREFIXES.some((p) => path.startsWith(p));

/** A request with sound framing (one answer, the connection stays open), random in everything else. */
function framedRequest(r: Rng, port: number, slow = false): Req {
  const method = r.pick(METHODS);
  const headers: string[] = [];
  if (!r.chance(0.05)) headers.push(`Host: ${r.chance(0.6) ? `127.0.0.1:${port}` : r.pick(HOSTS)}`);
  else if (r.chance(0.5)) headers.push("Host: 127.0.0.1", "Host: evil.example"); // two Hosts
  const count = r.chance(0.1) ? r.int(60) : r.int(6);
  for (let i = 0; i < count; i++) {
    const name = r.chance(0.8) ? r.pick(HEADER_NAMES) : `X-${printable(r, 1 + r.int(12)).replace(/[^A-Za-z0-9-]/g, "z")}`;
    const value = r.chance(0.9) ? r.pick(HEADER_VALUES) : printable(r, r.chance(0.1) ? r.int(6000) : r.int(100));
    headers.push(`${name}: ${value}`);
  }
  let body = "";
  if (method !== "GET" && method !== "HEAD" ? r.chance(0.8) : r.chance(0.05)) {
    body = randomBody(r);
    if (r.chance(0.9)) headers.push(`Content-Type: ${r.pick(CONTENT_TYPES)}`);
    if (r.chance(0.2)) {
      headers.push("Transfer-Encoding: chunked");
      body = chunked(r, body);
    } else headers.push(`Content-Length: ${Buffer.byteLength(body, "latin1")}`);
  }
  const http10 = r.chance(0.03);
  const close = r.chance(0.02);
  if (close) headers.push("Connection: close");
  const path = randomPath(r, slow);
  const head = `${method} ${path} HTTP/1.${http10 ? 0 : 1}\r\n${headers.join("\r\n")}${headers.length ? "\r\n" : ""}\r\n`;
  // A missing Host on 1.1 is refused by Bun with a close; big heads get 431 + close.
  const big = head.length > 8000;
  const hostless = !headers.some((h) => h.startsWith("Host:"));
  return { bytes: head + body, method, mayClose: http10 || close || big || hostless, oversized: big, slow: isSlow(path), pendable: isSlow(path) || mayServeFile(method, path) };
}

function chunked(r: Rng, body: string): string {
  let out = "";
  for (let at = 0; at < body.length; ) {
    const n = Math.min(body.length - at, 1 + r.int(3000));
    out += `${n.toString(16)}${r.chance(0.1) ? ";ext=1" : ""}\r\n${body.slice(at, at + n)}\r\n`;
    at += n;
  }
  return `${out}0\r\n\r\n`;
}

/** Requests whose framing is broken or that end the exchange: only ever last in a batch. */
function endingRequest(r: Rng, port: number): Req {
  const host = `Host: 127.0.0.1:${port}`;
  const garbage = [
    () => `${printable(r, 1 + r.int(200))}\r\n\r\n`,
    () => `GET / HTTP/9.9\r\n${host}\r\n\r\n`,
    () => `GET  / HTTP/1.1\r\n${host}\r\n\r\n`,
    () => `GET /\r\n${host}\r\n\r\n`,
    () => `GET / HTTP/1.1\n${host}\n\n`,
    () => `GET / HTTP/1.1\r\n${host}\r\nNoColonHere\r\n\r\n`,
    () => `GET / HTTP/1.1\r\n${host}\r\nBad Name: x\r\n\r\n`,
    () => `GET / HTTP/1.1\r\n${host}\r\nX-Fold: a\r\n  continued\r\n\r\n`,
    () => `GET / HTTP/1.1\r\n${host}\r\nX-Nul: a\0b\r\n\r\n`,
    () => `POST /api/auth/login HTTP/1.1\r\n${host}\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`,
    () => `POST /api/auth/login HTTP/1.1\r\n${host}\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!`,
    () => `POST /api/auth/login HTTP/1.1\r\n${host}\r\nContent-Length: -1\r\n\r\n`,
    () => `POST /api/auth/login HTTP/1.1\r\n${host}\r\nContent-Length: abc\r\n\r\n`,
    () => `POST /api/auth/login HTTP/1.1\r\n${host}\r\nContent-Length: 99999999999999999999999\r\n\r\n`,
    () => `POST /api/auth/login HTTP/1.1\r\n${host}\r\nContent-Type: application/json\r\nContent-Length: ${2 * 1024 * 1024 + r.int(1e9)}\r\n\r\n{`,
    () => `POST / HTTP/1.1\r\n${host}\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n`,
    () => `POST / HTTP/1.1\r\n${host}\r\nTransfer-Encoding: gzip, chunked, identity\r\n\r\n0\r\n\r\n`,
    () => `GET / HTTP/1.1\r\n\r\n`,
    () => `GET /${"x".repeat(100_000)} HTTP/1.1\r\n${host}\r\n\r\n`,
    () => `GET / HTTP/1.1\r\n${host}\r\nX-Big: ${"y".repeat(100_000)}\r\n\r\n`,
    () => `GET / HTTP/1.1\r\n${host}\r\n${"X-Many: 1\r\n".repeat(1000)}\r\n`,
    () => `get / HTTP/1.1\r\n${host}\r\n\r\n`,
    () => `G@T / HTTP/1.1\r\n${host}\r\n\r\n`,
    () => `GET noslash HTTP/1.1\r\n${host}\r\n\r\n`,
    () => `GET http://evil.example/x HTTP/1.1\r\n${host}\r\n\r\n`,
    () => `CONNECT evil.example:443 HTTP/1.1\r\n${host}\r\n\r\n`,
    () => `OPTIONS * HTTP/1.1\r\n${host}\r\n\r\n`,
    () => "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n",
    () => `GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n`,
    () => `GET /healthz HTTP/1.1\r\n${host}\r\nExpect: 100-continue\r\nContent-Length: 0\r\n\r\n`,
    () => `GET /ws HTTP/1.1\r\n${host}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: ${r.chance(0.5) ? "dGhlIHNhbXBsZSBub25jZQ==" : "bad"}\r\n\r\n`,
    () => `GET /api/auth/info HTTP/1.1\r\n${host}\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n`,
  ];
  const i = r.int(garbage.length);
  const bytes = garbage[i]!();
  const method = /^[A-Za-z@]+/.exec(bytes)?.[0] ?? "?";
  const headBytes = bytes.indexOf("\r\n\r\n") < 0 ? bytes.length : bytes.indexOf("\r\n\r\n");
  return { bytes, method, mayClose: true, upgrade: bytes.includes("Upgrade: websocket"), oversized: headBytes > 8000 };
}

let dumped = false; // HEARTH_FUZZ_DUMP=<file> keeps the first failing batch whole, for replay

interface Stats {
  requests: number;
  batches: number;
  dropped: number;
  pipeliningCloses: number;
  earlyCloses: number;
  firstEarlyClose?: string;
  statuses: Map<number, number>;
}

function describeBatch(reqs: Req[]): string {
  return reqs.map((q) => JSON.stringify(q.bytes.length > 300 ? `${q.bytes.slice(0, 300)}…(${q.bytes.length} bytes)` : q.bytes)).join("\n");
}

/** One connection's worth: a batch, pipelined; checks the answers; returns how many requests the server took. */
async function runBatch(r: Rng, target: Target, stats: Stats): Promise<void> {
  const reqs: Req[] = Array.from({ length: 1 + r.int(48) }, () => framedRequest(r, target.port));
  const tail = r.int(10);
  if (tail < 3) reqs.push(endingRequest(r, target.port));
  else if (tail < 6) reqs.push(framedRequest(r, target.port, true));
  // Stop at the first request after which the server may close (later ones may never be
  // read) or that is answered late (see isSlow).
  const cut = reqs.findIndex((q) => q.mayClose || q.slow);
  const batch = cut < 0 ? reqs : reqs.slice(0, cut + 1);
  const methods = batch.map((q) => q.method);
  const wire = batch.map((q) => q.bytes).join("");
  if (r.chance(0.01)) {
    // dropped half-way: the server must simply let go
    await exchange(target, wire.slice(0, r.int(wire.length)), () => true, 2000);
    stats.dropped++;
    return;
  }
  const enough = (got: Buffer) => {
    const p = parseResponses(got, methods, false);
    return p.error !== null || p.responses.length >= batch.length || p.responses.at(-1)?.status === 101;
  };
  const { got, closedByServer, timedOut } = await exchange(target, wire, enough, 15_000);
  const parsed = parseResponses(got, methods, closedByServer);
  const context = () => {
    if (process.env.HEARTH_FUZZ_DUMP && !dumped) Bun.write(process.env.HEARTH_FUZZ_DUMP, JSON.stringify({ tls: target.tls, methods, wire }));
    dumped = true;
    return contextText();
  };
  const contextText = () => `seed=${SEED} ${target.tls ? "https" : "plain"} batch:\n${describeBatch(batch)}\n--- got:\n${JSON.stringify(got.toString("latin1").slice(0, 2000))}`;
  if (parsed.error) throw new Error(`malformed answer (${parsed.error}); ${context()}`);
  const n = parsed.responses.length;
  const last = parsed.responses.at(-1);
  if (n < batch.length) {
    // Fewer answers than requests: after an answer that says close, at a request that earns
    // one, or at Bun's pipelining closes (see isSlow). Bun also, rarely and only under load,
    // closes a TLS connection with complete requests pipelined behind sync answers (not
    // reproducible on replay): counted, bounded below, and never an unanswered crash.
    const closer = batch[n - 1];
    const said = last && (last.headers.get("connection")?.toLowerCase() === "close" || last.status === 101);
    const silent = batch[n]?.mayClose === true; // the next one was refused without an answer
    const pending = batch[n]?.pendable === true && closedByServer && !timedOut;
    const swallowed = batch.at(-1)?.oversized === true && closedByServer && !timedOut;
    if (timedOut && !said) throw new Error(`no answer within 15 s after ${n}/${batch.length}; ${context()}`);
    if (parsed.rest !== 0 && last?.status !== 101) throw new Error(`bytes after the last answer; ${context()}`);
    stats.requests += n + (silent ? 1 : 0);
    if (!said && !silent && (pending || swallowed)) stats.pipeliningCloses++;
    else if (!said && !silent && !(closer?.mayClose && closedByServer)) {
      stats.earlyCloses++;
      stats.firstEarlyClose ??= `after ${n}/${batch.length} answers; ${contextText()}`;
    }
  } else {
    stats.requests += batch.length;
  }
  for (const res of parsed.responses) stats.statuses.set(res.status, (stats.statuses.get(res.status) ?? 0) + 1);
  stats.batches++;
}

let server: ServerProcess;
beforeAll(async () => {
  server = await spawnServer();
});
afterAll(async () => {
  await server?.stop();
});

test(`HTTP edge fuzz: ${REQUESTS} random and malformed requests over both listeners, TLS on`, async () => {
  const rssBefore = server.rss();
  const started = performance.now();
  const perListener = Math.ceil(REQUESTS / 2);
  const results = await Promise.all(
    [{ port: server.plainPort, tls: false }, { port: server.httpsPort, tls: true }].map(async (target, li) => {
      const stats: Stats = { requests: 0, batches: 0, dropped: 0, pipeliningCloses: 0, earlyCloses: 0, statuses: new Map() };
      await Promise.all(
        Array.from({ length: CONNECTIONS_PER_LISTENER }, async (_, ci) => {
          const r = rng(SEED + 7919 * (li * CONNECTIONS_PER_LISTENER + ci + 1));
          while (stats.requests < perListener) {
            try {
              await runBatch(r, target, stats);
            } catch (err) {
              if (!server.alive()) throw new Error(`the server process ended (seed=${SEED}); last error: ${String(err).slice(0, 2000)}`);
              throw err;
            }
            if (!server.alive()) throw new Error(`the server process ended; seed=${SEED}`);
          }
        }),
      );
      return { target, stats };
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const total = results.reduce((n, x) => n + x.stats.requests, 0);
  const rssAfter = server.rss();
  for (const { target, stats } of results) {
    const statuses = [...stats.statuses.entries()].sort(([a], [b]) => a - b).map(([s, n]) => `${s}:${n}`).join(" ");
    console.log(`  ${target.tls ? "https" : "plain"}: ${stats.requests} requests in ${stats.batches} connections (+${stats.dropped} dropped half-way, ${stats.pipeliningCloses} cut short by Bun's pipelining, ${stats.earlyCloses} closed early); statuses ${statuses}`);
  }
  console.log(`  ${total} requests in ${seconds.toFixed(1)} s (${Math.round(total / seconds)}/s); server RSS ${(rssBefore / 2 ** 20).toFixed(0)} → ${(rssAfter / 2 ** 20).toFixed(0)} MiB (ceiling ${RSS_CEILING_BYTES / 2 ** 20} MiB)`);

  expect(total).toBeGreaterThanOrEqual(REQUESTS);
  for (const { stats } of results) {
    if (stats.firstEarlyClose) console.log(`  first early close: ${stats.firstEarlyClose.slice(0, 3000)}`);
    expect(stats.earlyCloses).toBeLessThanOrEqual(Math.ceil(stats.batches / 200)); // ≤ 0.5 % of connections
  }
  expect(server.alive()).toBe(true);
  expect(rssAfter).toBeLessThan(RSS_CEILING_BYTES);
  for (const tls of [false, true]) {
    const res = await fetch(`${tls ? "https" : "http"}://127.0.0.1:${tls ? server.httpsPort : server.plainPort}/healthz`, { tls: { rejectUnauthorized: false } });
    expect(res.status).toBe(200);
  }
  const errors = server.logLines().filter((l) => l.includes('"level":"error"'));
  expect(errors).toEqual([]);
}, 300_000);
