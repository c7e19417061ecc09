// `bun run bench sfu` (or `bun bench/sfu.ts`): how many consumers one mediasoup worker
// sustains. One video producer on a PlainTransport is fed generated VP8 RTP at a camera-
// like rate (100 packets/s of 1200 bytes ≈ 1 Mbit/s, a key frame each second); consumers
// are added in steps, each on its own PlainTransport sending to local UDP sockets. Per
// step: the worker's CPU (utime+stime from /proc/<pid>/stat), CPU per consumer and per
// forwarded packet, packets the SFU forwarded (worker stats) and packets that arrived.
// PlainTransports carry no SRTP: WebRTC consumers also pay for encryption (see
// docs/performance.md). Needs the worker from `bun run setup`.
import { readFileSync, mkdtempSync, rmSync } from "node:fs";
import type { Socket } from "node:dgram";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CallMedia } from "../src/calls/media.ts";
import type { Peer } from "../src/calls/peer.ts";
import type { WorkerPool } from "../src/calls/pool.ts";
import { boundSocket, rtpPacket, vp8Payload } from "../tests/support/rtp.ts";
import { mediaOptions, plainSource, startTestPool } from "../tests/support/calls.ts";

export interface SfuBenchOptions {
  steps: number[]; // total consumers at each step
  packetsPerSecond: number;
  packetBytes: number;
  warmMs: number; // after adding a step's consumers (they wait for a key frame)
  measureMs: number;
  receiverSockets: number; // consumers share these, so the bench process stays light
  budgetMs: number; // no new step starts after this
}

export interface SfuBenchRow {
  consumers: number;
  workerCpuPercent: number; // of one core
  cpuPerConsumerPercent: number;
  cpuUsPerPacket: number; // worker CPU per delivered packet
  sfuInputPercent: number; // packets the producer received / packets the generator sent
  forwardedPercent: number; // worker-reported packets sent by consumers / (received by producer × consumers)
  deliveredPercent: number; // packets arriving on our sockets / (packets sent × consumers)
  receiverDropPercent: number; // UDP datagrams the kernel dropped at full receive buffers (system-wide), per expected delivery
  sendRatePps: number; // what the generator really achieved
}

export const defaultSfuBench: SfuBenchOptions = {
  steps: [50, 100, 200, 400, 600],
  packetsPerSecond: 100,
  packetBytes: 1200,
  warmMs: 1500,
  measureMs: 4000,
  receiverSockets: 8,
  budgetMs: 90_000,
};

const CLOCK_TICKS_PER_SECOND = 100; // USER_HZ on Linux

function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" "); // after "(comm) "
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND; // utime, stime (fields 14, 15)
}

/** Sends RTP at a fixed rate while running, catching up after timer jitter; counts what it sent. */
function startGenerator(socket: Socket, port: number, ssrc: number, payloadType: number, o: SfuBenchOptions) {
  let running = true;
  let base = { at: performance.now(), sent: 0 };
  let sent = 0;
  const keyEvery = o.packetsPerSecond; // one key frame per second
  const timer = setInterval(() => {
    if (!running) return;
    const due = base.sent + Math.floor(((performance.now() - base.at) * o.packetsPerSecond) / 1000);
    for (; sent < due; sent++) {
      const seq = sent + 1;
      socket.send(rtpPacket({ seq, timestamp: seq * 3000, ssrc, payloadType, payload: vp8Payload(o.packetBytes - 12, sent % keyEvery === 0) }), port, "127.0.0.1");
    }
  }, 5);
  return {
    sent: () => sent,
    pause: () => void (running = false),
    resume: () => {
      base = { at: performance.now(), sent };
      running = true;
    },
    stop: () => clearInterval(timer),
  };
}

interface Receivers {
  total(): number;
  sockets: Socket[];
  /** Counts only this RTP payload type: the media, not RTX, RTCP or the SFU's bandwidth probes. */
  payloadType: number;
}

