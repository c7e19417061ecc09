// Fuzz: random byte strings and random msgpack values thrown at the WebSocket, then a
// normal client must still be served. Count: HEARTH_FUZZ_COUNT (default 100,000), split
// between byte strings (each on a fresh socket: a non-msgpack frame ends its connection
// by design) and msgpack values (batched over a few authenticated sockets; a batch ends
// with a ping, and its pong proves every earlier frame was handled). A second test throws
// msgpack length bombs of every type at a server PROCESS before and after hello and
// bounds its RSS. Seeded: the seed is printed; HEARTH_SEED=<n> replays the same values
// (socket interleavings may still differ).
import { expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { decodeServerFrame, encode } from "../src/protocol/codec.ts";
import { PROTOCOL_VERSION } from "../src/protocol/version.ts";
import { connectClient, createTestUser, probeModule, RawSocket, startServerProcess, startTestServer, until } from "./support/harness.ts";
import { lengthBombs } from "./support/msgpack-bombs.ts";
import { seededRng } from "./support/seed.ts";

const COUNT = Number(process.env.HEARTH_FUZZ_COUNT ?? 100_000);
const BYTES_SHARE = 0.2;
const BATCH = 500;
const BYTE_WORKERS = 12;
const VALUE_WORKERS = 4;
const BATCHES_PER_SOCKET = 10;

const rng = seededRng("ws fuzz");
const rnd = rng.int;
const pick = rng.pick;
const METHODS = ["probe.echo", "probe.fail", "probe.crash", "me.get", "session.list", "nope.nothing", "", "x".repeat(70)];
const FRAME_TYPES = ["req", "req", "req", "ack", "ping", "hello", "welcome", "res", "bye", "", "REQ"];

function randomValue(depth = 0): unknown {
  switch (rnd(depth > 2 ? 8 : 11)) {
    case 0: return null;
    case 1: return rng() < 0.5;
    case 2: return rnd(2 ** 31) * (rng() < 0.5 ? -1 : 1);
    case 3: return rng() * 1e12;
    case 4: return pick([0, -1, 2 ** 53, 2 ** 64, Number.MAX_SAFE_INTEGER, -0, 1.5]);
    case 5: return String.fromCharCode(...Array.from({ length: rnd(40) }, () => rnd(0xd7ff)));
    case 6: return rng.bytes(rnd(64));
    case 7: return pick(["t", "id", "__proto__x", "constructor", "params", ""]);
    case 8: return Array.from({ length: rnd(6) }, () => randomValue(depth + 1));
    default: return Object.fromEntries(Array.from({ length: rnd(6) }, () => [pick(["t", "id", "v", "x", String(rnd(100)), "method", "params"]), randomValue(depth + 1)]));
  }
}

/** A frame-shaped map with random fields: never fatal by design (at worst bad_request). */
function randomFrame(): unknown {
  if (rng() < 0.05) return Object.assign({}, randomValue(3), { t: pick(FRAME_TYPES.filter((x) => x !== "hello")) });
  const f: Record<string, unknown> = { t: pick(FRAME_TYPES) };
  if (f.t === "hello") f.t = "ping"; // a second hello ends the socket: that one is sent as a fatal frame
  if (rng() < 0.9) f.id = rng() < 0.8 ? rnd(1e6) : randomValue();
  if (rng() < 0.9) f.method = rng() < 0.8 ? pick(METHODS) : randomValue();
  if (rng() < 0.8) f.params = rng() < 0.5 ? { value: randomValue() } : randomValue();
  if (rng() < 0.2) f.lastEventId = rng() < 0.5 ? rnd(100) : randomValue();
  return f;
}

/** What ends a socket by design: a msgpack value that is not a map, or a second hello. */
function fatalValue(): unknown {
  if (rng() < 0.2) return { t: "hello", v: PROTOCOL_VERSION, token: "x" };
  let v = randomValue(2);
  while (typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array)) v = randomValue(2);
  return v;
}

/** One socket that sends `data` once open; resolves when it closed. */
function throwAt(url: string, data: Uint8Array): Promise<void> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url);
    ws.onopen = () => ws.send(data);
    ws.onclose = () => resolve();
  });
}

/** An authenticated socket that sends batches, each confirmed by a pong. */
class FuzzSocket {
  private waiting: ((ok: boolean) => void) | null = null;
  closed = false;
  constructor(readonly ws: WebSocket) {
    ws.onmessage = (m) => {
      const r = decodeServerFrame(new Uint8Array(m.data as ArrayBuffer));
      if (r.ok && (r.frame.t === "pong" || r.frame.t === "welcome")) this.release(true);
    };
    ws.onclose = () => {
      this.closed = true;
      this.release(false);
    };
  }

