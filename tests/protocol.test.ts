// The WebSocket protocol through a real server: what an unauthenticated socket may do,
// version checks, typed errors for malformed frames and requests, closing reason codes,
// rate limits, the send-buffer bound, heartbeats, control messages and shutdown.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { connect as tcpConnect, type Socket } from "node:net";
import { randomBytes } from "node:crypto";
import { publishControl } from "../src/events/publish.ts";
import { BYE_REASONS } from "../src/protocol/close.ts";
import { encode } from "../src/protocol/codec.ts";
import { PROTOCOL_VERSION, MIN_CLIENT_VERSION } from "../src/protocol/version.ts";
import type { AuthTokens } from "../src/protocol/http.ts";
import { ClientError } from "../src/client/errors.ts";
import { connectClient, createTestUser, emitEvents, probeModule, RawSocket, startTestServer, type TestServer, until } from "./support/harness.ts";
import { lengthBombs } from "./support/msgpack-bombs.ts";
import { chatsModule } from "../src/chats/module.ts";
import { limits } from "../src/limits.ts";

// Under a loaded 2-core machine, starting a server and hashing a password can be slow.
setDefaultTimeout(30_000);

let t: TestServer;
let alice: AuthTokens;

beforeAll(async () => {
  t = await startTestServer({ modules: (d) => [probeModule(d)], set: ["protocol.frameBytesMax=4096"], wsLimits: { helloTimeoutMs: 1000 } });
  alice = await createTestUser(t);
});
afterAll(() => t.stop());

const byeOf = async (s: RawSocket) => {
  const bye = await s.next((f) => f.t === "bye");
  const close = await s.closed;
  return { bye: bye as Extract<typeof bye, { t: "bye" }>, close };
};

describe("before hello", () => {
  test("a req before hello is refused with bye not_hello and close 4008", async () => {
    const s = await RawSocket.open(t.wsUrl);
    s.sendFrame({ t: "req", id: 1, method: "me.get", params: {} });
    const { bye, close } = await byeOf(s);
    expect(bye.reason).toBe("not_hello");
    expect(close.code).toBe(BYE_REASONS.not_hello.code);
    expect(s.frames.filter((f) => f.t === "res")).toEqual([]);
  });

  test("an ack or a malformed map before hello is refused the same way", async () => {
    for (const frame of [{ t: "ack", lastEventId: 5 }, { t: "req", id: 1 }, { x: 1 }, { t: "nope", token: "x" }]) {
      const s = await RawSocket.open(t.wsUrl);
      s.sendFrame(frame);
      expect((await byeOf(s)).close.code).toBe(4008);
    }
  });

  test("a hello with a missing or non-string token gets unauthenticated (4001)", async () => {
    const v = PROTOCOL_VERSION;
    for (const hello of [{ t: "hello" }, { t: "hello", v }, { t: "hello", v, token: 5 }, { t: "hello", v, token: null }, { t: "hello", v, token: ["a"] }, { t: "hello", v: "x", token: 5 }]) {
      const s = await RawSocket.open(t.wsUrl);
      s.sendFrame(hello);
      const { bye, close } = await byeOf(s);
      expect([JSON.stringify(hello).slice(0, 60), bye.reason, close.code]).toEqual([JSON.stringify(hello).slice(0, 60), "unauthenticated", 4001]);
    }
  });

  test("other malformed hello fields get invalid_hello (4013) naming the field", async () => {
    const token = alice.accessToken;
    const cases: [Record<string, unknown>, string][] = [
      [{ t: "hello", token }, "v"],
      [{ t: "hello", v: "1", token }, "v"],
      [{ t: "hello", v: -1, token }, "v"],
      [{ t: "hello", v: PROTOCOL_VERSION, token, resume: "q" }, "resume"],
      [{ t: "hello", v: PROTOCOL_VERSION, token, resume: { queueId: "q" } }, "resume.lastEventId"],
      [{ t: "hello", v: PROTOCOL_VERSION, token, resume: { queueId: 7, lastEventId: 1 } }, "resume.queueId"],
      [{ t: "hello", v: PROTOCOL_VERSION, token, client: { name: "x" } }, "client.version"],
    ];
    for (const [hello, field] of cases) {
      const s = await RawSocket.open(t.wsUrl);
      s.sendFrame(hello);
      const { bye, close } = await byeOf(s);
      expect(bye).toMatchObject({ reason: "invalid_hello", data: { field } });
      expect(bye.message).toContain(`hello.${field}`);
      expect(close.code).toBe(BYE_REASONS.invalid_hello.code);
    }
  });

  test("a bad token gets bye unauthenticated (4001)", async () => {
    const s = await RawSocket.open(t.wsUrl);
    s.sendFrame({ t: "hello", v: PROTOCOL_VERSION, token: "not-a-jwt" });
    const { bye, close } = await byeOf(s);
    expect(bye.reason).toBe("unauthenticated");
    expect(close.code).toBe(4001);
  });

  test("no hello in time gets bye hello_timeout (4006)", async () => {
    const s = await RawSocket.open(t.wsUrl);
    const { bye, close } = await byeOf(s);
    expect(bye.reason).toBe("hello_timeout");
    expect(close.code).toBe(4006);
  });
});

