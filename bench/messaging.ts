// Messaging benchmark (`bun run bench messaging`): the server runs as its own process;
// clients run in separate load processes (bench/messaging/load.ts). Measures
//  (a) durable sends/s, 100 concurrent senders, each send acknowledged after its commit;
//  (b) fan-out: one sender into a 1,000-member group at a fixed offered rate —
//      deliveries/s, p50/p99 send→deliver latency, server CPU per delivery — next to a
//      raw Bun.serve publish server driven by the same load processes (ratio);
//  (c) server RSS idle and per 1,000 idle authenticated sockets.
// Setup writes users, sessions and chats straight into storage (one password hash
// reused; access tokens signed with the data dir's key) — 1,100 argon2 logins would
// take minutes. Prints a table; asserts nothing.
//   bun bench/messaging.ts [--rate MSGS_PER_S] [--seconds S]
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { startServerProcess } from "../tests/harness.ts";
import { startFleet } from "./messaging/fleet.ts";
import { seed } from "./messaging/seed.ts";
import { cpuTicks, fanOutHearth, fanOutRaw, type FanOut } from "./messaging/fanout.ts";

const RECEIVERS = 999; // + the sender = a group of 1,000
const SENDERS = 100;
const LOAD_PROCS = 2;
const IDLE_SAMPLE_MS = 2000;

const rssKiB = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))![1]);

async function durableSends(pid: number, url: string, tokens: string[], chatIds: string[], seconds: number) {
  const senders = await startFleet(LOAD_PROCS);
  try {
    await senders.split(tokens, (part) => ({ cmd: "connect", url, tokens: part, hello: true }));
    const cpu0 = cpuTicks(pid);
    const start = performance.now();
    const out = await senders.split(chatIds, (part) => ({ cmd: "send", chatIds: part, durationMs: seconds * 1000 }));
    const sent = out.reduce((n, r: any) => n + r.sent, 0);
    return { perSec: (sent / (performance.now() - start)) * 1000, cpuUsPerSend: ((cpuTicks(pid) - cpu0) * 10_000) / sent };
  } finally {
    await senders.stop();
  }
}

export async function benchMessaging(argv: string[] = []): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { rate: { type: "string", default: "10" }, seconds: { type: "string", default: "5" } } });
  const rate = Number(values.rate);
  const seconds = Number(values.seconds);
  const dir = mkdtempSync(join(tmpdir(), "hearth-bench-msg-"));
  const s = await seed(dir, { receivers: RECEIVERS, senders: SENDERS });
  // rate limits would measure themselves; everything else is the default configuration
  const args = ["--set", "protocol.requestsPerSecondPerConnection=1000000", "--set", "protocol.requestsPerSecondPerUser=1000000"];
  const server = await startServerProcess(dir, { args });
  const fleet = await startFleet(LOAD_PROCS);
  try {
    const pid = server.proc.pid;
    await Bun.sleep(1000);
    const idle = rssKiB(pid);
    await fleet.split(s.receiverTokens, (part) => ({ cmd: "connect", url: server.wsUrl, tokens: part, hello: true }));
    await Bun.sleep(1500); // presence pushes and last-seen writes settle
    const withSockets = rssKiB(pid);
    const t0 = cpuTicks(pid);
    await Bun.sleep(IDLE_SAMPLE_MS);
    const idleCpuPct = ((cpuTicks(pid) - t0) * 10 * 100) / IDLE_SAMPLE_MS; // ticks are 10 ms
    const hearth: FanOut = await fanOutHearth(fleet, server, s, { rate, seconds, receivers: RECEIVERS });
    const sends = await durableSends(pid, server.wsUrl, s.senderTokens, s.senderChatIds, seconds);
    await fleet.all({ cmd: "close" });
    const raw: FanOut = await fanOutRaw(fleet, { rate, seconds, receivers: RECEIVERS });
    printTable({ rate, seconds, idle, withSockets, idleCpuPct, hearth, raw, sends });
  } finally {
    await fleet.stop();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

function printTable(r: { rate: number; seconds: number; idle: number; withSockets: number; idleCpuPct: number; hearth: FanOut; raw: FanOut; sends: { perSec: number; cpuUsPerSend: number } }) {
  const mib = (kib: number) => `${(kib / 1024).toFixed(1)} MiB`;
  const perK = ((r.withSockets - r.idle) / RECEIVERS) * 1000;
  const row = (name: string, f: FanOut) =>
    `| ${name} | ${Math.round(f.deliveriesPerSec).toLocaleString("en-US")} | ${f.p50Ms.toFixed(1)} | ${f.p99Ms.toFixed(1)} | ${f.cpuUsPerDelivery.toFixed(2)} | ${f.delivered}/${f.expected} |`;
  console.log(`messaging: ${RECEIVERS + 1}-member group, ${r.rate} msg/s offered for ${r.seconds} s; ${SENDERS} durable senders; ${LOAD_PROCS} load processes`);
  console.log("| fan-out | deliveries/s | p50 ms | p99 ms | server CPU µs/delivery | delivered |");
  console.log("| --- | --- | --- | --- | --- | --- |");
  console.log(row("Hearth (commit + per-user queues + ws)", r.hearth));
  console.log(row("raw Bun.serve publish", r.raw));
  console.log(`| Hearth / raw CPU per delivery | ${(r.hearth.cpuUsPerDelivery / r.raw.cpuUsPerDelivery).toFixed(1)}x | | | | |`);
  console.log("");
  console.log("| measure | result |");
  console.log("| --- | --- |");
  console.log(`| durable sends/s, ${SENDERS} concurrent senders (ack after commit) | ${Math.round(r.sends.perSec).toLocaleString("en-US")} |`);
  console.log(`| server CPU per durable send (direct chat: 1 in, 2 events out) | ${Math.round(r.sends.cpuUsPerSend)} µs |`);
  console.log(`| server RSS idle | ${mib(r.idle)} |`);
  console.log(`| server CPU while idle with ${RECEIVERS} sockets | ${r.idleCpuPct.toFixed(1)} % |`);
  console.log(`| server RSS per 1,000 idle authenticated sockets | ${mib(perK)} |`);
}

if (import.meta.main) await benchMessaging(process.argv.slice(2));
