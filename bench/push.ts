// Web Push sender throughput: the real queue, RFC 8291 encryption, VAPID signing and
// HTTPS transport against the push-service stand-in running as another process (which
// verifies and decrypts every 100th request). Reports pushes/s sustained and the sender
// process's CPU per push. Asserts nothing beyond "every push was accepted".
// Run: bun run bench push [pushes] [subscriptions]
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createLogger } from "../src/log/logger.ts";
import { createMetrics } from "../src/metrics/registry.ts";
import { fromB64u } from "../src/push/b64.ts";
import { contentFree, messagePayload } from "../src/push/payload.ts";
import { PushQueue, defaultQueueLimits } from "../src/push/queue.ts";
import { createTransport } from "../src/push/transport.ts";
import { createVapid } from "../src/push/vapid.ts";
import { newP256PrivateKey } from "../src/secrets/p256.ts";
import type { TestSubscription } from "../src/push/testing.ts";

const PUSHES = Number(process.argv[2] ?? 20_000);
const SUBS = Number(process.argv[3] ?? 2_000);

const child = Bun.spawn([process.execPath, join(import.meta.dir, "push/standin.ts"), String(SUBS)], { stdout: "pipe", stderr: "inherit" });
const reader = child.stdout.getReader();
let buf = "";
while (!buf.includes("\n")) {
  const { value, done } = await reader.read();
  if (done) throw new Error("stand-in exited");
  buf += new TextDecoder().decode(value);
}
const info = JSON.parse(buf.slice(0, buf.indexOf("\n"))) as { origin: string; caFile: string; subscriptions: TestSubscription[] };

async function run(inFlightMax: number, pushes: number): Promise<{ perSec: number; cpuUsPerPush: number; dropped: string }> {
  const metrics = createMetrics({ processMetrics: false });
  const log = createLogger({ level: "error", format: "json", stream: { write: () => {} } });
  const vapid = createVapid(newP256PrivateKey(), "mailto:bench@hearth.invalid");
  const transport = createTransport({ allowPrivateHosts: new Set(["127.0.0.1"]) }, readFileSync(info.caFile, "utf8"));
  const queue = new PushQueue(
    { transport, vapid, metrics, log, now: Date.now, gone: async () => {} },
    { ...defaultQueueLimits(), inFlightMax, queueMax: pushes, perUserPerMinuteMax: 1_000_000_000 },
  );
  const facts = { chatId: "01JBENCHCHAT00000000000000", chatTitle: "Family 👪", senderName: "Ann", senderId: "u", messageId: "m", seq: 1, text: "Dinner at 7? The usual place. 🍝".repeat(2), group: true, at: Date.now() };
  const payload = messagePayload(facts, 1, false);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < pushes; i++) {
    const s = info.subscriptions[i % info.subscriptions.length]!;
    // distinct tags: no replacement in the queue, every push is sent
    const p = { ...payload, tag: `chat:${i}` };
    queue.enqueue({ userId: `u${i}`, sessionId: s.id, endpoint: s.endpoint, p256dh: fromB64u(s.keys.p256dh)!, auth: fromB64u(s.keys.auth)!, payload: p, small: contentFree(p), ttlSec: 60, urgency: "normal" });
  }
  await queue.idle();
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const dropped = /hearth_push_dropped_total\S* \d+/.exec(metrics.render())?.[0] ?? "none";
  const okLine = /hearth_push_requests_total\{outcome="ok"\} (\d+)/.exec(metrics.render());
  if (Number(okLine?.[1] ?? 0) !== pushes) throw new Error(`only ${okLine?.[1]} of ${pushes} accepted`);
  return { perSec: (pushes / ms) * 1000, cpuUsPerPush: (cpu.user + cpu.system) / pushes, dropped };
}

try {
  await run(32, 500); // warm-up (TLS sessions, JIT)
  console.log(`pushes: ${PUSHES} to ${SUBS} subscriptions, payload ${JSON.stringify(messagePayload({ chatId: "x", chatTitle: "Family 👪", senderName: "Ann", senderId: "u", messageId: "m", seq: 1, text: "Dinner at 7? The usual place. 🍝".repeat(2), group: true, at: 0 }, 1, false)).length} B`);
  console.log("| in flight | pushes/s | sender CPU µs/push | dropped |");
  console.log("| --- | --- | --- | --- |");
  for (const inFlight of [8, 32, 128]) {
    const r = await run(inFlight, PUSHES);
    console.log(`| ${inFlight} | ${Math.round(r.perSec).toLocaleString("en-US")} | ${Math.round(r.cpuUsPerPush)} | ${r.dropped} |`);
  }
  const stats = (await (await fetch(`${info.origin}/stats`, { tls: { ca: readFileSync(info.caFile, "utf8") } } as RequestInit)).json()) as { requests: number; checked: number; problems: string[] };
  console.log(`stand-in: ${stats.requests} requests, ${stats.checked} verified and decrypted, problems: ${stats.problems.length}`);
  if (stats.problems.length) console.log(stats.problems.slice(0, 5));
} finally {
  child.kill();
}
