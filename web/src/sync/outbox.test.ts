import { expect, test } from "vitest";
import type { WireMessage } from "../../../src/protocol/methods/chats.ts";
import { memoryOutboxStore, Outbox, type OutboxItem, type SendFn } from "./outbox.ts";

/** Stands in for the server's rule: one stored message per (chat, sender, clientId). */
function dedupServer() {
  const stored = new Map<string, WireMessage>();
  let seq = 0;
  const store = (i: OutboxItem): WireMessage => {
    const key = `${i.chatId}/${i.userId}/${i.clientId}`;
    if (!stored.has(key)) stored.set(key, { id: `m${++seq}`, chatId: i.chatId, seq, senderId: i.userId, clientId: i.clientId, text: i.text, entities: [], replyToId: null, forward: null, silent: false, createdAt: seq, editedAt: null, deletedAt: null });
    return stored.get(key)!;
  };
  return { stored, store };
}

const item = (n: number) => ({ clientId: `k${n}`, userId: "u1", chatId: "c1", text: `t${n}`, createdAt: n });
const fail = (code: string) => Object.assign(new Error(code), { code });

test("written offline, sent in order on reconnect, stored once even when an answer was lost", async () => {
  const server = dedupServer();
  const store = memoryOutboxStore();
  const sent: WireMessage[] = [];
  const box = new Outbox(store, () => {}, (m) => sent.push(m));
  await box.add(item(1));
  await box.add(item(2));
  await box.flush(async () => Promise.reject(fail("disconnected"))); // offline: nothing leaves
  expect(box.list().map((i) => i.state)).toEqual(["pending", "pending"]);

  // the server stores k1 but the answer is lost with the connection
  await box.flush(async (i) => {
    server.store(i);
    throw fail("disconnected");
  });
  expect(box.list().length).toBe(2);

  // a reload: a new outbox reads the same store
  const again = new Outbox(store, () => {}, (m) => sent.push(m));
  await again.load("u1");
  await again.flush(async (i) => server.store(i));
  expect(again.list()).toEqual([]);
  expect([...server.stored.values()].map((m) => m.text)).toEqual(["t1", "t2"]);
  expect(sent.map((m) => m.clientId)).toEqual(["k1", "k2"]);
  expect(await store.all()).toEqual([]);
});

test("a refused send is marked failed; it can be retried or discarded", async () => {
  const server = dedupServer();
  const box = new Outbox(memoryOutboxStore());
  await box.add(item(1));
  await box.add(item(2));
  let refuse = true;
  const send: SendFn = async (i) => {
    if (refuse && i.clientId === "k1") throw fail("forbidden");
    return server.store(i);
  };
  await box.flush(send);
  expect(box.list()).toEqual([{ ...item(1), state: "failed", error: "forbidden" }]); // k2 still went out
  refuse = false;
  await box.retry("k1", send);
  expect(box.list()).toEqual([]);
  await box.add(item(3));
  await box.flush(async () => Promise.reject(fail("invalid_field")));
  await box.discard("k3");
  expect(box.list()).toEqual([]);
  expect(server.stored.size).toBe(2);
});

test("the message's own event completes an item even before the send's answer", async () => {
  const box = new Outbox(memoryOutboxStore());
  await box.add(item(1));
  await box.delivered("k1");
  let calls = 0;
  await box.flush(async () => {
    calls++;
    throw fail("disconnected");
  });
  expect(calls).toBe(0);
});

test("items of another account on this device are not loaded", async () => {
  const store = memoryOutboxStore();
  await store.put({ ...item(1), userId: "someone", state: "pending" });
  const box = new Outbox(store);
  await box.load("u1");
  expect(box.list()).toEqual([]);
});

test("a message written while an earlier one is being sent goes out in the same flush", async () => {
  const server = dedupServer();
  const box = new Outbox(memoryOutboxStore());
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const send: SendFn = async (i) => {
    if (i.clientId === "k1") await gate;
    return server.store(i);
  };
  await box.add(item(1));
  const first = box.flush(send); // k1 is in flight
  await box.add(item(2));
  const second = box.flush(send); // joins the running flush
  release();
  await Promise.all([first, second]);
  expect(box.list()).toEqual([]);
  expect([...server.stored.values()].map((m) => m.text)).toEqual(["t1", "t2"]);
});
