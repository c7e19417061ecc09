// A member removed mid-stream receives nothing after the removal event (issue 13): live,
// while messages keep flowing; on resume with the old position; through chat.difference;
// and when re-added, only what follows the new join. Absence is proven with barriers:
// a member still in the chat has received the later events (so the server published
// them), then the removed person's own barrier (a private change on the same socket)
// has arrived, so anything sent to that socket before it would have arrived too.
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from "bun:test";
import { type Person, startChatsServer } from "./support/chats.ts";
import type { Welcome } from "../src/protocol/frames.ts";
import type { ChatEntry } from "../src/protocol/methods/chats.ts";
import { PROTOCOL_VERSION } from "../src/protocol/version.ts";
import { createTestUser, RawSocket, until } from "./support/harness.ts";
import type { Seen } from "./chat-logs-support.ts";

setDefaultTimeout(60_000);

let server: Awaited<ReturnType<typeof startChatsServer>>;
beforeAll(async () => {
  server = await startChatsServer();
});
afterAll(() => server.stop());

type Pos = ChatEntry & { pos: number };
const send = (p: Person, chatId: string, text: string) => p.request<{ message: { id: string; seq: number } }>("message.send", { chatId, clientId: crypto.randomUUID(), text });
type ChatSeen = Seen & { chatId: string; pos: number };
const chatEventsOf = (p: Person, chatId: string) => (p.events as unknown as Seen[]).filter((e): e is ChatSeen => e.chatId === chatId && e.pos !== undefined && !e.id);
const texts = (p: Person, chatId: string) => (p.events as unknown as Seen[]).filter((e) => e.type === "message.created" && e.data.message.chatId === chatId).map((e) => e.data.message.text as string);

/** The chat's head position as a member still in it sees it. */
async function headOf(p: Person, chatId: string): Promise<number> {
  return (await p.request<Pos>("chat.get", { chatId })).pos;
}

/** `witness` (still a member) has every event of chatId up to its head; then `absent`'s own barrier. */
async function chatBarrier(witness: Person, absent: Person, chatId: string): Promise<void> {
  const head = await headOf(witness, chatId);
  await until(() => chatEventsOf(witness, chatId).some((e) => e.pos === head), 10_000, `${witness.username} reaches pos ${head}`);
  await absent.barrier();
}

async function group(owner: Person, members: Person[], title: string): Promise<string> {
  const r = await owner.request<{ entry: ChatEntry }>("chat.create", { kind: "group", clientId: crypto.randomUUID(), title, memberIds: members.map((m) => m.id) });
  return r.entry.chat.id;
}

test("removed while messages flow: the removal is the last event of that chat the member gets", async () => {
  const ann = await server.person("rmann");
  const bob = await server.person("rmbob");
  const cat = await server.person("rmcat");
  const chatId = await group(ann, [bob, cat], "stream 🌊");
  let running = true;
  let n = 0;
  const stream = (async () => {
    while (running) await Promise.all([send(ann, chatId, `s${n++}`), send(cat, chatId, `s${n++}`)]);
  })();
  await until(() => texts(bob, chatId).length >= 20, 10_000, "bob sees the stream");
  await ann.request("member.remove", { chatId, userId: bob.id });
  const removedAt = await headOf(ann, chatId); // ≥ the removal's pos
  const sentBefore = n;
  await until(() => n >= sentBefore + 40, 10_000, "more messages after the removal");
  running = false;
  await stream;
  await send(ann, chatId, "after the stream");
  await chatBarrier(cat, bob, chatId);

  const removal = chatEventsOf(ann, chatId).find((e) => e.type === "chat.member_removed" && e.data.userIds.includes(bob.id))!;
  expect(removal.pos).toBeLessThanOrEqual(removedAt);
  const bobs = chatEventsOf(bob, chatId);
  expect(bobs.length).toBeGreaterThan(20);
  expect(bobs.every((e) => e.pos <= removal.pos)).toBe(true);
  expect(texts(bob, chatId)).not.toContain("after the stream");
  // the messages bob got are exactly the chat's messages before the removal, in order
  const before = chatEventsOf(ann, chatId).filter((e) => e.pos < removal.pos && e.type === "message.created");
  expect(texts(bob, chatId)).toEqual(before.map((e) => e.data.message.text));
  // he hears of it (the chat log's removal, or the user log's chat.left)
  const heard = bobs.some((e) => e.type === "chat.member_removed") || bob.seen<{ chatId: string }>("chat.left").some((d) => d.chatId === chatId);
  expect(heard).toBe(true);
  expect(await bob.code("message.list", { chatId, anchor: "latest", direction: "before" })).toBe("not_found");
  expect(await bob.code("chat.difference", { chatId, afterPos: 0 })).toBe("not_found");
});

