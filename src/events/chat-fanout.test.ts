// ChatFanout against an in-memory chat log and the in-process bus: every follower gets
// each chat's events once, in pos order, whatever the bus does (late, doubled, lost,
// reordered batches); catch-up joins the live stream without a hole or a repeat; a
// removed member gets its removal and nothing after; a pruned position asks for a reset.
import { expect, test } from "bun:test";
import { createInprocBus } from "../bus/inproc.ts";
import { topics } from "../bus/port.ts";
import { decode, encode } from "../protocol/codec.ts";
import type { ChatLogEvent } from "../protocol/frames.ts";
import type { ChatLogStore } from "../storage/port.ts";
import { type ChatFollower, ChatFanout } from "./chat-fanout.ts";
import { publishCommitted } from "./publish.ts";

function memoryLog() {
  const rows = new Map<string, ChatLogEvent[]>();
  let oldest = 1;
  let delay = Promise.resolve();
  const store: Pick<ChatLogStore, "read" | "heads"> = {
    async read(chatId, afterPos, limit) {
      await delay;
      return (rows.get(chatId) ?? []).filter((e) => e.pos > afterPos && e.pos >= oldest).slice(0, limit).map((e) => ({ chatId, ...e }));
    },
    async heads(ids) {
      await delay;
      return new Map(ids.map((id) => [id, { pos: rows.get(id)?.length ?? 0, oldestPos: oldest }]));
    },
  };
  return {
    store,
    append(chatId: string, type = "message.created", data: unknown = {}): ChatLogEvent {
      const list = rows.get(chatId) ?? [];
      rows.set(chatId, list);
      const e = { pos: list.length + 1, type, data, at: 1 };
      list.push(e);
      return e;
    },
    pruneTo(pos: number) {
      oldest = pos;
    },
    hold(p: Promise<void>) {
      delay = p;
    },
  };
}

/** Bun's native topics, as the fan-out sees them: a publish reaches the subscribed sockets. */
const topicsOf = new Map<string, Set<(bytes: Uint8Array) => void>>();
const nativePublish = (topic: string, bytes: Uint8Array) => {
  for (const deliver of topicsOf.get(topic) ?? []) deliver(bytes);
};

function follower(userId: string) {
  const got: number[] = [];
  const state = { unfollowed: 0, behind: 0, errors: [] as unknown[], shared: 0, alone: 0 };
  const receive = (bytes: Uint8Array) => {
    const frame = decode(bytes) as { t: string; events: ChatLogEvent[] };
    expect(frame.t).toBe("chat_events");
    for (const e of frame.events) got.push(e.pos);
  };
  const socket = (bytes: Uint8Array) => {
    state.shared++;
    receive(bytes);
  };
  const f: ChatFollower = {
    userId,
    sendChatFrame(bytes) {
      state.alone++;
      receive(bytes);
    },
    subscribe: (topic) => void (topicsOf.get(topic) ?? topicsOf.set(topic, new Set()).get(topic)!).add(socket),
    unsubscribe: (topic) => void topicsOf.get(topic)?.delete(socket),
    unfollowed: () => void state.unfollowed++,
    behind: () => void state.behind++,
    onError: (e) => void state.errors.push(e),
  };
  return { f, got, state };
}

const tick = () => new Promise((r) => setTimeout(r, 0));
const range = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_, i) => a + i);

function setup() {
  const log = memoryLog();
  const bus = createInprocBus();
  topicsOf.clear();
  const fanout = new ChatFanout({ storage: { chatLog: log.store as ChatLogStore }, bus, log: console as never, publish: nativePublish }, { pageMax: 3, frameEventsMax: 2 });
  const publish = (chatId: string, events: ChatLogEvent[]) => bus.publish(topics.chatLog(chatId), encode({ chatId, events }));
  return { log, bus, fanout, publish };
}

test("live batches reach every follower once, in order, through late, doubled and reordered bus messages", async () => {
  const { log, fanout, publish } = setup();
  const a = follower("a");
  const b = follower("b");
  fanout.follow("c1", a.f, 0);
  fanout.follow("c1", b.f, 0);
  await tick();
  const e = range(1, 8).map(() => log.append("c1"));
  await publish("c1", [e[0]!]);
  await publish("c1", [e[0]!]); // doubled
  await publish("c1", [e[3]!, e[4]!]); // jumps over 2..3: read from storage
  await publish("c1", [e[1]!]); // late
  await publish("c1", [e[7]!]); // 6..7 never come on the bus
  for (let i = 0; i < 5; i++) await tick();
  expect(a.got).toEqual(range(1, 8));
  expect(b.got).toEqual(range(1, 8));
  expect([a.state.alone, b.state.alone]).toEqual([0, 0]); // all by the shared publish
});

test("a follower catching up from an old position joins the live stream without a hole or a repeat", async () => {
  const { log, fanout, publish } = setup();
  const live = follower("live");
  fanout.follow("c1", live.f, 0);
  await tick();
  for (let i = 0; i < 10; i++) await publish("c1", [log.append("c1")]);
  const late = follower("late");
  fanout.follow("c1", late.f, 2); // holds 1..2
  // changes keep coming while it reads pages of 3
  for (let i = 0; i < 5; i++) {
    await publish("c1", [log.append("c1")]);
    await tick();
  }
  for (let i = 0; i < 10; i++) await tick();
  expect(live.got).toEqual(range(1, 15));
  expect(late.got).toEqual(range(3, 15));
});