describe("versions", () => {
  test("a client below the minimum gets client_too_old with the versions", async () => {
    const s = await RawSocket.open(t.wsUrl);
    s.sendFrame({ t: "hello", v: MIN_CLIENT_VERSION - 1, token: alice.accessToken });
    const { bye, close } = await byeOf(s);
    expect(bye).toMatchObject({ reason: "client_too_old", data: { minVersion: MIN_CLIENT_VERSION, serverVersion: PROTOCOL_VERSION } });
    expect(close.code).toBe(4009);
  });

  test("a newer client gets server_too_old", async () => {
    const s = await RawSocket.open(t.wsUrl);
    s.sendFrame({ t: "hello", v: PROTOCOL_VERSION + 1, token: alice.accessToken });
    const { bye, close } = await byeOf(s);
    expect(bye).toMatchObject({ reason: "server_too_old", data: { serverVersion: PROTOCOL_VERSION } });
    expect(close.code).toBe(4010);
  });
});

describe("requests", () => {
  test("a map that breaks the frame schema gets bad_request with its id; the connection stays", async () => {
    const s = await RawSocket.hello(t.wsUrl, alice.accessToken);
    s.sendFrame({ t: "req", id: 41, method: 12 });
    const res = await s.next((f) => f.t === "res" && f.id === 41);
    expect(res).toMatchObject({ error: { code: "bad_request" } });
    s.sendFrame({ t: "warp", id: 42 });
    expect(await s.next((f) => f.t === "res")).toMatchObject({ id: 42, error: { code: "bad_request" } });
    s.sendFrame({ t: "req", method: "probe.echo" }); // no id at all
    expect(await s.next((f) => f.t === "res")).toMatchObject({ id: null, error: { code: "bad_request" } });
    expect(await s.request("probe.echo", { value: [1, "two"] })).toMatchObject({ result: [1, "two"] });
    s.ws.close();
  });

  test("params are validated: invalid_field names the field, bad_request when not an object", async () => {
    const s = await RawSocket.hello(t.wsUrl, alice.accessToken);
    expect(await s.request("probe.emit", { count: "many" })).toMatchObject({
      error: { code: "invalid_field", data: { field: "count" } },
    });
    expect(await s.request("probe.emit", [1])).toMatchObject({ error: { code: "bad_request" } });
    s.ws.close();
  });

  test("unknown methods, AppErrors and bugs map to typed errors", async () => {
    const s = await RawSocket.hello(t.wsUrl, alice.accessToken);
    expect(await s.request("nope.nothing")).toMatchObject({ error: { code: "unknown_method" } });
    expect(await s.request("probe.fail")).toMatchObject({ error: { code: "conflict", data: { what: "probe" } } });
    const crash = await s.request("probe.crash");
    expect(crash).toMatchObject({ error: { code: "internal" } });
    expect(typeof (crash as { error: { data: { requestId: string } } }).error.data.requestId).toBe("string");
    s.ws.close();
  });

  test("a second hello is a protocol error", async () => {
    const s = await RawSocket.hello(t.wsUrl, alice.accessToken);
    s.sendFrame({ t: "hello", v: PROTOCOL_VERSION, token: alice.accessToken });
    expect((await byeOf(s)).close.code).toBe(4000);
  });

  test("ping gets pong", async () => {
    const s = await RawSocket.hello(t.wsUrl, alice.accessToken);
    s.sendFrame({ t: "ping" });
    expect(await s.next((f) => f.t === "pong")).toEqual({ t: "pong" });
    s.ws.close();
  });

  test("the typed client throws ClientError with the code and data", async () => {
    const c = await connectClient(t, alice);
    const err = await c.request("probe.fail", {}).catch((e) => e);
    expect(err).toBeInstanceOf(ClientError);
    expect(err).toMatchObject({ code: "conflict", data: { what: "probe" } });
    c.close();
  });
});