async function startReceivers(count: number): Promise<Receivers> {
  const sockets = await Promise.all(Array.from({ length: count }, () => boundSocket()));
  let total = 0;
  const r: Receivers = { sockets, total: () => total, payloadType: -1 };
  for (const s of sockets) s.on("message", (m: Buffer) => void ((m[1]! & 0x7f) === r.payloadType && m[1]! < 192 ? total++ : 0));
  return r;
}

const ADD_BATCH = 25; // consumers set up concurrently

async function addConsumers(media: CallMedia, producerId: string, receivers: Receivers, from: number, to: number) {
  for (let i = from; i < to; i += ADD_BATCH) {
    const batch = Array.from({ length: Math.min(ADD_BATCH, to - i) }, (_, k) => i + k);
    await Promise.all(batch.map((n) => addConsumer(media, producerId, receivers, receivers.sockets[n % receivers.sockets.length]!)));
  }
}

async function addConsumer(media: CallMedia, producerId: string, receivers: Receivers, socket: Socket) {
  const peer: Peer = await media.addPeer(`c${media.peers.size}-${Math.random()}`);
  const transport = await media.createPlainTransport(peer, "recv", false);
  await transport.connect({ ip: "127.0.0.1", port: socket.address().port });
  const { consumer } = await media.consume(peer, producerId, peer.router.rtpCapabilities, transport.id);
  receivers.payloadType = consumer.rtpParameters.codecs[0]!.payloadType;
  await consumer.resume();
}

/** UDP datagrams the kernel dropped because a receive buffer was full (system-wide). */
function udpRcvbufErrors(): number {
  const lines = readFileSync("/proc/net/snmp", "utf8").split("\n").filter((l) => l.startsWith("Udp:"));
  const [names, values] = lines.map((l) => l.split(/\s+/));
  const i = names?.indexOf("RcvbufErrors") ?? -1;
  return i > 0 ? Number(values?.[i] ?? 0) : 0;
}

const STATS_SAMPLE = 20; // consumers whose worker-side counters we read (reading all would skew the window)

async function forwardedCounts(media: CallMedia, producerId: string) {
  const sample = [...media.peers.values()].flatMap((p) => [...p.consumers.values()]).slice(0, STATS_SAMPLE);
  const [inStats, ...outStats] = await Promise.all([media.producers.get(producerId)!.producer.getStats(), ...sample.map((c) => c.getStats())]);
  const out = outStats.flat().reduce((n, s) => n + (s.type === "outbound-rtp" ? s.packetCount : 0), 0);
  return { out, in: inStats!.reduce((n, s) => n + s.packetCount, 0), sampled: sample.length };
}