test("a removed member gets the removal and nothing after it, live and while catching up", async () => {
  const { log, fanout, publish } = setup();
  const stays = follower("stays");
  const goes = follower("goes");
  fanout.follow("c1", stays.f, 0);
  fanout.follow("c1", goes.f, 0);
  await tick();
  const m1 = log.append("c1");
  const removal = log.append("c1", "chat.member_removed", { userIds: ["goes"] });
  const m3 = log.append("c1");
  await publish("c1", [m1, removal, m3]); // one batch: split at the removal
  await tick();
  expect(stays.got).toEqual([1, 2, 3]);
  expect(goes.got).toEqual([1, 2]);
  expect(goes.state.unfollowed).toBe(1);
  await publish("c1", [log.append("c1")]); // the topic no longer reaches it
  await tick();
  expect([stays.got.at(-1), goes.got.at(-1)]).toEqual([4, 2]);

  const catching = follower("goes");
  fanout.follow("c1", catching.f, 0); // an old position past the removal, from storage
  for (let i = 0; i < 5; i++) await tick();
  expect(catching.got).toEqual([1, 2]);
  expect(catching.state.shared).toBe(0);
  expect(catching.state.unfollowed).toBe(1);
});

test("a position older than the kept log asks for a reset instead of leaving a hole", async () => {
  const { log, fanout } = setup();
  for (let i = 0; i < 6; i++) log.append("c1");
  log.pruneTo(4);
  const old = follower("old");
  fanout.follow("c1", old.f, 1);
  for (let i = 0; i < 3; i++) await tick();
  expect(old.got).toEqual([]);
  expect(old.state.behind).toBe(1);
  expect(fanout.size).toBe(0); // nobody follows c1 any more: the topic is closed
});

test("a follower whose position is ahead of the topic's head gets only what it lacks", async () => {
  const { log, fanout, publish } = setup();
  let release!: () => void;
  log.hold(new Promise((r) => (release = r)));
  const first = follower("first");
  fanout.follow("c1", first.f, 0); // the head read (0) waits
  const e = [log.append("c1"), log.append("c1"), log.append("c1")];
  const ahead = follower("ahead");
  fanout.follow("c1", ahead.f, 2); // its position came from a read newer than the head
  await publish("c1", e);
  release();
  for (let i = 0; i < 5; i++) await tick();
  expect(first.got).toEqual([1, 2, 3]);
  expect(ahead.got).toEqual([3]);
  await publish("c1", [log.append("c1")]); // and from then on the shared frames
  await tick();
  expect([first.got.at(-1), ahead.got.at(-1), ahead.state.shared]).toEqual([4, 4, 1]);
});

test("unfollowing leaves the native topic: later publishes do not reach the socket", async () => {
  const { log, fanout, publish } = setup();
  const a = follower("a");
  const b = follower("b");
  fanout.follow("c1", a.f, 0);
  fanout.follow("c1", b.f, 0);
  await tick();
  await publish("c1", [log.append("c1")]);
  fanout.unfollow("c1", b.f);
  await publish("c1", [log.append("c1")]);
  await tick();
  expect([a.got, b.got]).toEqual([[1, 2], [1]]);
  fanout.unfollow("c1", a.f);
  expect([fanout.size, topicsOf.get("c:c1")?.size]).toEqual([0, 0]);
});

test("a batch this process published goes to live followers as the bus bytes themselves; a split one is encoded anew", async () => {
  const { log, bus, fanout } = setup();
  const sent: Uint8Array[] = [];
  const spy = (bytes: Uint8Array) => void sent.push(bytes);
  const a = follower("a");
  fanout.follow("c1", a.f, 0);
  await tick();
  topicsOf.get("c:c1")!.add(spy);
  const stored = (events: ChatLogEvent[]) => events.map((e) => ({ chatId: "c1", ...e }));
  const payloads: Uint8Array[] = [];
  const watching = bus.subscribe(topics.chatLog("c1"), (p) => void payloads.push(p));
  await publishCommitted({ bus }, { events: [], chatEvents: stored([log.append("c1"), log.append("c1")]) });
  for (let i = 0; i < 3; i++) await tick();
  expect(sent).toHaveLength(1);
  expect(sent[0]).toBe(payloads[0]!); // the very bytes on the bus
  expect(decode(sent[0]!)).toEqual({ t: "chat_events", chatId: "c1", events: [{ pos: 1, type: "message.created", data: {}, at: 1 }, { pos: 2, type: "message.created", data: {}, at: 1 }] });
  // three events with frames of at most two: split, each part encoded on its own
  await publishCommitted({ bus }, { events: [], chatEvents: stored([log.append("c1"), log.append("c1"), log.append("c1")]) });
  for (let i = 0; i < 3; i++) await tick();
  expect(sent.slice(1).map((b) => (decode(b) as { events: ChatLogEvent[] }).events.map((e) => e.pos))).toEqual([[3, 4], [5]]);
  expect(sent.slice(1).some((b) => b === payloads[1])).toBe(false);
  expect(a.got).toEqual(range(1, 5));
  watching();
});