describe("frames that end the connection", () => {
  const cases: [string, Uint8Array | string, string, number][] = [
    ["not msgpack", new Uint8Array([0xc1, 0x00]), "protocol_error", 4000],
    ["msgpack but not a map", encode([1, 2, 3]), "protocol_error", 4000],
    ["a text frame", '{"t":"ping"}', "protocol_error", 4000],
    ["a plain text frame", "hello there", "protocol_error", 4000],
    ["a frame over protocol.frameBytesMax", encode({ t: "req", id: 1, method: "probe.echo", params: { value: "x".repeat(5000) } }), "frame_too_large", 4005],
  ];
  for (const [name, data, reason, code] of cases) {
    test(`${name} → bye ${reason} (${code}); other connections unaffected`, async () => {
      const bystander = await connectClient(t, alice);
      const s = await RawSocket.hello(t.wsUrl, alice.accessToken);
      s.send(data);
      const { bye, close } = await byeOf(s);
      expect(bye.reason).toBe(reason);
      expect(close.code).toBe(code);
      expect(await bystander.request("probe.echo", { value: 7 })).toBe(7);
      bystander.close();
    });
  }

  test("frame_too_large carries the limit", async () => {
    const s = await RawSocket.hello(t.wsUrl, alice.accessToken);
    s.send(new Uint8Array(4097));
    expect((await byeOf(s)).bye).toMatchObject({ data: { limit: 4096 } });
  });
});

describe("length bombs: declared lengths the frame cannot hold", () => {
  for (const when of ["before hello", "after hello"] as const) {
    test(`${when}: every kind gets bye protocol_error (4000); other connections are unaffected`, async () => {
      const bystander = await connectClient(t, alice);
      for (const [name, bytes] of lengthBombs) {
        const s = when === "before hello" ? await RawSocket.open(t.wsUrl) : await RawSocket.hello(t.wsUrl, alice.accessToken);
        s.send(bytes);
        const { bye, close } = await byeOf(s);
        expect([name, bye.reason, close.code]).toEqual([name, "protocol_error", 4000]);
        expect(bye.message).toStartWith("not a well-formed frame:");
      }
      expect(await bystander.request("probe.echo", { value: "fine" })).toBe("fine");
      bystander.close();
    });
  }
});

