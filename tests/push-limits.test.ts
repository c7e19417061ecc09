// Web Push limits and key rotation through a real server and the push-service stand-in:
// a full queue drops pushes and counts them in /metrics (never silently); rotating
// vapid-key changes push.config's key and drops the old subscriptions at the next start.
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from "bun:test";
import { type Person, startChatsServer } from "./support/chats.ts";
import { type PushModule, pushModule } from "../src/push/module.ts";
import { type PushService, startPushService, type TestSubscription } from "./support/push.ts";
import { rotateSecret } from "../src/secrets/store.ts";
import { until } from "./support/harness.ts";

setDefaultTimeout(60_000);

let ps: PushService;
let s: Awaited<ReturnType<typeof startChatsServer>>;
let push: PushModule;
let n = 0;
const cid = () => `l${++n}`;

beforeAll(async () => {
  ps = await startPushService();
  s = await startChatsServer({ modules: (deps) => [(push = pushModule(deps, { queueLimits: { queueMax: 1, inFlightMax: 1 } }))], set: ps.set });
});
afterAll(async () => {
  await s.stop();
  await ps.stop();
});

async function away(prefix: string): Promise<{ p: Person; sub: TestSubscription }> {
  const p = await s.person(prefix);
  const sub = await ps.subscription();
  await p.request("push.subscribe", { endpoint: sub.endpoint, keys: sub.keys });
  await p.request("client.visibility", { visible: false });
  return { p, sub };
}

const dropped = async () => {
  const text = await (await fetch(`${s.t.url}/metrics`)).text();
  return Number(/hearth_push_dropped_total\{reason="queue_full"\} (\d+)/.exec(text)?.[1] ?? 0);
};

test("a full queue drops the push and counts it in /metrics", async () => {
  const owner = await s.person("own");
  const members = [await away("a"), await away("b"), await away("c")];
  const { entry } = await owner.request("chat.create", { kind: "group", clientId: cid(), title: "Three", memberIds: members.map((m) => m.p.id) });
  const before = await dropped();
  const release = ps.hold(); // one push in flight (held), one queued, the third has no room
  await owner.request("message.send", { chatId: entry.chat.id, clientId: cid(), text: "hi" });
  await push.notifier.settled();
  await until(() => ps.waiting() === 1, 10_000, "one push in flight");
  expect(push.queue.size).toBe(1);
  expect(await dropped()).toBe(before + 1);
  release();
  await push.queue.idle();
  expect(members.map((m) => ps.accepted(m.sub.id).length).reduce((a, b) => a + b, 0)).toBe(2);
});

test("a push that waited in the queue is not sent once its session unsubscribed", async () => {
  const owner = await s.person("own");
  const members = [await away("x"), await away("y")];
  const { entry } = await owner.request("chat.create", { kind: "group", clientId: cid(), title: "Two", memberIds: members.map((m) => m.p.id) });
  const metric = async () => Number(/hearth_push_dropped_total\{reason="unsubscribed"\} (\d+)/.exec(await (await fetch(`${s.t.url}/metrics`)).text())?.[1] ?? 0);
  const before = await metric();
  const release = ps.hold();
  await owner.request("message.send", { chatId: entry.chat.id, clientId: cid(), text: "hi" });
  await push.notifier.settled();
  await until(() => ps.waiting() === 1, 10_000, "one push in flight");
  const queued = members.find((m) => !ps.waitingFor().includes(m.sub.id))!;
  await queued.p.request("push.unsubscribe", {});
  release();
  await push.queue.idle();
  expect(ps.delivered.filter((d) => d.subscriptionId === queued.sub.id)).toEqual([]);
  expect(await metric()).toBe(before + 1);
});

test("push.enabled = false: push.config says unavailable, subscribing is refused", async () => {
  const off = await startChatsServer({ modules: (deps) => [pushModule(deps)], set: [...ps.set, "push.enabled=false"] });
  try {
    const p = await off.person("off");
    const sub = await ps.subscription();
    expect(await p.request("push.config", {})).toMatchObject({ available: false, subscribed: false });
    expect(await p.code("push.subscribe", { endpoint: sub.endpoint, keys: sub.keys })).toBe("unavailable");
    expect(await p.code("push.test", {})).toBe("unavailable");
    expect((await p.request("notify.set", { hideContent: true })).hideContent).toBe(true); // settings still work (in-app notifications)
  } finally {
    await off.stop();
  }
});

test("rotating vapid-key: a new public key, and the old subscriptions are gone after the restart", async () => {
  const { p } = await away("rot");
  const before = (await p.request("push.config", {})).vapidPublicKey;
  expect(before).toMatch(/^B[A-Za-z0-9_-]{86}$/);
  rotateSecret(s.t.dir, "vapid-key");
  await s.t.restart();
  // the new server drops them right after it starts (asynchronously): poll storage
  let left = 1;
  for (let i = 0; i < 500 && (left = (await s.t.deps.storage.push.sessionsWithPush(p.id)).size) > 0; i++) await Bun.sleep(20);
  expect(left).toBe(0);
  await p.client.connect();
  const after = await p.request("push.config", {});
  expect(after.vapidPublicKey).not.toBe(before);
  expect(after.subscribed).toBe(false);
});
