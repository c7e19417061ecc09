// Random disconnects across many chats (issue 13): people act in a dozen chats — send,
// edit, delete, react, pin, rename, read, add and remove members — while their extra
// devices (mirror clients that only listen) are dropped from either side at random. At
// the end every mirror holds exactly what the server answers afresh (chat list with
// positions and counts, each chat's history with reactions and tombstones, pins), and its
// handlers saw every chat position once, in order, and no user-log id twice or skipped.
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from "bun:test";
import { type Person, startChatsServer } from "./support/chats.ts";
import type { HearthClient } from "../src/client/client.ts";
import type { ChatEntry } from "../src/protocol/methods/chats.ts";
import { authPaths, type AuthTokens } from "../src/protocol/http.ts";
import { connectClient, until } from "./support/harness.ts";
import { freshState, Mirror, mirrorOn, mirrorState } from "./chat-logs-support.ts";
import { seededRng } from "./support/seed.ts";

setDefaultTimeout(120_000);
const random = seededRng("chat-logs disconnects");

const PEOPLE = 5;
const DEVICES = 2; // listening mirror clients per person
const GROUPS = 10;
const ROUNDS = Number(process.env.HEARTH_CHAT_LOG_ROUNDS ?? 400);

let server: Awaited<ReturnType<typeof startChatsServer>>;
beforeAll(async () => {
  server = await startChatsServer();
});
afterAll(() => server.stop());

interface Device {
  person: Person;
  client: HearthClient;
  mirror: Mirror;
}

async function device(p: Person): Promise<Device> {
  const tokens = await loginAgain(p);
  const mirror = new Mirror(p.id);
  const client = await connectClient(server.t, tokens, { ackDelayMs: 10, onSnapshot: (s, w) => mirror.fromSnapshot(s as Record<string, any>, w.lastEventId) });
  mirrorOn(client, mirror);
  return { person: p, client, mirror };
}

// a second session of the same person (its own device), through the real login
async function loginAgain(p: Person) {
  const res = await fetch(server.t.url + authPaths.login, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username: p.username, password: "correct horse battery staple", deviceName: "mirror" }),
  });
  if (!res.ok) throw new Error(`login ${p.username}: ${res.status} ${await res.text()}`);
  return (await res.json()) as AuthTokens;
}