describe("control and shutdown", () => {
  test("a revoked session's socket gets bye session_revoked; other sessions stay", async () => {
    const other = await createTestUser(t, `ctl${Date.now() % 100000}`);
    const s = await RawSocket.hello(t.wsUrl, other.accessToken);
    const bystander = await connectClient(t, alice);
    await publishControl(t.deps.bus, other.userId, { kind: "session_revoked", sessionId: "someone-else" });
    await publishControl(t.deps.bus, other.userId, { kind: "session_revoked", sessionId: other.sessionId });
    const { bye, close } = await byeOf(s);
    expect(bye.reason).toBe("session_revoked");
    expect(close.code).toBe(4002);
    expect(await bystander.request("probe.echo", { value: 1 })).toBe(1);
    bystander.close();
  });

  test("the typed client stops for good on a bye that retrying cannot fix", async () => {
    const other = await createTestUser(t, `stop${Date.now() % 100000}`);
    let closedWith = "";
    const c = await connectClient(t, other, { onClosed: (reason) => (closedWith = reason) });
    await publishControl(t.deps.bus, other.userId, { kind: "session_revoked", sessionId: other.sessionId });
    await until(() => closedWith !== "", 5000, "client closed");
    expect(closedWith).toBe("session_revoked");
    expect(c.status).toBe("closed");
    await Bun.sleep(100); // a retrying client would have reconnected by now
    expect(t.ws.hub.live().filter((x) => x.userId === other.userId)).toEqual([]);
  });

  test("a disabled user's sockets get bye account_disabled", async () => {
    const other = await createTestUser(t, `dis${Date.now() % 100000}`);
    const s = await RawSocket.hello(t.wsUrl, other.accessToken);
    await publishControl(t.deps.bus, other.userId, { kind: "user_disabled" });
    const { bye, close } = await byeOf(s);
    expect(bye.reason).toBe("account_disabled");
    expect(close.code).toBe(4003);
  });

  test("shutdown says bye server_shutdown and closes with 1012", async () => {
    const t2 = await startTestServer({ modules: (d) => [probeModule(d)] });
    const bob = await createTestUser(t2);
    const s = await RawSocket.hello(t2.wsUrl, bob.accessToken);
    await t2.stop();
    const { bye, close } = await byeOf(s);
    expect(bye.reason).toBe("server_shutdown");
    expect(close.code).toBe(1012);
  });
});

describe("rate limits", () => {
  test("per connection: a burst beyond the bucket gets rate_limited with retryAfterMs", async () => {
    const t2 = await startTestServer({ modules: (d) => [probeModule(d)], set: ["protocol.requestsPerSecondPerConnection=2"] });
    const bob = await createTestUser(t2);
    const s = await RawSocket.hello(t2.wsUrl, bob.accessToken);
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => s.request("probe.echo", { value: i })));
    const limited = answers.filter((a) => "error" in a && a.error.code === "rate_limited");
    expect(limited.length).toBeGreaterThan(0);
    expect(answers.filter((a) => "result" in a).length).toBeGreaterThan(0);
    expect((limited[0] as { error: { data: { retryAfterMs: number } } }).error.data.retryAfterMs).toBeGreaterThan(0);
    await t2.stop();
  });

  test("per user: connections of one user share a bucket", async () => {
    const t2 = await startTestServer({ modules: (d) => [probeModule(d)], set: ["protocol.requestsPerSecondPerUser=2"] });
    const bob = await createTestUser(t2);
    const carol = await createTestUser(t2);
    const [a, b, c] = await Promise.all([RawSocket.hello(t2.wsUrl, bob.accessToken), RawSocket.hello(t2.wsUrl, bob.accessToken), RawSocket.hello(t2.wsUrl, carol.accessToken)]);
    const answers = await Promise.all(Array.from({ length: 8 }, (_, i) => (i % 2 ? a : b).request("probe.echo", { value: i })));
    expect(answers.filter((x) => "error" in x && x.error.code === "rate_limited").length).toBeGreaterThan(0);
    expect(await c.request("probe.echo", { value: 1 })).toMatchObject({ result: 1 }); // another user is not limited
    await t2.stop();
  });
});

