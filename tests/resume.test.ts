// Resume through a real server: event streams stay gap-free and duplicate-free across
// forced disconnects from either side, a pruned queue takes the resume_gap → snapshot
// path, and queues survive a server restart and a SIGKILL of a real server process.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import type { HearthClient } from "../src/client/client.ts";
import type { Welcome } from "../src/protocol/frames.ts";
import type { AuthTokens } from "../src/protocol/http.ts";
import { PROTOCOL_VERSION } from "../src/protocol/version.ts";
import { tokenAuth } from "../src/client/auth.ts";
import { pruneOnce } from "../src/events/prune.ts";
import { limits } from "../src/limits.ts";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClient } from "../src/client/client.ts";
import { connectClient, createTestUser, emitEvents, probeModule, RawSocket, startServerProcess, startTestServer, type TestServer, until } from "./support/harness.ts";
import { seededRng } from "./support/seed.ts";

const random = seededRng("resume drops test");

// Under a loaded 2-core machine, starting a server and hashing a password can be slow.
setDefaultTimeout(30_000);

const range = (from: number, to: number) => Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);

/** A typed client that records every event id its handlers saw and every welcome. */
async function recordingClient(t: TestServer, tokens: AuthTokens, extra: Parameters<typeof connectClient>[2] = {}) {
  const ids: number[] = [];
  const welcomes: Welcome[] = [];
  let firstId = 0;
  const client: HearthClient = await connectClient(t, tokens, {
    ackDelayMs: 10,
    onSnapshot: (_s, w) => {
      welcomes.push(w);
      if (welcomes.length === 1) firstId = w.lastEventId;
    },
    ...extra,
  });
  client.on("*", (_d, e) => ids.push(e.id));
  return { client, ids, welcomes, firstId: () => firstId };
}

describe("forced disconnects", () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ modules: (d) => [probeModule(d)] });
  });
  afterAll(() => t.stop());

  test("random drops from both sides while events flow: every client sees each id once, in order", async () => {
    const users = await Promise.all([0, 1, 2].map(() => createTestUser(t)));
    const clients = await Promise.all(users.flatMap((u) => [recordingClient(t, u), recordingClient(t, u)]));
    let drops = 0;
    for (let round = 0; round < 150; round++) {
      const u = users[Math.floor(random() * users.length)]!;
      await emitEvents(t.deps, u.userId, 1 + Math.floor(random() * 20));
      const r = random();
      if (r < 0.15) {
        clients[Math.floor(random() * clients.length)]!.client.drop(); // client side
        drops++;
      } else if (r < 0.3) {
        const live = t.ws.hub.live().filter((c) => c.userId === u.userId);
        live[Math.floor(random() * live.length)]?.bye("too_slow", "test: forced"); // server side
        drops++;
      }
      if (random() < 0.3) await Bun.sleep(random() * 15);
    }
    const last = await Promise.all(users.map(async (u) => (await t.deps.storage.events.queueInfo(u.userId)).lastEventId));
    for (const [i, c] of clients.entries()) {
      const want = last[Math.floor(i / 2)]!;
      await until(() => c.ids.at(-1) === want, 20_000, `client ${i} reaches ${want}`);
      expect(c.ids).toEqual(range(c.firstId() + 1, want));
      expect(c.welcomes.length).toBe(1); // every reconnect resumed; none fell back to a snapshot
      expect(c.client.resumeState).toMatchObject({ lastEventId: want });
    }
    expect(drops).toBeGreaterThan(10);
    console.log(`forced disconnects: ${drops} drops, ${last.reduce((a, b) => a + b, 0)} events, 6 clients`);
    for (const c of clients) c.client.close();
  });

  test("a long outage replays in pages and frames of at most eventsPerFrameMax", async () => {
    const u = await createTestUser(t);
    const s1 = await RawSocket.hello(t.wsUrl, u.accessToken);
    s1.ws.close();
    const info = await t.deps.storage.events.queueInfo(u.userId);
    await emitEvents(t.deps, u.userId, 2500);
    const s2 = await RawSocket.open(t.wsUrl);
    s2.sendFrame({ t: "hello", v: PROTOCOL_VERSION, token: u.accessToken, resume: { queueId: info.queueId, lastEventId: info.lastEventId } });
    expect(await s2.next((f) => f.t === "welcome")).toMatchObject({ resumed: true });
    const ids: number[] = [];
    let frames = 0;
    while (ids.length < 2500) {
      const f = await s2.next((x) => x.t === "events");
      if (f.t !== "events") continue;
      frames++;
      expect(f.events.length).toBeLessThanOrEqual(500);
      ids.push(...f.events.map((e) => e.id));
    }
    expect(ids).toEqual(range(info.lastEventId + 1, info.lastEventId + 2500));
    expect(frames).toBeGreaterThanOrEqual(5);
    s2.ws.close();
  });
});

