// Resume as a catch-up per chat (issue 13): a client holding positions for 200 chats is
// away while one chat gets 10,000 changes, one gets exactly chatDifferenceMax and every
// other chat one. On resume it gets, most recently active first, the missed events where
// the difference is small and a chat_reset (a fresh entry) where it is not — nothing for
// unchanged chats, nothing twice — and the typed client (src/client) then holds exactly
// what the server answers afresh. chat.difference answers the same way on request.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { tokenAuth } from "../src/client/auth.ts";
import { createClient } from "../src/client/client.ts";
import { type Person, startChatsServer } from "./support/chats.ts";
import { limits } from "../src/limits.ts";
import type { Welcome } from "../src/protocol/frames.ts";
import type { ChatEntry } from "../src/protocol/methods/chats.ts";
import type { AuthTokens } from "../src/protocol/http.ts";
import { PROTOCOL_VERSION } from "../src/protocol/version.ts";
import { createTestUser, RawSocket, until } from "./support/harness.ts";
import { freshState, Mirror, mirrorOn, mirrorState, positionsOf } from "./chat-logs-support.ts";

setDefaultTimeout(240_000);

const CHATS = 200;
const BIG = Number(process.env.HEARTH_RESUME_BIG ?? 10_000);
const DIFFERENCE_MAX = (limits as unknown as Record<string, number>).chatDifferenceMax ?? 200;
const IN_FLIGHT = 32;

type Pos = ChatEntry & { pos: number };
type ChatEventsFrame = { t: "chat_events"; chatId: string; events: { pos: number; type: string; data: any; at: number }[] };
type ChatResetFrame = { t: "chat_reset"; chatId: string; pos: number; entry: Pos };

let server: Awaited<ReturnType<typeof startChatsServer>>;
let ann: Person;
let bob: AuthTokens;
let chatIds: string[] = [];
beforeAll(async () => {
  server = await startChatsServer();
  ann = await server.person("rsann");
  bob = await createTestUser(server.t);
  for (let i = 0; i < CHATS; i++) {
    const r = await ann.request<{ entry: ChatEntry }>("chat.create", { kind: "group", clientId: `rs-${i}`, title: `chat ${i} 💬`, memberIds: [bob.userId] });
    chatIds.push(r.entry.chat.id);
  }
});
afterAll(() => server.stop());

/** `count` messages into chatId, IN_FLIGHT at a time; returns the last text. */
async function burst(chatId: string, count: number, tag: string): Promise<string> {
  let next = 0;
  const lane = async () => {
    while (next < count) {
      const k = next++;
      await ann.request("message.send", { chatId, clientId: `${tag}-${k}`, text: `${tag} ${k}` });
    }
  };
  await Promise.all(Array.from({ length: Math.min(IN_FLIGHT, count) }, lane));
  return `${tag} ${count - 1}`;
}

const heads = async (): Promise<Map<string, Pos>> => {
  const list = await ann.request<{ chats: Pos[] }>("chat.list", { limit: 1000 });
  return new Map(list.chats.map((e) => [e.chat.id, e]));
};

/** The away period: chat 0 gets BIG changes, chat 1 exactly DIFFERENCE_MAX, the others one each (oldest first). */
async function away(tag: string) {
  await burst(chatIds[0]!, BIG, `${tag}-big`);
  await burst(chatIds[1]!, DIFFERENCE_MAX, `${tag}-mid`);
  for (let i = 2; i < CHATS; i++) await ann.request("message.send", { chatId: chatIds[i]!, clientId: `${tag}-one-${i}`, text: `${tag} one ${i}` });
}