/** A WebSocket client on a raw TCP socket, so the test controls reading and pongs. */
async function rawTcpHello(wsUrl: string, token: string): Promise<{ sock: Socket; received: () => number }> {
  const url = new URL(wsUrl);
  const sock = tcpConnect(Number(url.port), url.hostname);
  await new Promise((r) => sock.once("connect", r));
  const key = randomBytes(16).toString("base64");
  sock.write(`GET ${url.pathname} HTTP/1.1\r\nHost: ${url.host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`);
  let received = 0;
  sock.on("data", (d: Buffer) => (received += d.length));
  await until(() => received > 0, 5000, "upgrade");
  sock.write(maskedBinaryFrame(encode({ t: "hello", v: PROTOCOL_VERSION, token })));
  return { sock, received: () => received };
}

function maskedBinaryFrame(payload: Uint8Array): Buffer {
  const mask = randomBytes(4);
  const len = payload.length;
  const head = len < 126 ? Buffer.from([0x82, 0x80 | len]) : Buffer.from([0x82, 0x80 | 126, len >> 8, len & 255]);
  const body = Buffer.from(payload.map((b, i) => b ^ mask[i % 4]!));
  return Buffer.concat([head, mask, body]);
}

describe("dead and slow peers", () => {
  test("a peer that never reads is closed with too_slow once the send buffer bound is passed", async () => {
    const t2 = await startTestServer({ modules: (d) => [probeModule(d)], wsLimits: { sendBufferBytesMax: 64 * 1024 } });
    const bob = await createTestUser(t2);
    const { sock, received } = await rawTcpHello(t2.wsUrl, bob.accessToken);
    await until(() => received() > 200, 5000, "welcome");
    sock.pause(); // stop reading: the kernel buffers fill, then the server's send buffer grows
    const tooSlow = () => t2.deps.metrics.render().includes('hearth_ws_closes_total{reason="too_slow"}');
    for (let round = 0; round < 60 && !tooSlow(); round++) await emitEvents(t2.deps, bob.userId, 100, 8 * 1024);
    await until(tooSlow, 10_000, "too_slow close");
    expect(t2.ws.hub.live().filter((c) => c.userId === bob.userId)).toEqual([]);
    sock.destroy();
    await t2.stop();
  });

  test("a chat member that never reads is closed by Bun once the shared chat frames pass its backpressure limit; the others keep getting them", async () => {
    const fast = { requestsPerSecondPerConnection: 1_000_000, requestsPerSecondPerUser: 1_000_000, requestBurst: 1_000_000 };
    const t2 = await startTestServer({ modules: (d) => [chatsModule(d)], wsLimits: { sendBufferBytesMax: 64 * 1024, ...fast } });
    const [ann, bob, cat] = [await createTestUser(t2), await createTestUser(t2), await createTestUser(t2)];
    const annC = await connectClient(t2, ann);
    const catC = await connectClient(t2, cat);
    const chatId = ((await annC.request("chat.create", { kind: "group", clientId: "slow", title: "Slow 🐢", memberIds: [bob.userId, cat.userId] })) as { entry: { chat: { id: string } } }).entry.chat.id;
    const { sock, received } = await rawTcpHello(t2.wsUrl, bob.accessToken);
    await until(() => received() > 200, 5000, "welcome");
    await until(() => t2.ws.hub.live().some((c) => c.userId === bob.userId), 5000, "bob open");
    sock.pause(); // bob stops reading: the kernel buffers fill, then Bun's per-socket buffer
    let catGot = 0;
    catC.on("message.created", () => void catGot++);
    const bobGone = () => !t2.ws.hub.live().some((c) => c.userId === bob.userId);
    const text = "x".repeat(limits.messageTextLengthMax);
    let sent = 0;
    while (!bobGone() && sent < 5000) {
      await Promise.all(Array.from({ length: 20 }, () => annC.request("message.send", { chatId, clientId: `m${++sent}`, text })));
    }
    await until(bobGone, 10_000, "bob closed");
    await until(() => catGot === sent, 10_000, "cat got every message");
    expect(catGot).toBe(sent);
    sock.destroy();
    annC.close();
    catC.close();
    await t2.stop();
  });

  test("one frame larger than the send-buffer bound (a big snapshot) does not trip it", async () => {
    const big = "s".repeat(8 * 1024 * 1024);
    const t2 = await startTestServer({
      modules: (d) => [probeModule(d), { name: "big", methods: [], snapshot: async () => big }],
      wsLimits: { sendBufferBytesMax: 64 * 1024 },
    });
    const bob = await createTestUser(t2);
    let size = 0;
    const c = await connectClient(t2, bob, { onSnapshot: (s) => (size = String(s.big).length) });
    expect(size).toBe(big.length);
    expect(await c.request("probe.echo", { value: 1 })).toBe(1);
    c.close();
    await t2.stop();
  });

  test("a peer that stops answering pings is closed with heartbeat_timeout", async () => {
    const t2 = await startTestServer({ modules: (d) => [probeModule(d)], set: ["protocol.heartbeatIntervalMs=100"], wsLimits: { heartbeatJitterMs: 20 } });
    const bob = await createTestUser(t2);
    const { sock, received } = await rawTcpHello(t2.wsUrl, bob.accessToken); // reads, never pongs
    await until(() => received() > 200, 5000, "welcome");
    await until(() => t2.deps.metrics.render().includes('hearth_ws_closes_total{reason="heartbeat_timeout"}'), 10_000, "heartbeat close");
    sock.destroy();
    await t2.stop();
  });

  test("a typed client answers pings and stays connected across heartbeats", async () => {
    const t2 = await startTestServer({ modules: (d) => [probeModule(d)], set: ["protocol.heartbeatIntervalMs=250"], wsLimits: { heartbeatJitterMs: 20 } });
    const bob = await createTestUser(t2);
    const c = await connectClient(t2, bob);
    await Bun.sleep(1000); // several heartbeat rounds
    expect(c.status).toBe("open");
    expect(await c.request("probe.echo", { value: "alive" })).toBe("alive");
    c.close();
    await t2.stop();
  });
});