test("random drops across many chats: every device ends with the server's state, no gap, no duplicate", async () => {
  const people = await Promise.all(Array.from({ length: PEOPLE }, (_, i) => server.person(`dc${i}`)));
  const devices = (await Promise.all(people.flatMap((p) => Array.from({ length: DEVICES }, () => device(p))))) as Device[];
  const chats: { id: string; owner: Person; kind: "group" | "direct" }[] = [];
  for (let g = 0; g < GROUPS; g++) {
    const owner = random.pick(people);
    const others = people.filter((p) => p !== owner && random() < 0.6);
    const r = await owner.request<{ entry: ChatEntry }>("chat.create", { kind: "group", clientId: `dc-${g}`, title: `group ${g} 🧪`, memberIds: others.map((p) => p.id) });
    chats.push({ id: r.entry.chat.id, owner, kind: "group" });
  }
  for (let d = 0; d < 3; d++) {
    const [a, b] = [people[d]!, people[d + 1]!];
    const r = await a.request<{ entry: ChatEntry }>("chat.create", { kind: "direct", userId: b.id });
    chats.push({ id: r.entry.chat.id, owner: a, kind: "direct" });
  }

  const sent = new Map<string, { chatId: string; id: string; seq: number; by: Person }[]>();
  let drops = 0;
  let done = 0;
  const act = async () => {
    const c = random.pick(chats);
    const members = (await c.owner.request<{ members: { userId: string }[] }>("member.list", { chatId: c.id, limit: 100 }).catch(() => ({ members: [] }))).members;
    const inside = people.filter((p) => members.some((m) => m.userId === p.id));
    if (!inside.length) return;
    const who = random.pick(inside);
    const mine = (sent.get(c.id) ?? []).filter((m) => m.by === who);
    const any = sent.get(c.id) ?? [];
    const r = random();
    if (r < 0.5 || !any.length) {
      const text = random() < 0.2 ? `@${random.pick(people).username} look ${done}` : `m ${done} ✨`;
      const { message } = await who.request<{ message: { id: string; seq: number } }>("message.send", { chatId: c.id, clientId: crypto.randomUUID(), text });
      sent.set(c.id, [...any, { chatId: c.id, id: message.id, seq: message.seq, by: who }]);
    } else if (r < 0.6 && mine.length) {
      await who.request("message.edit", { chatId: c.id, messageId: random.pick(mine).id, text: `edited ${done}` });
    } else if (r < 0.65 && mine.length) {
      const m = random.pick(mine);
      await who.request("message.delete", { chatId: c.id, messageId: m.id, forEveryone: true });
      sent.set(
        c.id,
        any.filter((x) => x !== m),
      );
    } else if (r < 0.8) {
      await who.request("reaction.toggle", { chatId: c.id, messageId: random.pick(any).id, emoji: random.pick(["👍", "🔥", "😂"]) });
    } else if (r < 0.85) {
      const m = random.pick(any);
      await c.owner.request(random() < 0.6 ? "message.pin" : "message.unpin", { chatId: c.id, messageId: m.id });
    } else if (r < 0.9) {
      await who.request("read.update", { chatId: c.id, seq: random.pick(any).seq });
    } else if (r < 0.93 && c.kind === "group") {
      await c.owner.request("chat.rename", { chatId: c.id, title: `renamed ${done} ✨` });
    } else if (c.kind === "group") {
      const outside = people.filter((p) => !inside.includes(p));
      const removable = inside.filter((p) => p !== c.owner);
      if (outside.length && (random() < 0.5 || !removable.length)) await c.owner.request("member.add", { chatId: c.id, userIds: [random.pick(outside).id] });
      else if (removable.length) await c.owner.request("member.remove", { chatId: c.id, userId: random.pick(removable).id });
    }
  };

  for (let round = 0; round < ROUNDS; round++) {
    // an action may meet a dropped socket of the actor (server-side drops pick any connection): that is fine
    await act().catch((e) => {
      if (!["disconnected", "not_found", "forbidden", "conflict", "invalid_field"].includes((e as { code?: string }).code ?? "")) throw e;
    });
    done++;
    const r = random();
    if (r < 0.08) {
      random.pick(devices).client.drop();
      drops++;
    } else if (r < 0.14) {
      const mirrors = new Set(devices.map((d) => d.person.id));
      const live = server.t.ws.hub.live().filter((c) => mirrors.has(c.userId));
      random.pick(live)?.bye("too_slow", "test: forced");
      drops++;
    }
    if (random() < 0.1) await Bun.sleep(random() * 20);
  }
  for (const p of people) await until(() => p.client.status === "open", 10_000, `${p.username} back`);

  // every device catches up to the server's heads, then holds exactly the fresh state
  for (const d of devices) {
    const call = (m: string, params: unknown) => d.person.request<any>(m, params);
    const head = async () => {
      const list = (await call("chat.list", { limit: 1000 })) as { chats: (ChatEntry & { pos: number })[] };
      const queue = await server.deps.storage.events.queueInfo(d.person.id);
      return { list: list.chats, lastEventId: queue.lastEventId };
    };
    const h = await head();
    await until(
      () => d.mirror.lastEventId === h.lastEventId && h.list.every((e) => d.mirror.held.get(e.chat.id) === e.pos),
      20_000,
      `${d.person.username}'s device reaches the heads`,
    );
    await d.mirror.refreshStale(call);
    const fresh = await freshState(call, d.mirror);
    expect(mirrorState(d.mirror)).toEqual(fresh);
    expect(d.mirror.violations).toEqual([]);
    expect(d.mirror.snapshots).toBe(1); // every reconnect resumed
    expect(d.mirror.resets).toEqual([]); // no outage here is long enough for "too far behind"
    for (const [chatId, log] of d.mirror.posLog) {
      for (let i = 1; i < log.length; i++) expect([chatId, log[i]! > log[i - 1]!]).toEqual([chatId, true]);
    }
  }
  const events = devices.reduce((n, d) => n + [...d.mirror.posLog.values()].reduce((k, l) => k + l.length, 0), 0);
  expect(drops).toBeGreaterThan(ROUNDS / 20);
  expect(events).toBeGreaterThan(ROUNDS); // the comparison is not vacuous
  console.log(`chat-logs disconnects: ${ROUNDS} actions in ${chats.length} chats, ${drops} drops, ${events} chat events seen by ${devices.length} devices`);
  for (const d of devices) d.client.close();
});
