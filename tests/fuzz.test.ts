// Fuzz: random byte strings and random msgpack values thrown at the WebSocket, then a
// normal client must still be served. Count: HEARTH_FUZZ_COUNT (default 100,000), split
// between byte strings (each on a fresh socket: a non-msgpack frame ends its connection
// by design) and msgpack values (batched over a few authenticated sockets; a batch ends
// with a ping, and its pong proves every earlier frame was handled).
import { expect, test } from "bun:test";
import { decodeServerFrame, encode } from "../src/protocol/codec.ts";
import { PROTOCOL_VERSION } from "../src/protocol/version.ts";
import { connectClient, createTestUser, probeModule, startTestServer, until } from "./harness.ts";

const COUNT = Number(process.env.HEARTH_FUZZ_COUNT ?? 100_000);
const BYTES_SHARE = 0.2;
const BATCH = 500;
const BYTE_WORKERS = 12;
const VALUE_WORKERS = 4;
const BATCHES_PER_SOCKET = 10;

const rnd = (n: number) => Math.floor(Math.random() * n);
const pick = <T>(xs: readonly T[]): T => xs[rnd(xs.length)]!;
const METHODS = ["probe.echo", "probe.fail", "probe.crash", "me.get", "session.list", "nope.nothing", "", "x".repeat(70)];
const FRAME_TYPES = ["req", "req", "req", "ack", "ping", "hello", "welcome", "res", "bye", "", "REQ"];

function randomValue(depth = 0): unknown {
  switch (rnd(depth > 2 ? 8 : 11)) {
    case 0: return null;
    case 1: return Math.random() < 0.5;
    case 2: return rnd(2 ** 31) * (Math.random() < 0.5 ? -1 : 1);
    case 3: return Math.random() * 1e12;
    case 4: return pick([0, -1, 2 ** 53, 2 ** 64, Number.MAX_SAFE_INTEGER, -0, 1.5]);
    case 5: return String.fromCharCode(...Array.from({ length: rnd(40) }, () => rnd(0xd7ff)));
    case 6: return crypto.getRandomValues(new Uint8Array(rnd(64)));
    case 7: return pick(["t", "id", "__proto__x", "constructor", "params", ""]);
    case 8: return Array.from({ length: rnd(6) }, () => randomValue(depth + 1));
    default: return Object.fromEntries(Array.from({ length: rnd(6) }, () => [pick(["t", "id", "v", "x", String(rnd(100)), "method", "params"]), randomValue(depth + 1)]));
  }
}

/** A frame-shaped map with random fields: never fatal by design (at worst bad_request). */
function randomFrame(): unknown {
  if (Math.random() < 0.05) return Object.assign({}, randomValue(3), { t: pick(FRAME_TYPES.filter((x) => x !== "hello")) });
  const f: Record<string, unknown> = { t: pick(FRAME_TYPES) };
  if (f.t === "hello") f.t = "ping"; // a second hello ends the socket: that one is sent as a fatal frame
  if (Math.random() < 0.9) f.id = Math.random() < 0.8 ? rnd(1e6) : randomValue();
  if (Math.random() < 0.9) f.method = Math.random() < 0.8 ? pick(METHODS) : randomValue();
  if (Math.random() < 0.8) f.params = Math.random() < 0.5 ? { value: randomValue() } : randomValue();
  if (Math.random() < 0.2) f.lastEventId = Math.random() < 0.5 ? rnd(100) : randomValue();
  return f;
}

/** What ends a socket by design: a msgpack value that is not a map, or a second hello. */
function fatalValue(): unknown {
  if (Math.random() < 0.2) return { t: "hello", v: PROTOCOL_VERSION, token: "x" };
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
      const junk = crypto.getRandomValues(new Uint8Array(rnd(300)));
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
      sock.ws.send(Math.random() < 0.5 ? encode(fatalValue()) : crypto.getRandomValues(new Uint8Array(1 + rnd(300))));
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
  expect(await c.call("probe.echo", { value: "still here" })).toBe("still here");
  const seen: number[] = [];
  c.on("probe.happened", (_d, e) => seen.push(e.id));
  await c.call("probe.emit", { count: 3 });
  await until(() => seen.length === 3, 5000, "events after fuzz");
  c.close();
  await until(() => t.ws.hub.size === 0, 5000, "every fuzz socket released");
  await t.stop();
}, 120_000);