test("removed while offline: the resume gives the removal (or chat.left) and nothing after it", async () => {
  const ann = await server.person("roann");
  const bob = await createTestUser(server.t);
  const chatId = (await ann.request<{ entry: ChatEntry }>("chat.create", { kind: "group", clientId: crypto.randomUUID(), title: "offline 🛰️", memberIds: [bob.userId] })).entry.chat.id;
  for (let i = 0; i < 5; i++) await send(ann, chatId, `before ${i}`);
  const first = await RawSocket.open(server.t.wsUrl);
  first.sendFrame({ t: "hello", v: PROTOCOL_VERSION, token: bob.accessToken });
  const w = (await first.next((f) => f.t === "welcome")) as Welcome;
  first.ws.close();
  const held = ((w.snapshot!.chats as { chats: Pos[] }).chats.find((e) => e.chat.id === chatId)!).pos;
  expect(held).toBe(await headOf(ann, chatId));
  for (let i = 0; i < 10; i++) await send(ann, chatId, `missed ${i}`);
  await ann.request("member.remove", { chatId, userId: bob.userId });
  const removal = await headOf(ann, chatId);
  for (let i = 0; i < 10; i++) await send(ann, chatId, `after ${i}`);
  expect(await headOf(ann, chatId)).toBeGreaterThan(removal);

  const s = await RawSocket.open(server.t.wsUrl);
  s.sendFrame({ t: "hello", v: PROTOCOL_VERSION, token: bob.accessToken, resume: { queueId: w.queueId, lastEventId: w.lastEventId, chats: [{ chatId, pos: held }] } });
  expect(await s.next((f) => f.t === "welcome")).toMatchObject({ resumed: true });
  // a private change of bob's: once its user-log event is here, the resume answer is complete
  const saved = ((await s.request("chat.create", { kind: "saved" })) as { result: { entry: ChatEntry } }).result.entry.chat.id;
  await s.request("chat.mute", { chatId: saved, muted: true });
  await s.next((f) => f.t === "events" && f.events.some((e) => e.type === "chat.member_updated" && (e.data as { chatId: string }).chatId === saved));
  const frames = s.frames as unknown as { t: string; chatId?: string; events?: { pos?: number; type: string; data: any }[] }[];
  const forChat = frames.filter((f) => f.t === "chat_events" && f.chatId === chatId).flatMap((f) => f.events!);
  expect(forChat.every((e) => e.pos! > held && e.pos! <= removal)).toBe(true);
  expect(frames.some((f) => f.t === "chat_reset" && f.chatId === chatId)).toBe(false);
  const userLog = frames.filter((f) => f.t === "events").flatMap((f) => f.events!);
  const left = userLog.some((e) => e.type === "chat.left" && e.data.chatId === chatId) || forChat.some((e) => e.type === "chat.member_removed");
  expect(left).toBe(true);
  // what did come for the chat is contiguous from bob's position
  expect(forChat.map((e) => e.pos)).toEqual(forChat.map((_, i) => held + 1 + i));
  const allText = JSON.stringify(frames);
  for (let i = 0; i < 10; i++) expect(allText).not.toContain(`"after ${i}"`);
  // still nothing after a later live message, and a fresh difference is refused
  await send(ann, chatId, "after all");
  await s.request("chat.mute", { chatId: saved, muted: false });
  await s.next((f) => f.t === "events" && f.events.some((e) => e.type === "chat.member_updated" && (e.data as { me?: { muted: boolean } }).me?.muted === false));
  expect(JSON.stringify(s.frames)).not.toContain("after all");
  expect((await s.request("chat.difference", { chatId, afterPos: held }))).toMatchObject({ error: { code: "not_found" } });
  s.ws.close();
});

test("re-added: the member starts at the new join position, never sees what happened while out", async () => {
  const ann = await server.person("raann");
  const bob = await server.person("rabob");
  const cat = await server.person("racat");
  const chatId = await group(ann, [bob, cat], "again 🔁");
  await send(ann, chatId, "first");
  await ann.request("member.remove", { chatId, userId: bob.id });
  await send(ann, chatId, "while out");
  await cat.request("message.edit", { chatId, messageId: (await send(cat, chatId, "edited later")).message.id, text: "edited while out" });
  await ann.request("member.add", { chatId, userIds: [bob.id] });
  await send(ann, chatId, "back");
  await chatBarrier(cat, bob, chatId);
  const joined = bob.seen<{ entry: Pos; pos: number }>("chat.joined").filter((d) => d.entry.chat.id === chatId);
  expect(joined.length).toBe(2); // created with him in it, then re-added
  const rejoin = joined.at(-1)!;
  const bobs = chatEventsOf(bob, chatId);
  const removal = bob.seen<{ chatId: string; pos: number }>("chat.left").find((d) => d.chatId === chatId)?.pos ?? bobs.find((e) => e.type === "chat.member_removed")?.pos;
  expect(removal).toBeGreaterThan(joined[0]!.pos);
  expect(rejoin.pos).toBeGreaterThan(removal!);
  expect(bobs.every((e) => e.pos <= removal! || e.pos > rejoin.pos)).toBe(true);
  expect(texts(bob, chatId)).toEqual(["first", "back"]);
  expect(bobs.filter((e) => e.type === "message.edited")).toEqual([]);
  // the join entry is the chat's state at the join: what happened while out is history he may page
  expect(rejoin.entry.lastMessage?.text).toBe("edited while out");
});