describe("connection caps", () => {
  const fwd = (ip: string) => ({ "X-Forwarded-For": ip });
  const capped = (l: { perIp: number; total: number; perUser: number }) =>
    startTestServer({
      set: ["server.trustedProxies=127.0.0.1"],
      wsLimits: { unauthenticatedSocketsPerIpMax: l.perIp, unauthenticatedSocketsMax: l.total, connectionsPerUserMax: l.perUser, helloTimeoutMs: 60_000 },
    });
  /** Resolves once a hello round trip on a fresh socket proves the server handled everything opened before it. */
  const helloFrom = async (t2: TestServer, token: string, ip: string) => {
    const s = await RawSocket.open(t2.wsUrl, fwd(ip));
    s.sendFrame({ t: "hello", v: PROTOCOL_VERSION, token });
    return { s, first: await s.next((f) => f.t === "welcome" || f.t === "bye") };
  };

  test("per address: beyond the cap the address's OLDEST waiting socket is shed (4014); other addresses and real users are served", async () => {
    const t2 = await capped({ perIp: 4, total: 1000, perUser: 10 });
    const user = await createTestUser(t2);
    const elsewhere = await Promise.all([1, 2, 3].map(() => RawSocket.open(t2.wsUrl, fwd("10.0.0.9"))));
    const idle: RawSocket[] = [];
    for (let i = 0; i < 5; i++) idle.push(await RawSocket.open(t2.wsUrl, fwd("10.0.0.1")));
    const { bye, close } = await byeOf(idle[0]!);
    expect(bye.reason).toBe("connection_shed");
    expect(close.code).toBe(BYE_REASONS.connection_shed.code);
    // the same address can still sign in: its newcomer sheds the next-oldest, not itself
    const { s, first } = await helloFrom(t2, user.accessToken, "10.0.0.1");
    expect(first.t).toBe("welcome");
    await idle[1]!.closed;
    expect(idle.slice(2).map((x) => x.close)).toEqual([null, null, null]);
    expect(elsewhere.map((x) => x.close)).toEqual([null, null, null]);
    expect(t2.ws.hub.waitingSize).toBe(3 + 3);
    s.ws.close();
    await t2.stop();
  });

  test("in total: a flood of idle sockets from many addresses sheds the oldest first, so a newcomer still logs in and says hello", async () => {
    const t2 = await capped({ perIp: 1000, total: 10, perUser: 10 });
    const idle: RawSocket[] = [];
    for (let i = 0; i < 40; i++) idle.push(await RawSocket.open(t2.wsUrl, fwd(`10.0.1.${i}`)));
    await until(() => idle.slice(0, 30).every((x) => x.close !== null), 10_000, "the 30 oldest shed");
    expect(new Set(idle.slice(0, 30).map((x) => x.close!.code))).toEqual(new Set([4014]));
    expect(t2.ws.hub.waitingSize).toBe(10);
    const user = await createTestUser(t2); // HTTP still answers
    const { s, first } = await helloFrom(t2, user.accessToken, "10.0.2.1");
    expect(first.t).toBe("welcome");
    expect(await s.request("me.get")).toMatchObject({ result: { id: user.userId } });
    // the newcomer shed idle[30]; it no longer counts once through hello
    await idle[30]!.closed;
    expect(idle.slice(31).map((x) => x.close)).toEqual(Array(9).fill(null));
    expect(t2.ws.hub.waitingSize).toBe(9);
    s.ws.close();
    await t2.stop();
  });

  test("per user: a hello beyond the cap gets too_many_connections (4015) with the limit, also when hellos race", async () => {
    const t2 = await capped({ perIp: 1000, total: 1000, perUser: 3 });
    const user = await createTestUser(t2);
    const open = await Promise.all([1, 2, 3].map(() => RawSocket.hello(t2.wsUrl, user.accessToken)));
    const { first } = await helloFrom(t2, user.accessToken, "10.0.3.1");
    expect(first).toMatchObject({ t: "bye", reason: "too_many_connections", data: { limit: 3 } });
    open[0]!.ws.close();
    await until(() => t2.ws.hub.userConnections(user.userId) === 2, 5000, "closed socket released");
    expect((await helloFrom(t2, user.accessToken, "10.0.3.1")).first.t).toBe("welcome");

    const other = await createTestUser(t2);
    const raced = await Promise.all(Array.from({ length: 8 }, (_, i) => helloFrom(t2, other.accessToken, `10.0.4.${i}`)));
    const outcomes = raced.map((r) => (r.first.t === "bye" ? r.first.reason : r.first.t)).sort();
    expect(outcomes).toEqual([...Array(5).fill("too_many_connections"), ...Array(3).fill("welcome")]);
    const closes = await Promise.all(raced.filter((r) => r.first.t === "bye").map((r) => r.s.closed));
    expect(new Set(closes.map((c) => c.code))).toEqual(new Set([BYE_REASONS.too_many_connections.code]));
    await t2.stop();
  });

  test("forwarded addresses count only from a trusted proxy: forged ones share the peer's cap", async () => {
    const t2 = await startTestServer({ wsLimits: { unauthenticatedSocketsPerIpMax: 2, helloTimeoutMs: 60_000 } });
    const forged = [];
    for (let i = 0; i < 3; i++) forged.push(await RawSocket.open(t2.wsUrl, fwd(`10.9.9.${i}`)));
    expect((await byeOf(forged[0]!)).bye.reason).toBe("connection_shed");
    await t2.stop();
  });

  test("an oversized token is unauthenticated (4001), not a schema error", async () => {
    const t2 = await capped({ perIp: 100, total: 100, perUser: 100 });
    const s = await RawSocket.open(t2.wsUrl);
    s.sendFrame({ t: "hello", v: PROTOCOL_VERSION, token: "x".repeat(8193) });
    const { bye, close } = await byeOf(s);
    expect([bye.reason, close.code]).toEqual(["unauthenticated", 4001]);
    await t2.stop();
  });
});