  static async open(url: string, token: string): Promise<FuzzSocket> {
    const ws = new WebSocket(url);
    ws.binaryType = "arraybuffer";
    const s = new FuzzSocket(ws);
    const welcomed = s.wait();
    await new Promise((r) => (ws.onopen = r));
    ws.send(encode({ t: "hello", v: PROTOCOL_VERSION, token }));
    if (!(await welcomed)) throw new Error("fuzz socket refused");
    return s;
  }

  /** Sends the frames and a ping; true once the pong came (so every frame was handled). */
  batch(frames: unknown[]): Promise<boolean> {
    const done = this.wait();
    for (const f of frames) this.ws.send(encode(f));
    this.ws.send(encode({ t: "ping" }));
    return done;
  }

  private wait(): Promise<boolean> {
    return new Promise((r) => (this.waiting = r));
  }

  private release(ok: boolean): void {
    const w = this.waiting;
    this.waiting = null;
    w?.(ok);
  }
}

test(`fuzz: ${COUNT} random byte strings and msgpack values, then normal clients are still served`, async () => {
  const t = await startTestServer({
    modules: (d) => [probeModule(d)],
    set: ["protocol.requestsPerSecondPerConnection=1000000", "protocol.requestsPerSecondPerUser=1000000"],
  });
  const user = await createTestUser(t);
  const started = performance.now();
  const bytesTotal = Math.floor(COUNT * BYTES_SHARE);
  let bytesSent = 0;
  let valuesSent = 0;
  let reconnects = 0;

  const byteWorker = async () => {
    while (bytesSent < bytesTotal) {
      bytesSent++;
      const junk = rng.bytes(rnd(300));
      await throwAt(t.wsUrl, junk);
    }
  };

  let unexpectedCloses = 0;
  const valueWorker = async (quota: number) => {
    let sent = 0;
    while (sent < quota) {
      reconnects++;
      const sock = await FuzzSocket.open(t.wsUrl, user.accessToken);
      for (let b = 0; b < BATCHES_PER_SOCKET && sent < quota; b++) {
        const n = Math.min(BATCH, quota - sent);
        sent += n;
        if (!(await sock.batch(Array.from({ length: n }, randomFrame)))) {
          unexpectedCloses++; // a map must never end the connection
          break;
        }
      }
      if (sock.closed) continue;
      // ends the socket by design: a non-map value, a second hello, or (after hello) random
      // bytes — unless those happen to form a valid map; then the ping still gets its pong
      sock.ws.send(rng() < 0.5 ? encode(fatalValue()) : rng.bytes(1 + rnd(300)));
      sent++;
      if (await sock.batch([])) sock.ws.close();
      await until(() => sock.closed, 10_000, "socket closed");
    }
    valuesSent += sent;
  };

  const valuesTotal = COUNT - bytesTotal;
  await Promise.all([
    ...Array.from({ length: BYTE_WORKERS }, byteWorker),
    ...Array.from({ length: VALUE_WORKERS }, (_, i) => valueWorker(Math.floor(valuesTotal / VALUE_WORKERS) + (i === 0 ? valuesTotal % VALUE_WORKERS : 0))),
  ]);
  const seconds = (performance.now() - started) / 1000;
  console.log(`fuzz: ${bytesSent} byte strings + ${valuesSent} msgpack values in ${seconds.toFixed(1)} s, ${reconnects} value sockets`);
  expect(bytesSent + valuesSent).toBeGreaterThanOrEqual(COUNT);
  expect(unexpectedCloses).toBe(0);
  const framesIn = Number(/^hearth_ws_frames_in_total (\d+)/m.exec(t.deps.metrics.render())?.[1] ?? 0);
  expect(framesIn).toBeGreaterThanOrEqual(COUNT); // the server really handled each one

  // the server still serves: a fresh client connects, calls, and receives events
  const c = await connectClient(t, user);
  expect(await c.request("probe.echo", { value: "still here" })).toBe("still here");
  const seen: number[] = [];
  c.on("probe.happened", (_d, e) => seen.push(e.id));
  await c.request("probe.emit", { count: 3 });
  await until(() => seen.length === 3, 5000, "events after fuzz");
  c.close();
  await until(() => t.ws.hub.size === 0, 5000, "every fuzz socket released");
  await t.stop();
}, 120_000);

const BOMB_ROUNDS = Number(process.env.HEARTH_FUZZ_BOMB_ROUNDS ?? 20);
const RSS_GROWTH_MB_MAX = 300; // generous: without the header walk, 25 array32 bombs alone grew RSS by ~1.1 GB