describe("resume_gap", () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ modules: (d) => [probeModule(d)] });
  });
  afterAll(() => t.stop());

  test("a pruned resume point gets welcome with gap resume_gap and a fresh snapshot, then continues", async () => {
    const u = await createTestUser(t);
    const a = await recordingClient(t, u);
    await emitEvents(t.deps, u.userId, 5);
    await until(() => a.ids.length === 5, 5000, "first events");
    const resume = a.client.resumeState!;
    a.client.close();
    await emitEvents(t.deps, u.userId, 50);
    await t.deps.storage.events.prune(10, 0); // keep only the newest 10: the resume point is gone
    const info = await t.deps.storage.events.queueInfo(u.userId);
    expect(info.oldestEventId).toBeGreaterThan(resume.lastEventId + 1);

    const b = await recordingClient(t, u, { resume });
    expect(b.welcomes.length).toBe(1);
    const w = b.welcomes[0]!;
    expect(w).toMatchObject({ resumed: false, lastEventId: info.lastEventId, gap: { code: "resume_gap", data: { oldestEventId: info.oldestEventId } } });
    expect(w.snapshot).toMatchObject({ probe: { userId: u.userId, lastEventId: info.lastEventId }, accounts: { me: { id: u.userId } } });
    await emitEvents(t.deps, u.userId, 3);
    await until(() => b.ids.length === 3, 5000, "events after the gap");
    expect(b.ids).toEqual(range(info.lastEventId + 1, info.lastEventId + 3));
    b.client.close();
  });

  test("a resume with an unknown queue id or a future event id takes the snapshot path", async () => {
    const u = await createTestUser(t);
    const info = await t.deps.storage.events.queueInfo(u.userId);
    for (const resume of [{ queueId: "not-this-queue", lastEventId: 0 }, { queueId: info.queueId, lastEventId: info.lastEventId + 5 }]) {
      const s = await RawSocket.open(t.wsUrl);
      s.sendFrame({ t: "hello", v: PROTOCOL_VERSION, token: u.accessToken, resume });
      const w = await s.next((f) => f.t === "welcome");
      expect(w).toMatchObject({ resumed: false, gap: { code: "resume_gap" } });
      expect((w as Welcome).snapshot).toBeDefined();
      s.ws.close();
    }
  });

  test("without a resume request the welcome has a snapshot and no gap", async () => {
    const u = await createTestUser(t);
    const s = await RawSocket.open(t.wsUrl);
    s.sendFrame({ t: "hello", v: PROTOCOL_VERSION, token: u.accessToken });
    const w = (await s.next((f) => f.t === "welcome")) as Welcome;
    expect(w.resumed).toBe(false);
    expect(w.gap).toBeUndefined();
    expect(Object.keys(w.snapshot ?? {}).sort()).toEqual(["accounts", "probe"]);
    s.ws.close();
  });
});

