// Messaging benchmark (`bun run bench messaging`): the server runs as its own process;
// clients run in separate load processes (bench/messaging/load.ts). Measures
//  (a) durable sends/s, 100 concurrent senders, each send acknowledged after its commit
//      (the median of three rounds);
//  (b) fan-out: one sender into a 1,000-member group at each offered rate (10, 30, 100,
//      200 msg/s by default) — sends offered/acknowledged/refused, deliveries/s, p50/p99
//      send→deliver latency, the longest delivery stall, server CPU per delivery — next to
//      a raw Bun.serve publish server driven by the same load processes (ratio);
//  (c) server RSS idle and per idle authenticated socket (what the second half of the
//      sockets added, and all of them over idle);
//  (d) rows per group message: durable rows one text message into the group writes;
//  (e) fan-out into a channel (10,000 subscribers, 2,000 of them connected, 10 msg/s);
//  (f) resume: time and bytes for a client coming back to 200 chats after many changes.
// Setup writes users, sessions and chats straight into storage (one password hash
// reused; access tokens signed with the data dir's key) — 1,100 argon2 logins would
// take minutes. Prints a table; asserts nothing.
//   bun bench/messaging.ts [--rates 10,30,100,200] [--seconds S] [--receivers N]
//     [--channel-members N] [--channel-connected N] [--channel-rate R]
//     [--resume-chats N] [--resume-big N] [--resume-per-chat N]
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { startServerProcess } from "../tests/support/harness.ts";
import { startFleet } from "./messaging/fleet.ts";
import { seed } from "./messaging/seed.ts";
import { cpuTicks, fanOutHearth, fanOutRaw, openSender, type FanOut } from "./messaging/fanout.ts";
import { rowsWritten, type RowCount } from "./messaging/rows.ts";
import { resumeRun, type ResumeRun } from "./messaging/resume.ts";

let RECEIVERS = 999; // + the sender = a group of 1,000 (--receivers for a quick run)
const SENDERS = 100;
const LOAD_PROCS = 2;
const IDLE_SAMPLE_MS = 2000;

