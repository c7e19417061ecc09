// The client's own rules, against a scripted peer on a real socket: an out-of-order
// event id is never delivered (the client drops and resumes instead), duplicates are
// skipped, pending calls fail on disconnect, timeouts and final byes surface as errors.
import { afterEach, expect, test } from "bun:test";
import type { Server, ServerWebSocket } from "bun";
import { decode, encode } from "../protocol/codec.ts";
import { createClient, type HearthClient } from "./client.ts";
import { ClientError } from "./errors.ts";

type Script = (ws: ServerWebSocket<unknown>, frame: Record<string, unknown>, conn: number) => void;

let server: Server<unknown> | null = null;
let client: HearthClient | null = null;
afterEach(() => {
  client?.close();
  server?.stop(true);
});

function scripted(script: Script) {
  const hellos: Record<string, unknown>[] = [];
  let conns = 0;
  const ids = new WeakMap<object, number>();
  server = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    fetch: (req, srv) => (srv.upgrade(req, { data: undefined }) ? undefined : new Response("no", { status: 400 })),
    websocket: {
      open: (ws) => void ids.set(ws, ++conns),
      message(ws, msg) {
        const frame = decode(msg as Uint8Array) as Record<string, unknown>;
        if (frame.t === "hello") hellos.push(frame);
        script(ws, frame, ids.get(ws)!);
      },
    },
  });
  return { url: `ws://127.0.0.1:${server.port}/ws`, hellos };
}

const auth = { accessToken: async () => "tok", refresh: async () => "tok2" };
const welcome = (resumed: boolean, lastEventId = 0) =>
  encode({ t: "welcome", v: 1, queueId: "q1", lastEventId, server: { name: "s", version: "0" }, resumed, ...(resumed ? {} : { snapshot: {} }) });
const events = (...ids: number[]) => encode({ t: "events", events: ids.map((id) => ({ id, type: "x.happened", data: id, at: 1 })) });
const until = async (cond: () => boolean) => {
  for (let i = 0; i < 2000 && !cond(); i++) await Bun.sleep(5);
  if (!cond()) throw new Error("condition not met");
};

test("a skipped id is never delivered: the client drops and resumes from the last applied id", async () => {
  const { url, hellos } = scripted((ws, f, conn) => {
    if (f.t !== "hello") return;
    if (conn === 1) {
      ws.send(welcome(false));
      ws.send(events(1, 2));
      ws.send(events(4)); // 3 is missing
    } else {
      ws.send(welcome(true, 4));
      ws.send(events(2, 3, 4)); // 2 again: skipped, never twice
    }
  });
  const seen: number[] = [];
  client = createClient({ url, auth, backoffBaseMs: 5 });
  client.on("*", (_d, e) => seen.push(e.id));
  await client.connect();
  await until(() => seen.length === 4);
  expect(seen).toEqual([1, 2, 3, 4]);
  expect(hellos[1]).toMatchObject({ resume: { queueId: "q1", lastEventId: 2 } });
});

const chatEvents = (chatId: string, ...ps: number[]) => encode({ t: "chat_events", chatId, events: ps.map((pos) => ({ pos, type: "message.created", data: { pos }, at: 1 })) });
const chatSnapshot = (...chats: [string, number][]) => ({ chats: { chats: chats.map(([id, pos]) => ({ chat: { id }, pos })), hasMore: false } });

test("chat changes reach on(type) with chatId and pos; a jump asks chat.difference once and applies in order", async () => {
  const asks: unknown[] = [];
  const { url } = scripted((ws, f) => {
    if (f.t === "hello") {
      ws.send(encode({ t: "welcome", v: 2, queueId: "q1", lastEventId: 0, server: { name: "s", version: "0" }, resumed: false, snapshot: chatSnapshot(["c1", 5]) }));
      ws.send(chatEvents("c1", 4, 5, 6)); // 4, 5 already in the snapshot
      ws.send(chatEvents("c1", 9)); // 7, 8 missing
      ws.send(chatEvents("c1", 10));
    }
    if (f.t === "req" && f.method === "chat.difference") {
      asks.push(f.params);
      ws.send(encode({ t: "res", id: f.id, result: { pos: 10, events: [7, 8, 9].map((pos) => ({ pos, type: "message.created", data: { pos }, at: 1 })) } }));
    }
  });
  const seen: [string | undefined, number | undefined, number][] = [];
  client = createClient({ url, auth, backoffBaseMs: 5 });
  client.on("message.created", (_d, e) => seen.push([e.chatId, e.pos, e.id]));
  await client.connect();
  await until(() => seen.length === 5);
  expect(seen.map((x) => x[1])).toEqual([6, 7, 8, 9, 10]);
  expect(seen.every(([c, , id]) => c === "c1" && id === 0)).toBe(true);
  expect(asks).toEqual([{ chatId: "c1", afterPos: 6 }]);
  expect(client.positions()).toEqual([{ chatId: "c1", pos: 10 }]);
});