describe("acks, pruning and token refresh", () => {
  const clock = { offsetMs: 0 };
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ modules: (d) => [probeModule(d)], clock });
  });
  afterAll(() => t.stop());

  test("client acks reach the session record (coalesced)", async () => {
    const u = await createTestUser(t);
    const a = await recordingClient(t, u);
    await emitEvents(t.deps, u.userId, 7);
    const want = (await t.deps.storage.events.queueInfo(u.userId)).lastEventId;
    await until(() => a.ids.at(-1) === want, 5000, "events");
    let acked = -1;
    for (let i = 0; i < 100 && acked !== want; i++) {
      await Bun.sleep(50);
      acked = (await t.deps.storage.sessions.byId(u.sessionId))!.lastAckedEventId;
    }
    expect(acked).toBe(want);
    a.client.close();
  });

  test("the prune job drops events past eventQueueAgeMs; a resume before them takes the gap path", async () => {
    const u = await createTestUser(t);
    const a = await recordingClient(t, u);
    await emitEvents(t.deps, u.userId, 4);
    await until(() => a.ids.length === 4, 5000, "events");
    const resume = a.client.resumeState!;
    a.client.close();
    await emitEvents(t.deps, u.userId, 3);
    clock.offsetMs = limits.eventQueueAgeMs + 60_000;
    try {
      const dropped = await pruneOnce(t.deps);
      expect(dropped.events).toBeGreaterThanOrEqual(7);
    } finally {
      clock.offsetMs = 0;
    }
    const b = await recordingClient(t, u, { resume });
    expect(b.welcomes[0]).toMatchObject({ resumed: false, gap: { code: "resume_gap" } });
    b.client.close();
  });

  test("an expired access token is refreshed over HTTP and the client resumes", async () => {
    const u = await createTestUser(t);
    const auth = tokenAuth(t.url, u);
    const a = await recordingClient(t, u, { auth });
    clock.offsetMs = limits.accessTokenTtlMs + 60_000; // the server now sees the token as expired
    try {
      a.client.drop();
      await until(() => auth.tokens().accessToken !== u.accessToken && a.client.status === "open", 10_000, "refreshed and reconnected");
      await emitEvents(t.deps, u.userId, 2);
      await until(() => a.ids.length === 2, 5000, "events after refresh");
      expect(a.welcomes.length).toBe(1); // resumed, no snapshot
      expect(auth.tokens().refreshToken).not.toBe(u.refreshToken);
    } finally {
      clock.offsetMs = 0;
    }
    a.client.close();
  });
});

describe("server restart", () => {
  test("queues persist: a client resumes after a restart without loss, duplicates or a snapshot", async () => {
    const t = await startTestServer({ modules: (d) => [probeModule(d)] });
    try {
      const u = await createTestUser(t);
      const a = await recordingClient(t, u, { backoffBaseMs: 50 });
      await emitEvents(t.deps, u.userId, 20);
      await until(() => a.ids.length === 20, 5000, "events before restart");
      const drop = a.ids.length;
      await t.restart();
      await emitEvents(t.deps, u.userId, 30); // committed before the client is back
      await until(() => a.ids.length === drop + 30, 15_000, "events after restart");
      await emitEvents(t.deps, u.userId, 5);
      await until(() => a.ids.length === drop + 35, 5000, "live events after resume");
      expect(a.ids).toEqual(range(a.firstId() + 1, a.firstId() + 55));
      expect(a.welcomes.length).toBe(1);
      a.client.close();
    } finally {
      await t.stop();
    }
  });
});

describe("server crash", () => {
  test("kill -9 mid-stream, restart: the client resumes without loss or duplicates", async () => {
    const dir = mkdtempSync(join(tmpdir(), "hearth-crash-"));
    const args = ["--set", "accounts.registration=open"];
    let p = await startServerProcess(dir, { args });
    try {
      const u = await createTestUser(p);
      const seen: { id: number; name: string }[] = [];
      const welcomes: Welcome[] = [];
      const client = createClient({ url: p.wsUrl, auth: tokenAuth(p.url, u), backoffBaseMs: 50, backoffMaxMs: 300, onSnapshot: (_s, w) => welcomes.push(w) });
      client.on("user.updated", (d, e) => seen.push({ id: e.id, name: d.user.displayName }));
      await client.connect();
      const update = (name: string) => client.request("profile.update", { displayName: name }).catch(() => null);
      for (let i = 0; i < 20; i++) await update(`before${i}`);
      for (let i = 0; i < 20; i++) void update(`racing${i}`); // in flight when the process dies
      await p.kill9();
      const port = Number(new URL(p.url).port);
      p = await startServerProcess(dir, { port, args });
      await until(() => client.status === "open", 15_000, "client back");
      await update("final");
      await until(() => seen.at(-1)?.name === "final", 10_000, "final event");
      const ids = seen.map((s) => s.id);
      const first = welcomes[0]!.lastEventId;
      expect(ids).toEqual(Array.from({ length: ids.length }, (_, i) => first + 1 + i));
      expect(welcomes.length).toBe(1); // resumed after the crash, no snapshot
      expect(seen.filter((s) => s.name.startsWith("before")).length).toBe(20);
      client.close();
    } finally {
      await p.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