export async function benchSfu(o: SfuBenchOptions = defaultSfuBench): Promise<SfuBenchRow[]> {
  const dataDir = mkdtempSync(join(tmpdir(), "hearth-bench-sfu-"));
  const pool: WorkerPool = await startTestPool(1, dataDir);
  const slot = pool.slot(0);
  const media = new CallMedia(pool, slot, mediaOptions);
  const receivers = await startReceivers(o.receiverSockets);
  const sender = await boundSocket();
  const rows: SfuBenchRow[] = [];
  try {
    const source = await plainSource(media, await media.addPeer("producer"), "video");
    const gen = startGenerator(sender, source.port, source.ssrc, source.payloadType, o);
    let consumers = 0;
    const deadline = performance.now() + o.budgetMs;
    for (const step of o.steps) {
      if (performance.now() > deadline) {
        console.log(`(stopped before ${step} consumers: time budget of ${o.budgetMs / 1000} s used up)`);
        break;
      }
      await addConsumers(media, source.producerId, receivers, consumers, step);
      consumers = step;
      await Bun.sleep(o.warmMs); // every consumer waits for a key frame
      // Measure a window of sending between two quiet moments, so every packet of the
      // window has arrived (or is lost) when we count: exact expected vs delivered.
      gen.pause();
      await drained(receivers);
      const before = await sample(media, source.producerId, slot.worker.pid, gen, receivers);
      gen.resume();
      await Bun.sleep(o.measureMs);
      gen.pause();
      const active = { cpu: cpuSeconds(slot.worker.pid), at: performance.now() };
      await drained(receivers);
      const after = { ...(await sample(media, source.producerId, slot.worker.pid, gen, receivers)), ...active };
      gen.resume();
      rows.push(row(consumers, before, after));
      printRow(rows.at(-1)!, rows.length === 1);
    }
    gen.stop();
  } finally {
    sender.close();
    for (const s of receivers.sockets) s.close();
    media.close();
    pool.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
  return rows;
}

type Sample = { cpu: number; at: number; sent: number; got: number; drops: number; fwd: { out: number; in: number; sampled: number } };

const DRAIN_QUIET_MS = 300;
const DRAIN_MAX_MS = 5000;

/** Waits until no media arrived for a moment (bounded). */
async function drained(receivers: Receivers): Promise<void> {
  const deadline = performance.now() + DRAIN_MAX_MS;
  let last = -1;
  while (receivers.total() !== last && performance.now() < deadline) {
    last = receivers.total();
    await Bun.sleep(DRAIN_QUIET_MS);
  }
}

async function sample(media: CallMedia, producerId: string, pid: number, gen: { sent(): number }, receivers: Receivers): Promise<Sample> {
  const fwd = await forwardedCounts(media, producerId);
  return { cpu: cpuSeconds(pid), at: performance.now(), sent: gen.sent(), got: receivers.total(), drops: udpRcvbufErrors(), fwd };
}

function row(consumers: number, a: Sample, b: Sample): SfuBenchRow {
  const seconds = (b.at - a.at) / 1000;
  const cpu = b.cpu - a.cpu;
  const sent = b.sent - a.sent;
  const delivered = b.got - a.got;
  const expected = Math.max(sent * consumers, 1);
  const produced = Math.max((b.fwd.in - a.fwd.in) * a.fwd.sampled, 1);
  const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;
  return {
    consumers,
    workerCpuPercent: round((100 * cpu) / seconds),
    cpuPerConsumerPercent: round((100 * cpu) / seconds / consumers, 3),
    cpuUsPerPacket: round((cpu * 1e6) / Math.max(delivered, 1), 2),
    sfuInputPercent: round((100 * (b.fwd.in - a.fwd.in)) / Math.max(sent, 1)),
    forwardedPercent: round((100 * (b.fwd.out - a.fwd.out)) / produced),
    deliveredPercent: round((100 * delivered) / expected),
    receiverDropPercent: round((100 * (b.drops - a.drops)) / expected),
    sendRatePps: round(sent / seconds),
  };
}

function printRow(r: SfuBenchRow, header: boolean): void {
  if (header) {
    console.log("| consumers | worker CPU (% of a core) | CPU per consumer (%) | CPU µs per delivered packet | into the SFU | forwarded by SFU (sample) | delivered to sockets | kernel receive-buffer drops (all sockets) | producer rate (pkt/s) |");
    console.log("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
  }
  console.log(
    `| ${r.consumers} | ${r.workerCpuPercent} | ${r.cpuPerConsumerPercent} | ${r.cpuUsPerPacket} | ${r.sfuInputPercent} % | ${r.forwardedPercent} % | ${r.deliveredPercent} % | ${r.receiverDropPercent} % | ${r.sendRatePps} |`,
  );
}

if (import.meta.main) {
  // Optional argument: the steps, e.g. `bun run bench sfu 600,800,1000`.
  const arg = process.argv[2];
  const steps = arg ? arg.split(",").map(Number).filter((n) => Number.isInteger(n) && n > 0) : defaultSfuBench.steps;
  const o = { ...defaultSfuBench, steps };
  console.log(`SFU bench: 1 worker, 1 video producer (${o.packetsPerSecond} pkt/s × ${o.packetBytes} B), PlainTransport consumers in steps ${o.steps.join(", ")}`);
  await benchSfu(o);
  console.log("mediasoup's own figure for comparison: ~500 consumers per worker (mediasoup.org, scalability).");
}