test("a gap the live stream fills while chat.difference is on its way: the answer's duplicates change nothing", async () => {
  let answer: (() => void) | null = null;
  const { url, hellos } = scripted((ws, f) => {
    if (f.t === "hello") {
      ws.send(encode({ t: "welcome", v: 2, queueId: "q1", lastEventId: 0, server: { name: "s", version: "0" }, resumed: false, snapshot: chatSnapshot(["c1", 1]) }));
      ws.send(chatEvents("c1", 3)); // 2 comes late
    }
    if (f.t === "req" && f.method === "chat.difference") {
      answer = () => ws.send(encode({ t: "res", id: f.id, result: { pos: 3, events: [2, 3].map((pos) => ({ pos, type: "message.created", data: { pos }, at: 1 })) } }));
      ws.send(chatEvents("c1", 2));
      ws.send(encode({ t: "ephemeral", events: [{ type: "barrier", data: null }] }));
    }
  });
  const seen: (number | undefined)[] = [];
  let barriers = 0;
  const failures: unknown[] = [];
  client = createClient({ url, auth, backoffBaseMs: 5, onError: (e) => failures.push(e) });
  client.on("message.created", (_d, e) => seen.push(e.pos));
  client.onEphemeral("barrier", () => {
    barriers++;
    answer?.();
  });
  await client.connect();
  await until(() => barriers === 1 && seen.length === 2);
  await client.request("chat.difference", { chatId: "c1", afterPos: 3 }).catch(() => undefined); // a round trip after the answer
  expect(seen).toEqual([2, 3]);
  expect(failures).toEqual([]);
  expect(hellos.length).toBe(1); // no drop, no resume
});

test("chat_reset reaches onChatReset, later changes continue from its pos, and a resume sends the positions held", async () => {
  const { url, hellos } = scripted((ws, f, conn) => {
    if (f.t !== "hello") return;
    if (conn === 1) {
      ws.send(encode({ t: "welcome", v: 2, queueId: "q1", lastEventId: 0, server: { name: "s", version: "0" }, resumed: false, snapshot: chatSnapshot(["c1", 1], ["c2", 3]) }));
      ws.send(encode({ t: "chat_reset", chatId: "c1", pos: 500, entry: { chat: { id: "c1" }, pos: 500 } }));
      ws.send(chatEvents("c1", 500, 501));
      ws.send(encode({ t: "events", events: [{ id: 1, type: "chat.joined", data: { entry: { chat: { id: "c3" }, pos: 7 }, pos: 7 }, at: 1 }] }));
      ws.send(chatEvents("c3", 8));
      ws.send(encode({ t: "events", events: [{ id: 2, type: "chat.left", data: { chatId: "c2", pos: 4 }, at: 1 }] }));
      ws.send(chatEvents("c2", 4, 5)); // nothing after leaving
      ws.send(encode({ t: "ephemeral", events: [{ type: "barrier", data: null }] })); // frames are read in order
    } else ws.send(welcome(true, 2));
  });
  const resets: unknown[] = [];
  const seen: string[] = [];
  client = createClient({ url, auth, backoffBaseMs: 5 });
  client.onChatReset((r) => resets.push(r));
  let barrier = false;
  client.on("*", (_d, e) => seen.push(e.chatId ? `${e.chatId}@${e.pos}` : e.type));
  client.onEphemeral("barrier", () => (barrier = true));
  await client.connect();
  await until(() => barrier);
  expect(resets).toEqual([{ chatId: "c1", pos: 500, entry: { chat: { id: "c1" }, pos: 500 } }]);
  expect(seen).toEqual(["c1@501", "chat.joined", "c3@8", "chat.left"]);
  client.drop();
  await until(() => hellos.length === 2);
  expect(hellos[1]).toMatchObject({ resume: { queueId: "q1", lastEventId: 2, chats: [{ chatId: "c3", pos: 8 }, { chatId: "c1", pos: 501 }] } });
});

test("positions seeded from a cache go out with the first resume", async () => {
  const { url, hellos } = scripted((ws, f) => {
    if (f.t === "hello") ws.send(welcome(true, 3));
  });
  client = createClient({ url, auth, resume: { queueId: "q1", lastEventId: 3 }, chats: [{ chatId: "a", pos: 2 }, { chatId: "b", pos: 9 }] });
  await client.connect();
  expect(hellos[0]).toMatchObject({ resume: { queueId: "q1", lastEventId: 3, chats: [{ chatId: "b", pos: 9 }, { chatId: "a", pos: 2 }] } });
});