const LENGTH_HEADS = [0xdc, 0xdd, 0xde, 0xdf, 0xd9, 0xda, 0xdb, 0xc4, 0xc5, 0xc6, 0xc7, 0xc8, 0xc9] as const;
const lenBytes = (h: number) => ([0xdc, 0xde, 0xda, 0xc5, 0xc8].includes(h) ? 2 : [0xd9, 0xc4, 0xc7].includes(h) ? 1 : 4);

/** A random header of a length-carrying type declaring a large length, with a short random body. */
function randomBomb(): Uint8Array {
  const h = pick(LENGTH_HEADS);
  const n = lenBytes(h);
  const len = n === 1 ? 128 + rnd(128) : n === 2 ? 1024 + rnd(64_512) : 65_536 + rnd(2 ** 32 - 65_536);
  const header = [h, ...Array.from({ length: n }, (_, i) => Math.floor(len / 256 ** (n - 1 - i)) % 256)];
  if (h >= 0xc7 && h <= 0xc9) header.push(rnd(256)); // ext type
  const bomb = [...header, ...rng.bytes(rnd(16))];
  // bare, or where a real field would be: a frame map whose last value is the bomb
  if (rng() < 0.5) return new Uint8Array(bomb);
  const prefix = encodeTrunc({ t: pick(["hello", "req", "ack"]), id: rnd(100), v: 1, token: "x" });
  return new Uint8Array([0x80 | (prefix.count + 1), ...prefix.bytes, 0xa1, 0x7a, ...bomb]);
}

/** A fixmap's entries without its header, so one more entry can follow. */
function encodeTrunc(m: Record<string, unknown>): { count: number; bytes: Uint8Array } {
  const full = encode(m);
  return { count: Object.keys(m).length, bytes: full.subarray(1) };
}

const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0) / 1024;

test(`fuzz: length bombs of every msgpack type (${lengthBombs.length} fixed kinds + ${BOMB_ROUNDS} random rounds), before and after hello, keep a server process's RSS bounded`, async () => {
  const dir = mkdtempSync(join(tmpdir(), "hearth-bombs-"));
  const p = await startServerProcess(dir, { args: ["--set", "accounts.registration=open"] });
  try {
    const user = await createTestUser(p);
    const warm = await RawSocket.hello(p.wsUrl, user.accessToken); // load the WS path before the baseline
    warm.ws.close();
    const before = rssMb(p.proc.pid);

    // the review's reproduction: 25 array32 frames on unauthenticated sockets at once
    const idle = await Promise.all(Array.from({ length: 25 }, () => RawSocket.open(p.wsUrl)));
    for (const s of idle) s.send(new Uint8Array([0xdd, 0x00, 0xff, 0xff, 0xff]));
    const closes = await Promise.all(idle.map((s) => s.closed));
    expect(new Set(closes.map((c) => c.code))).toEqual(new Set([4000]));

    let sent = 0;
    const throwOne = async (bytes: Uint8Array, afterHello: boolean) => {
      const s = afterHello ? await RawSocket.hello(p.wsUrl, user.accessToken) : await RawSocket.open(p.wsUrl);
      s.send(bytes);
      const c = await s.closed;
      sent++;
      if (c.code !== 4000) throw new Error(`bomb ${Buffer.from(bytes.subarray(0, 24)).toString("hex")} closed with ${c.code}`);
    };
    const jobs: [Uint8Array, boolean][] = [];
    for (let r = 0; r < BOMB_ROUNDS; r++) {
      for (const [, bytes] of lengthBombs) jobs.push([bytes, r % 2 === 1]);
      for (let i = 0; i < 20; i++) jobs.push([randomBomb(), rng() < 0.5]);
    }
    const worker = async () => {
      for (let job = jobs.pop(); job; job = jobs.pop()) await throwOne(job[0], job[1]);
    };
    await Promise.all(Array.from({ length: 8 }, worker));

    const after = rssMb(p.proc.pid);
    console.log(`length bombs: ${sent + 25} frames; server RSS ${before.toFixed(0)} MB -> ${after.toFixed(0)} MB (ceiling: +${RSS_GROWTH_MB_MAX} MB)`);
    expect(after - before).toBeLessThan(RSS_GROWTH_MB_MAX);

    const s = await RawSocket.hello(p.wsUrl, user.accessToken);
    expect(await s.request("me.get")).toMatchObject({ result: { id: user.userId } });
    s.ws.close();
  } finally {
    await p.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}, 120_000);