/** Progress on stderr, so a long drain under overload does not look like a hang. */
async function step<T>(what: string, run: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  console.error(`  ${what}…`);
  const r = await run();
  console.error(`  ${what}: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return r;
}

const rssKiB = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))![1]);

// Rounds, reported by their median: one round's rate swings by ±15 % here with where the
// WAL checkpoints fall and what else the two cores run.
const SEND_ROUNDS = 3;

async function durableSends(pid: number, url: string, tokens: string[], chatIds: string[], seconds: number) {
  const senders = await startFleet(LOAD_PROCS);
  try {
    await senders.split(tokens, (part) => ({ cmd: "connect", url, tokens: part, hello: true }));
    const rounds: { perSec: number; cpuUsPerSend: number }[] = [];
    let refused = 0;
    for (let i = 0; i < SEND_ROUNDS; i++) {
      const cpu0 = cpuTicks(pid);
      const start = performance.now();
      const out = await senders.split(chatIds, (part) => ({ cmd: "send", chatIds: part, durationMs: seconds * 1000 }));
      const sent = out.reduce((n, r: any) => n + r.sent, 0);
      refused += out.reduce((n, r: any) => n + r.errors, 0);
      rounds.push({ perSec: (sent / (performance.now() - start)) * 1000, cpuUsPerSend: ((cpuTicks(pid) - cpu0) * 10_000) / sent });
    }
    const by = (k: "perSec" | "cpuUsPerSend") => rounds.map((r) => r[k]).sort((a, b) => a - b);
    const mid = Math.floor(SEND_ROUNDS / 2);
    return { perSec: by("perSec")[mid]!, perSecRange: [by("perSec")[0]!, by("perSec")[SEND_ROUNDS - 1]!], cpuUsPerSend: by("cpuUsPerSend")[mid]!, refused };
  } finally {
    await senders.stop();
  }
}

export async function benchMessaging(argv: string[] = []): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      rates: { type: "string", default: "10,30,100,200" },
      seconds: { type: "string", default: "5" },
      receivers: { type: "string", default: "999" },
      "channel-members": { type: "string", default: "10000" },
      "channel-connected": { type: "string", default: "2000" },
      "channel-rate": { type: "string", default: "10" },
      "resume-chats": { type: "string", default: "200" },
      "resume-big": { type: "string", default: "10000" },
      "resume-per-chat": { type: "string", default: "10" },
    },
  });
  const rates = values.rates.split(",").map(Number);
  const seconds = Number(values.seconds);
  RECEIVERS = Number(values.receivers);
  const channel = { members: Number(values["channel-members"]), connected: Number(values["channel-connected"]), rate: Number(values["channel-rate"]) };
  const resume = { chats: Number(values["resume-chats"]), big: Number(values["resume-big"]), perChat: Number(values["resume-per-chat"]) };
  const dir = mkdtempSync(join(tmpdir(), "hearth-bench-msg-"));
  const s = await step("seeding", () => seed(dir, { receivers: RECEIVERS, senders: SENDERS, channel, returnerChats: resume.chats }));
  // rate limits would measure themselves; everything else is the default configuration
  const args = ["--set", "protocol.requestsPerSecondPerConnection=1000000", "--set", "protocol.requestsPerSecondPerUser=1000000"];
  const server = await startServerProcess(dir, { args });
  const fleet = await startFleet(LOAD_PROCS);
  try {
    const pid = server.proc.pid;
    await Bun.sleep(1000);
    const rows = await step("rows per group message", async () => {
      const sender = await openSender(server.wsUrl, s.fanSenderToken);
      await Bun.sleep(1000); // what its hello wrote (presence, last seen) is not the message's
      try {
        return await rowsWritten(join(dir, "hearth.sqlite"), () => sender.send(s.groupId));
      } finally {
        sender.close();
      }
    });
    const idle = rssKiB(pid);
    // In two halves: the first hellos also pay one-time costs (JIT code for the hello
    // path, statement caches, heap and allocator growth), so the second half is what one
    // more socket costs; the all-in figure is printed next to it.
    const half = Math.floor(RECEIVERS / 2);
    let halfSockets = 0;
    const connect = (tokens: string[]) => fleet.split(tokens, (part) => ({ cmd: "connect", url: server.wsUrl, tokens: part, hello: true }));
    await step(`connecting ${RECEIVERS} receivers`, async () => {
      await connect(s.receiverTokens.slice(0, half));
      await Bun.sleep(1500); // presence pushes and last-seen writes settle
      halfSockets = rssKiB(pid);
      await connect(s.receiverTokens.slice(half));
    });
    await Bun.sleep(1500);
    const withSockets = rssKiB(pid);
    const t0 = cpuTicks(pid);
    await Bun.sleep(IDLE_SAMPLE_MS);
    const idleCpuPct = ((cpuTicks(pid) - t0) * 10 * 100) / IDLE_SAMPLE_MS; // ticks are 10 ms
    const hearth: FanOut[] = [];
    for (const rate of rates) hearth.push(await step(`Hearth fan-out at ${rate} msg/s`, () => fanOutHearth(fleet, server, s, { rate, seconds, receivers: RECEIVERS })));
    const sends = await step("durable sends", () => durableSends(pid, server.wsUrl, s.senderTokens, s.senderChatIds, seconds));
    await fleet.all({ cmd: "close" });
    await step(`connecting ${channel.connected} channel subscribers`, () => fleet.split(s.channelTokens, (part) => ({ cmd: "connect", url: server.wsUrl, tokens: part, hello: true })));
    await Bun.sleep(1500);
    const chan = await step(`channel fan-out at ${channel.rate} msg/s`, () =>
      fanOutHearth(fleet, server, s, { rate: channel.rate, seconds, receivers: channel.connected, chatId: s.channelId, tag: "c" }),
    );
    await fleet.all({ cmd: "close" });
    const back = await step(`resume to ${resume.chats} chats`, () => resumeRun(server.wsUrl, s, resume));
    const raw: FanOut[] = [];
    for (const rate of rates) raw.push(await step(`raw fan-out at ${rate} msg/s`, () => fanOutRaw(fleet, { rate, seconds, receivers: RECEIVERS })));
    printTable({ rates, seconds, idle, halfSockets, half, withSockets, idleCpuPct, hearth, raw, sends, rows, channel, chan, back });
  } finally {
    await fleet.stop();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

function printTable(r: {
  rates: number[];
  seconds: number;
  idle: number;
  halfSockets: number;
  half: number;
  withSockets: number;
  idleCpuPct: number;
  hearth: FanOut[];
  raw: FanOut[];
  sends: { perSec: number; perSecRange: number[]; cpuUsPerSend: number; refused: number };
  rows: RowCount;
  channel: { members: number; connected: number; rate: number };
  chan: FanOut;
  back: ResumeRun;
}) {
  const mib = (kib: number) => `${(kib / 1024).toFixed(1)} MiB`;
  const perSocketKiB = (r.withSockets - r.idle) / RECEIVERS;
  const marginalKiB = (r.withSockets - r.halfSockets) / (RECEIVERS - r.half);
  const n = (x: number) => Math.round(x).toLocaleString("en-US");
  const row = (name: string, rate: number, f: FanOut) =>
    `| ${name} | ${rate} | ${n(f.offered)}/${n(f.acked)}/${n(f.refused)} | ${n(f.deliveriesPerSec)} | ${f.p50Ms.toFixed(1)} | ${f.p99Ms.toFixed(1)} | ${n(f.stallMsMax)} | ${f.cpuUsPerDelivery.toFixed(2)} | ${n(f.delivered)}/${n(f.expected)} |`;
  console.log(`messaging: ${RECEIVERS + 1}-member group, ${RECEIVERS} connected, ${r.seconds} s per rate; ${SENDERS} durable senders; ${LOAD_PROCS} load processes`);
  console.log(`rows per group message: ${r.rows.total}`);
  for (const [t, c] of Object.entries(r.rows.perTable)) console.log(`  ${t}: ${c.inserted} inserted, ${c.updated} updated, ${c.deleted} deleted`);
  console.log("| fan-out | msg/s offered | sends offered/acked/refused | deliveries/s | p50 ms | p99 ms | longest delivery gap ms | server CPU µs/delivery | delivered/expected |");
  console.log("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
  r.rates.forEach((rate, i) => {
    console.log(row("Hearth", rate, r.hearth[i]!));
    console.log(row("raw Bun.serve publish", rate, r.raw[i]!));
  });
  console.log(row(`Hearth channel, ${n(r.channel.members)} subscribers, ${n(r.channel.connected)} connected`, r.channel.rate, r.chan));
  const ratio = (a: number, b: number) => (b > 0 ? `${(a / b).toFixed(1)}x` : "n/a (raw used under one CPU tick)");
  r.rates.forEach((rate, i) => console.log(`Hearth / raw CPU per delivery at ${rate} msg/s: ${ratio(r.hearth[i]!.cpuUsPerDelivery, r.raw[i]!.cpuUsPerDelivery)}`));
  const b = r.back;
  const kib = (x: number) => `${(x / 1024).toFixed(1)} KiB`;
  console.log(
    b.note && Number.isNaN(b.welcomeMs)
      ? `resume to ${b.chats} chats: n/a — ${b.note}`
      : `resume to ${b.chats} chats after ${n(b.changes)} changes: welcome ${b.welcomeMs.toFixed(0)} ms, caught up ${b.caughtUpMs.toFixed(0)} ms, ${kib(b.bytes)} in ${n(b.frames)} frames ` +
          `(${n(b.chatEvents)} chat events in ${n(b.chatEventFrames)} chat_events frames, ${b.resets} chat_reset, ${n(b.userEvents)} user-log events)${b.note ? `; ${b.note}` : ""}`,
  );
  console.log(`fresh start instead (hello without resume, the snapshot): ${b.fresh.ms.toFixed(0)} ms, ${kib(b.fresh.bytes)}`);
  console.log("");
  console.log("| measure | result |");
  console.log("| --- | --- |");
  console.log(`| durable sends/s, ${SENDERS} concurrent senders (ack after commit), median of ${SEND_ROUNDS} rounds of ${r.seconds} s | ${n(r.sends.perSec)} (${n(r.sends.perSecRange[0]!)}–${n(r.sends.perSecRange[1]!)}; ${n(r.sends.refused)} refused) |`);
  console.log(`| server CPU per durable send, median (direct chat: 1 request in, 1 chat-log row, 2 deliveries) | ${Math.round(r.sends.cpuUsPerSend)} µs |`);
  console.log(`| server RSS idle | ${mib(r.idle)} |`);
  console.log(`| server CPU while idle with ${RECEIVERS} sockets | ${r.idleCpuPct.toFixed(1)} % |`);
  console.log(`| server RSS per idle authenticated socket (the last ${RECEIVERS - r.half} of ${RECEIVERS}) | ${marginalKiB.toFixed(1)} KiB (${(marginalKiB * 1.024).toFixed(1)} kB) |`);
  console.log(`| server RSS with ${RECEIVERS} idle sockets over idle, per socket (with the first hellos' one-time costs) | ${perSocketKiB.toFixed(1)} KiB (${mib(perSocketKiB * 1000)} per 1,000) |`);
}

if (import.meta.main) await benchMessaging(process.argv.slice(2));