test("calls get typed results and errors; pending calls fail when the socket drops", async () => {
  const { url } = scripted((ws, f) => {
    if (f.t === "hello") ws.send(welcome(false));
    if (f.t === "req" && f.method === "a.ok") ws.send(encode({ t: "res", id: f.id, result: { n: 1 } }));
    if (f.t === "req" && f.method === "a.err") ws.send(encode({ t: "res", id: f.id, error: { code: "not_found", message: "nope" } }));
    if (f.t === "req" && f.method === "a.drop") ws.close(4004, "too_slow");
  });
  client = createClient({ url, auth, backoffBaseMs: 5 });
  await client.connect();
  expect(await client.request("a.ok")).toEqual({ n: 1 });
  expect(await client.request("a.err").catch((e) => e)).toMatchObject({ code: "not_found" });
  const dropped: unknown = await client.request("a.drop").catch((e) => e);
  expect(dropped).toBeInstanceOf(ClientError);
  expect((dropped as ClientError).code).toBe("disconnected");
});

test("a call with no answer times out", async () => {
  const { url } = scripted((ws, f) => {
    if (f.t === "hello") ws.send(welcome(false));
  });
  client = createClient({ url, auth });
  await client.connect();
  expect(await client.request("a.silent", {}, { timeoutMs: 50 }).catch((e) => e)).toMatchObject({ code: "timeout" });
});

test("onStatus tells every change, with each connection's own welcome on open, through a drop and a final bye", async () => {
  const { url } = scripted((ws, f, conn) => {
    if (f.t !== "hello") return;
    if (conn <= 2) return void ws.send(welcome(conn === 2, 0));
    ws.send(encode({ t: "bye", reason: "account_disabled" }));
    ws.close(4003, "account_disabled");
  });
  const seen: [string, boolean | null][] = [];
  const welcomes = new Set<unknown>();
  client = createClient({
    url,
    auth,
    backoffBaseMs: 5,
    onStatus: (s, w) => {
      seen.push([s, w ? (w.resumed as boolean) : null]);
      if (w) welcomes.add(w);
    },
  });
  await client.connect();
  client.drop();
  await until(() => seen.filter(([s]) => s === "open").length === 2);
  client.drop();
  await until(() => seen.at(-1)?.[0] === "closed");
  expect(seen).toEqual([
    ["connecting", null],
    ["open", false],
    ["waiting", null],
    ["connecting", null],
    ["open", true],
    ["waiting", null],
    ["connecting", null],
    ["closed", null],
  ]);
  expect(welcomes.size).toBe(2);
});

test("a final bye stops the client and rejects connect", async () => {
  const { url, hellos } = scripted((ws, f) => {
    if (f.t === "hello") {
      ws.send(encode({ t: "bye", reason: "account_disabled" }));
      ws.close(4003, "account_disabled");
    }
  });
  let closed = "";
  client = createClient({ url, auth, backoffBaseMs: 5, onClosed: (r) => (closed = r) });
  expect(await client.connect().catch((e) => e)).toMatchObject({ code: "account_disabled" });
  expect(closed).toBe("account_disabled");
  await Bun.sleep(50);
  expect(hellos.length).toBe(1); // no retry
});

test("token_expired triggers one refresh, then a hello with the new token", async () => {
  let refreshes = 0;
  const { url, hellos } = scripted((ws, f) => {
    if (f.t !== "hello") return;
    if (f.token === "tok") {
      ws.send(encode({ t: "bye", reason: "token_expired" }));
      ws.close(4007, "token_expired");
    } else ws.send(welcome(false));
  });
  client = createClient({ url, auth: { accessToken: async () => (refreshes ? "tok2" : "tok"), refresh: async () => (refreshes++, "tok2") }, backoffBaseMs: 5 });
  await client.connect();
  expect(refreshes).toBe(1);
  expect(hellos.map((h) => h.token)).toEqual(["tok", "tok2"]);
});

test("the client module bundles for the browser without Node or Bun APIs", async () => {
  const out = await Bun.build({ entrypoints: [`${import.meta.dir}/index.ts`], target: "browser" });
  expect(out.success).toBe(true);
  const text = await out.outputs[0]!.text();
  expect(text).not.toMatch(/from ["'](node:|bun)/);
  expect(text).not.toMatch(/require\(["'](node:|fs|bun)/);
});