describe("a client back to 200 chats", () => {
  test("raw protocol: differences where small, chat_reset where not, most recently active first", async () => {
    // the positions bob holds: his snapshot's
    const s0 = await RawSocket.open(server.t.wsUrl);
    s0.sendFrame({ t: "hello", v: PROTOCOL_VERSION, token: bob.accessToken });
    const welcome = (await s0.next((f) => f.t === "welcome")) as Welcome;
    s0.ws.close();
    const held = new Map(((welcome.snapshot!.chats as { chats: Pos[] }).chats).map((e) => [e.chat.id, e.pos]));
    expect(held.size).toBe(CHATS);
    for (const id of chatIds) expect(typeof held.get(id)).toBe("number");

    await away("raw");
    const after = await heads();

    let bytes = 0;
    const t0 = performance.now();
    const s = await RawSocket.open(server.t.wsUrl);
    s.ws.addEventListener("message", (m) => (bytes += (m.data as ArrayBuffer).byteLength));
    s.sendFrame({
      t: "hello",
      v: PROTOCOL_VERSION,
      token: bob.accessToken,
      resume: { queueId: welcome.queueId, lastEventId: welcome.lastEventId, chats: chatIds.map((chatId) => ({ chatId, pos: held.get(chatId)! })) },
    });
    expect(await s.next((f) => f.t === "welcome")).toMatchObject({ resumed: true });
    const frames = s.frames as unknown as (ChatEventsFrame | ChatResetFrame | { t: string; chatId?: string })[];
    const reached = (chatId: string) => {
      const head = after.get(chatId)!.pos;
      return frames.some((f) => f.chatId === chatId && ((f.t === "chat_reset" && (f as ChatResetFrame).pos === head) || (f.t === "chat_events" && (f as ChatEventsFrame).events.at(-1)!.pos === head)));
    };
    await until(() => chatIds.every(reached), 30_000, "every chat caught up");
    const ms = performance.now() - t0;

    // chat 0: too far behind → one reset with the entry at the head; no events for it
    const big = chatIds[0]!;
    const resets = frames.filter((f) => f.t === "chat_reset") as ChatResetFrame[];
    expect(resets.map((r) => r.chatId)).toEqual([big]);
    expect(resets[0]!.pos).toBe(after.get(big)!.pos);
    expect(resets[0]!.entry.chat.id).toBe(big);
    expect(resets[0]!.entry.lastMessage?.text).toBe(`raw-big ${BIG - 1}`);
    expect(resets[0]!.entry.unreadCount).toBe(BIG); // bob has read nothing there
    const events = frames.filter((f) => f.t === "chat_events") as ChatEventsFrame[];
    expect(events.filter((f) => f.chatId === big)).toEqual([]);

    // chat 1: exactly chatDifferenceMax behind → all of it as events, contiguous, once
    const mid = chatIds[1]!;
    const midPos = events.filter((f) => f.chatId === mid).flatMap((f) => f.events.map((e) => e.pos));
    expect(midPos).toEqual(Array.from({ length: DIFFERENCE_MAX }, (_, i) => held.get(mid)! + 1 + i));
    // the others: one message.created each, at held + 1
    for (const id of chatIds.slice(2)) {
      const got = events.filter((f) => f.chatId === id).flatMap((f) => f.events);
      expect([id, got.map((e) => [e.pos, e.type])]).toEqual([id, [[held.get(id)! + 1, "message.created"]]]);
    }
    for (const f of events) for (let i = 1; i < f.events.length; i++) expect(f.events[i]!.pos).toBe(f.events[i - 1]!.pos + 1);

    // most recently active first: the order in which chats first appear
    const order: string[] = [];
    for (const f of frames) if ((f.t === "chat_events" || f.t === "chat_reset") && f.chatId && !order.includes(f.chatId)) order.push(f.chatId);
    expect(order.length).toBe(CHATS);
    const lastAt = (id: string) => after.get(id)!.chat.lastAt;
    for (let i = 1; i < order.length; i++) expect(lastAt(order[i]!)).toBeLessThanOrEqual(lastAt(order[i - 1]!));
    console.log(`resume to ${CHATS} chats (1 × ${BIG}, 1 × ${DIFFERENCE_MAX}, ${CHATS - 2} × 1 changes): ${ms.toFixed(0)} ms, ${bytes} bytes`);
    s.ws.close();
  });

  test("chat.difference: events within the bound, a reset beyond it, not_found for a non-member", async () => {
    const s = await RawSocket.hello(server.t.wsUrl, bob.accessToken);
    const after = await heads();
    const mid = chatIds[1]!;
    const head = after.get(mid)!.pos;
    const small = (await s.request("chat.difference", { chatId: mid, afterPos: head - 3 })) as { result: { events: { pos: number }[]; pos: number } };
    expect(small.result.events.map((e) => e.pos)).toEqual([head - 2, head - 1, head]);
    expect(small.result.pos).toBe(head);
    const far = (await s.request("chat.difference", { chatId: chatIds[0]!, afterPos: 1 })) as { result: { reset?: Pos; pos: number; events?: unknown } };
    expect(far.result.reset?.chat.id).toBe(chatIds[0]!);
    expect(far.result.pos).toBe(after.get(chatIds[0]!)!.pos);
    const none = (await s.request("chat.difference", { chatId: mid, afterPos: head })) as { result: { events: unknown[]; pos: number } };
    expect(none.result).toEqual({ events: [], pos: head });
    const stranger = await createTestUser(server.t);
    const x = await RawSocket.hello(server.t.wsUrl, stranger.accessToken);
    expect(await x.request("chat.difference", { chatId: mid, afterPos: 0 })).toMatchObject({ error: { code: "not_found" } });
    expect(await x.request("chat.difference", { chatId: "no-such-chat", afterPos: 0 })).toMatchObject({ error: { code: "not_found" } });
    s.ws.close();
    x.ws.close();
  });

  test("src/client: away, then resumed; it holds exactly the server's state and positions", async () => {
    // offline = the client cannot get a token until the gate opens
    let open: () => void = () => {};
    let gate: Promise<void> = Promise.resolve();
    const inner = tokenAuth(server.t.url, bob);
    const auth = { accessToken: async () => (await gate, inner.accessToken()), refresh: () => inner.refresh() };
    const mirror = new Mirror(bob.userId);
    const client = createClient({ url: server.t.wsUrl, auth, backoffBaseMs: 20, backoffMaxMs: 100, onSnapshot: (snap, w) => mirror.fromSnapshot(snap as Record<string, any>, w.lastEventId) });
    mirrorOn(client, mirror);
    await client.connect();
    expect(Object.keys(positionsOf(client)).length).toBe(CHATS);
    gate = new Promise((r) => (open = r));
    client.drop();
    await until(() => client.status !== "open", 5000, "offline");
    await away("typed");
    const after = await heads();
    open();
    await until(() => chatIds.every((id) => mirror.held.get(id) === after.get(id)!.pos), 30_000, "caught up");
    const call = (m: string, p: unknown) => client.request(m, p) as Promise<any>;
    await mirror.refreshStale(call);
    expect(mirrorState(mirror)).toEqual(await freshState(call, mirror));
    expect(mirror.violations).toEqual([]);
    expect(mirror.snapshots).toBe(1);
    expect(mirror.resets.map((r) => r.chatId)).toEqual([chatIds[0]!]);
    const positions = positionsOf(client);
    for (const id of chatIds) expect([id, positions[id]]).toEqual([id, after.get(id)!.pos]);
    client.close();
  });
});
