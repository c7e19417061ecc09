// Fan-out runs for bench/messaging.ts: one sender at a fixed offered rate into a group
// whose members sit in the load processes, against Hearth and against a raw Bun.serve
// publish server. Send time travels in the text ("b <epoch µs>").
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { encode, encodeClientFrame } from "../../src/protocol/codec.ts";
import { PROTOCOL_VERSION } from "../../src/protocol/version.ts";
import type { Fleet } from "./fleet.ts";
import type { Seeded } from "./seed.ts";

export interface FanOut {
  expected: number;
  delivered: number;
  deliveriesPerSec: number;
  p50Ms: number;
  p99Ms: number;
  cpuUsPerDelivery: number;
}

const TICK_US = 1_000_000 / 100; // /proc stat ticks (USER_HZ = 100 on Linux)
const nowUs = () => (performance.timeOrigin + performance.now()) * 1000;
const DRAIN_WAIT_MS_MAX = 60_000;
const STALL_MS = 3000; // no delivery for this long after sending stopped: the rest is not coming

export function cpuTicks(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return Number(fields[11]) + Number(fields[12]); // utime + stime
}

function openSocket(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.binaryType = "arraybuffer";
    ws.onopen = () => resolve(ws);
    ws.onerror = () => reject(new Error(`cannot open ${url}`));
  });
}

/** Sends count frames at `rate`/s on an absolute schedule (no drift), without waiting for answers. */
async function offer(rate: number, count: number, frame: (k: number) => Uint8Array, ws: WebSocket): Promise<number> {
  const start = nowUs();
  for (let k = 0; k < count; k++) {
    const due = start + (k * 1_000_000) / rate;
    const wait = (due - nowUs()) / 1000;
    if (wait > 0) await Bun.sleep(wait);
    ws.send(frame(k));
  }
  return start;
}

async function measure(fleet: Fleet, pid: number, expected: number, run: () => Promise<number>): Promise<FanOut> {
  await fleet.all({ cmd: "measure" });
  const cpu0 = cpuTicks(pid);
  const firstSendUs = await run();
  const deadline = Date.now() + DRAIN_WAIT_MS_MAX;
  let delivered = 0;
  let movedAt = Date.now();
  for (let last = -1; Date.now() < deadline && Date.now() - movedAt < STALL_MS; await Bun.sleep(50)) {
    delivered = (await fleet.all({ cmd: "count" })).reduce((n, r) => n + r.deliveries, 0);
    if (delivered >= expected) break;
    if (delivered !== last) movedAt = Date.now();
    last = delivered;
  }
  const cpu1 = cpuTicks(pid);
  const reports = await fleet.all({ cmd: "report" });
  const lat = new Float64Array(reports.flatMap((r) => r.lat)).sort();
  const lastAt = Math.max(...reports.map((r) => r.lastAt));
  const q = (p: number) => (lat.length ? lat[Math.min(lat.length - 1, Math.floor(p * lat.length))]! / 1000 : NaN);
  return {
    expected,
    delivered,
    deliveriesPerSec: (delivered / (lastAt - firstSendUs)) * 1_000_000,
    p50Ms: q(0.5),
    p99Ms: q(0.99),
    cpuUsPerDelivery: ((cpu1 - cpu0) * TICK_US) / Math.max(1, delivered),
  };
}

export async function fanOutHearth(fleet: Fleet, server: { wsUrl: string; proc: { pid: number } }, s: Seeded, o: { rate: number; seconds: number; receivers: number }) {
  const ws = await openSocket(server.wsUrl);
  await new Promise<void>((resolve) => {
    ws.onmessage = () => resolve(); // the welcome
    ws.send(encodeClientFrame({ t: "hello", v: PROTOCOL_VERSION, token: s.fanSenderToken }));
  });
  const count = o.rate * o.seconds;
  const frame = (k: number) =>
    encodeClientFrame({ t: "req", id: k + 1, method: "message.send", params: { chatId: s.groupId, clientId: `fan-${k}`, text: `b ${nowUs()}` } });
  try {
    return await measure(fleet, server.proc.pid, count * o.receivers, () => offer(o.rate, count, frame, ws));
  } finally {
    ws.close();
  }
}

/** A message.created shaped like Hearth's, so frames have a comparable size. */
const rawFrame = (k: number) =>
  encode({
    t: "events",
    events: [
      {
        id: k + 1,
        type: "message.created",
        at: Date.now(),
        data: {
          message: {
            id: "01KBENCH0000000000000000" + String(k).padStart(2, "0"),
            chatId: "01KBENCHCHAT00000000000000",
            seq: k + 1,
            senderId: "01KBENCHUSER00000000000000",
            clientId: `fan-${k}`,
            text: `b ${nowUs()}`,
            entities: [],
            replyToId: null,
            forward: null,
            silent: false,
            createdAt: Date.now(),
            editedAt: null,
            deletedAt: null,
          },
        },
      },
    ],
  });

async function firstLine(stream: ReadableStream<Uint8Array>): Promise<string> {
  const reader = stream.getReader();
  let text = "";
  while (!text.includes("\n")) {
    const { value, done } = await reader.read();
    if (done) break;
    text += new TextDecoder().decode(value);
  }
  reader.releaseLock();
  return text.split("\n")[0]!;
}

export async function fanOutRaw(fleet: Fleet, o: { rate: number; seconds: number; receivers: number }): Promise<FanOut> {
  const proc = Bun.spawn([process.execPath, join(import.meta.dir, "raw-server.ts")], { stdout: "pipe", stderr: "inherit" });
  try {
    const url = `ws://127.0.0.1:${Number(await firstLine(proc.stdout as ReadableStream<Uint8Array>))}`;
    const slots = Array.from({ length: o.receivers }, () => "");
    await fleet.split(slots, (part) => ({ cmd: "connect", url, tokens: part, hello: false }));
    const ws = await openSocket(url);
    const count = o.rate * o.seconds;
    try {
      return await measure(fleet, proc.pid, count * o.receivers, () => offer(o.rate, count, rawFrame, ws));
    } finally {
      ws.close();
      await fleet.all({ cmd: "close" });
    }
  } finally {
    proc.kill();
    await proc.exited;
  }
}
