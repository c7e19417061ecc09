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
import type { TestSubscription } from "../tests/support/push.ts";

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
  const facts = { chatId: "01JBENCHCHAT00000000000000", chatTitle: "Family 👪", senderName: "Ann", senderId: "u", messageId: "m", seq: 1, text: "Dinner at 7? The usual place. 🍝".repeat(2), group: true, direct: false, at: Date.now() };
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

/**
 * Fan-out through the whole server: a real server in this process (chats + push modules),
 * 999 members seeded straight into storage, each with a subscription and no live
 * connection; the owner sends one message into each of GROUPS groups over WebSocket.
 * Measures from the first send until the stand-in has answered every push.
 */
async function fanOut(groups: number): Promise<{ pushes: number; perSec: number; cpuUsPerPush: number }> {
  const { startChatsServer } = await import("../tests/support/chats.ts");
  const { pushModule } = await import("../src/push/module.ts");
  const { newId } = await import("../src/ids.ts");
  const { newSession } = await import("../src/storage/contract/fixtures.ts");
  let push!: ReturnType<typeof pushModule>;
  const s = await startChatsServer({
    modules: (deps) => [(push = pushModule(deps))],
    set: [`push.caFile=${info.caFile}`, "push.allowPrivateHosts=127.0.0.1", "log.level=error"],
  });
  try {
    const owner = await s.person("owner");
    const members: string[] = [];
    for (let i = 0; i < 999; i++) {
      const id = newId();
      await s.deps.storage.users.create({ id, username: `m${i}x${id.slice(-6)}`, displayName: `Member ${i}`, passwordHash: "x", role: "member", createdAt: Date.now() });
      const session = await s.deps.storage.sessions.create(newSession(id));
      const sub = info.subscriptions[i % info.subscriptions.length]!;
      await s.deps.storage.push.subscribe({ sessionId: session.id, userId: id, endpoint: `${sub.endpoint}?m=${i}`, p256dh: sub.keys.p256dh, auth: sub.keys.auth, keyId: "bench", createdAt: Date.now() });
      members.push(id);
    }
    const chats: string[] = [];
    for (let g = 0; g < groups; g++) {
      const chatId = (await owner.request("chat.create", { kind: "group", clientId: `g${g}`, title: `Group ${g}`, memberIds: members.slice(0, 100) })).entry.chat.id as string;
      for (let i = 100; i < members.length; i += 100) await owner.request("member.add", { chatId, userIds: members.slice(i, i + 100) });
      chats.push(chatId);
    }
    const before = await stats();
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    for (const chatId of chats) await owner.request("message.send", { chatId, clientId: `m-${chatId}`, text: "Dinner at 7? 🍝" });
    await push.notifier.settled();
    await push.queue.idle();
    const ms = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    const pushes = (await stats()).requests - before.requests;
    return { pushes, perSec: (pushes / ms) * 1000, cpuUsPerPush: (cpu.user + cpu.system) / pushes };
  } finally {
    await s.stop();
  }
}

async function stats(): Promise<{ requests: number; checked: number; problems: string[] }> {
  return (await (await fetch(`${info.origin}/stats`, { tls: { ca: readFileSync(info.caFile, "utf8") } } as RequestInit)).json()) as { requests: number; checked: number; problems: string[] };
}

try {
  await run(32, 500); // warm-up (TLS sessions, JIT)
  console.log(`pushes: ${PUSHES} to ${SUBS} subscriptions, payload ${JSON.stringify(messagePayload({ chatId: "x", chatTitle: "Family 👪", senderName: "Ann", senderId: "u", messageId: "m", seq: 1, text: "Dinner at 7? The usual place. 🍝".repeat(2), group: true, direct: false, at: 0 }, 1, false)).length} B`);
  console.log("| in flight | pushes/s | sender CPU µs/push | dropped |");
  console.log("| --- | --- | --- | --- |");
  for (const inFlight of [8, 32, 128]) {
    const r = await run(inFlight, PUSHES);
    console.log(`| ${inFlight} | ${Math.round(r.perSec).toLocaleString("en-US")} | ${Math.round(r.cpuUsPerPush)} | ${r.dropped} |`);
  }
  const f = await fanOut(5);
  console.log(`\nfan-out through the server: ${f.pushes} pushes (5 messages × 999 members) at ${Math.round(f.perSec).toLocaleString("en-US")} pushes/s, server CPU ${Math.round(f.cpuUsPerPush)} µs/push (notifier + queue + sending)`);
  const st = await stats();
  console.log(`stand-in: ${st.requests} requests, ${st.checked} verified and decrypted, problems: ${st.problems.length}`);
  if (st.problems.length) console.log(st.problems.slice(0, 5));
} finally {
  child.kill();
}
