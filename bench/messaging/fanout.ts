// Fan-out runs for bench/messaging.ts: one sender at a fixed offered rate into a group
// whose members sit in the load processes, against Hearth and against a raw Bun.serve
// publish server. Send time travels in the text ("b <epoch µs>").
// Under overload the server acknowledges late and delivers in bursts, so the run counts
// the answers to its sends, waits (up to DRAIN_WAIT_MS_MAX) until every acknowledged
// message reached every receiver, and reports the longest pause between deliveries —
// a bench that stops at the first quiet second reports a server that stalls as one that
// drops.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { decodeServerFrame, encode, encodeClientFrame } from "../../src/protocol/codec.ts";
import { PROTOCOL_VERSION } from "../../src/protocol/version.ts";
import type { Fleet } from "./fleet.ts";
import type { Seeded } from "./seed.ts";

export interface FanOut {
  offered: number;
  acked: number;
  refused: number;
  expected: number; // acked × receivers
  delivered: number;
  stallMsMax: number; // longest gap between deliveries seen by a load process, first to last
  deliveriesPerSec: number;
  p50Ms: number;
  p99Ms: number;
  cpuUsPerDelivery: number;
}

const TICK_US = 1_000_000 / 100; // /proc stat ticks (USER_HZ = 100 on Linux)
const nowUs = () => (performance.timeOrigin + performance.now()) * 1000;
const DRAIN_WAIT_MS_MAX = 120_000; // after the last answer: longer than any stall seen so far

export function cpuTicks(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return Number(fields[11]) + Number(fields[12]); // utime + stime
}

export function openSocket(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.binaryType = "arraybuffer";
    ws.onopen = () => resolve(ws);
    ws.onerror = () => reject(new Error(`cannot open ${url}`));
  });
}

/** Answers to the sender's requests: acknowledged (a result) or refused (an error). */
interface Answers {
  acked: number;
  refused: number;
  codes: Map<string, number>;
}

function countAnswers(ws: WebSocket): Answers {
  const a: Answers = { acked: 0, refused: 0, codes: new Map() };
  ws.onmessage = (m) => {
    const r = decodeServerFrame(new Uint8Array(m.data as ArrayBuffer));
    if (!r.ok || r.frame.t !== "res") return;
    const f = r.frame;
    if ("error" in f) {
      a.refused++;
      a.codes.set(f.error.code, (a.codes.get(f.error.code) ?? 0) + 1);
    } else a.acked++;
  };
  return a;
}

async function allAnswered(a: Answers, count: number): Promise<void> {
  const deadline = Date.now() + DRAIN_WAIT_MS_MAX;
  while (a.acked + a.refused < count && Date.now() < deadline) await Bun.sleep(20);
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

async function measure(fleet: Fleet, pid: number, o: { count: number; receivers: number; answers?: Answers }, run: () => Promise<number>): Promise<FanOut> {
  await fleet.all({ cmd: "measure" });
  const cpu0 = cpuTicks(pid);
  const firstSendUs = await run();
  if (o.answers) await allAnswered(o.answers, o.count);
  const acked = o.answers ? o.answers.acked : o.count; // raw publish has no answers: all count
  const expected = acked * o.receivers;
  const deadline = Date.now() + DRAIN_WAIT_MS_MAX;
  let delivered = 0;
  while (Date.now() < deadline) {
    delivered = (await fleet.all({ cmd: "count" })).reduce((n, r) => n + r.deliveries, 0);
    if (delivered >= expected) break;
    await Bun.sleep(50);
  }
  const cpu1 = cpuTicks(pid);
  const reports = await fleet.all({ cmd: "report" });
  const lat = new Float64Array(reports.flatMap((r) => r.lat)).sort();
  const lastAt = Math.max(...reports.map((r) => r.lastAt));
  const q = (p: number) => (lat.length ? lat[Math.min(lat.length - 1, Math.floor(p * lat.length))]! / 1000 : NaN);
  return {
    offered: o.count,
    acked,
    refused: o.answers?.refused ?? 0,
    expected,
    delivered,
    stallMsMax: Math.max(...reports.map((r) => r.gapUsMax)) / 1000,
    deliveriesPerSec: (delivered / (lastAt - firstSendUs)) * 1_000_000,
    p50Ms: q(0.5),
    p99Ms: q(0.99),
    cpuUsPerDelivery: ((cpu1 - cpu0) * TICK_US) / Math.max(1, delivered),
  };
}

/** One sender at `rate` into `chatId` (default: the 1,000-member group) whose `receivers` sit in the fleet. */
export async function fanOutHearth(
  fleet: Fleet,
  server: { wsUrl: string; proc: { pid: number } },
  s: Seeded,
  o: { rate: number; seconds: number; receivers: number; chatId?: string; tag?: string },
) {
  const chatId = o.chatId ?? s.groupId;
  const ws = await openSocket(server.wsUrl);
  await new Promise<void>((resolve) => {
    ws.onmessage = () => resolve(); // the welcome
    ws.send(encodeClientFrame({ t: "hello", v: PROTOCOL_VERSION, token: s.fanSenderToken }));
  });
  const answers = countAnswers(ws);
  const count = o.rate * o.seconds;
  // clientIds unique per run: a repeated one is an idempotent retry and delivers nothing
  const frame = (k: number) =>
    encodeClientFrame({ t: "req", id: k + 1, method: "message.send", params: { chatId, clientId: `fan-${o.tag ?? "g"}-${o.rate}-${k}`, text: `b ${nowUs()}` } });
  try {
    const r = await measure(fleet, server.proc.pid, { count, receivers: o.receivers, answers }, () => offer(o.rate, count, frame, ws));
    if (answers.codes.size) console.log(`  refused sends at ${o.rate} msg/s: ${[...answers.codes].map(([c, n]) => `${c} ×${n}`).join(", ")}`);
    return r;
  } finally {
    ws.close();
  }
}

/**
 * A connected sender for counting the rows one send writes: connect (its hello writes
 * presence and last-seen rows of its own) first, then count around `send` alone.
 */
export async function openSender(url: string, token: string): Promise<{ send(chatId: string): Promise<void>; close(): void }> {
  const ws = await openSocket(url);
  await new Promise<void>((resolve) => {
    ws.onmessage = () => resolve(); // the welcome
    ws.send(encodeClientFrame({ t: "hello", v: PROTOCOL_VERSION, token }));
  });
  const answers = countAnswers(ws);
  let n = 0;
  return {
    async send(chatId) {
      n++;
      ws.send(encodeClientFrame({ t: "req", id: n, method: "message.send", params: { chatId, clientId: `rows-${n}`, text: "how many rows?" } }));
      await allAnswered(answers, n);
      if (answers.acked !== n) throw new Error(`the counted send was refused: ${[...answers.codes.keys()].join(", ")}`);
    },
    close: () => ws.close(),
  };
}

/** A chat_events frame with one message.created shaped like Hearth's, so frames have a comparable size. */
const rawFrame = (k: number) =>
  encode({
    t: "chat_events",
    chatId: "01KBENCHCHAT00000000000000",
    events: [
      {
        pos: k + 1,
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
      return await measure(fleet, proc.pid, { count, receivers: o.receivers }, () => offer(o.rate, count, rawFrame, ws));
    } finally {
      ws.close();
      await fleet.all({ cmd: "close" });
    }
  } finally {
    proc.kill();
    await proc.exited;
  }
}
