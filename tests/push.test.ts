// Web Push through a real server and a push-service stand-in on loopback HTTPS
// (tests/support/push.ts: verifies VAPID, decrypts every body with the subscription's key).
// Absence is proved with the push barrier: once the notifier has reacted to a send and
// the queue is idle, every push that send would cause has reached the stand-in.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { type Person, startChatsServer } from "./support/chats.ts";
import { emitCallEvents, callDraft } from "../src/calls/notify.ts";
import { presenceModule } from "../src/presence/module.ts";
import { createLocalRegistry } from "../src/presence/registry.ts";
import { MUTE_FOREVER, pushPaths } from "../src/protocol/methods/push.ts";
import { authPaths, type AuthTokens } from "../src/protocol/http.ts";
import { type PushModule, pushModule } from "../src/push/module.ts";
import { type PushService, startPushService, type TestSubscription } from "./support/push.ts";
import { connectClient, observe, until } from "./support/harness.ts";

setDefaultTimeout(60_000);

const COALESCE_MS = 2_500;
let ps: PushService;
let s: Awaited<ReturnType<typeof startChatsServer>>;
let push: PushModule;
let n = 0;
const cid = () => `c${++n}`;

beforeAll(async () => {
  ps = await startPushService();
  s = await startChatsServer({
    modules: (deps) => [(push = pushModule(deps, { coalesceMs: COALESCE_MS })), presenceModule(deps, { registry: createLocalRegistry(), coalesceMs: 20, dndSweepMs: 200 })],
    set: ps.set,
  });
});
afterAll(async () => {
  await s.stop();
  await ps.stop();
});

/** Every push the last sends cause has been answered by the stand-in. */
async function pushBarrier(): Promise<void> {
  await push.notifier.settled();
  await push.queue.idle();
}

/** A person whose connected device has a subscription and a hidden page. */
async function away(prefix: string): Promise<{ p: Person; sub: TestSubscription }> {
  const p = await s.person(prefix);
  const sub = await ps.subscription();
  await p.request("push.subscribe", { endpoint: sub.endpoint, keys: sub.keys });
  await p.request("client.visibility", { visible: false });
  return { p, sub };
}

async function dm(a: Person, b: Person): Promise<string> {
  return (await a.request("chat.create", { kind: "direct", userId: b.id })).entry.chat.id;
}

async function group(owner: Person, members: Person[], title = "Family 👪"): Promise<string> {
  return (await owner.request("chat.create", { kind: "group", clientId: cid(), title, memberIds: members.map((m) => m.id) })).entry.chat.id;
}

const send = (p: Person, chatId: string, text: string, extra: object = {}) => p.request("message.send", { chatId, clientId: cid(), text, ...extra });
const got = (sub: TestSubscription) => ps.accepted(sub.id).map((d) => d.payload);

async function login(username: string): Promise<AuthTokens> {
  const res = await fetch(s.t.url + authPaths.login, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username, password: "correct horse battery staple", deviceName: "second" }),
  });
  if (!res.ok) throw new Error(`login: ${res.status}`);
  return (await res.json()) as AuthTokens;
}

describe("who gets a push", () => {
  test("a DM reaches the hidden device, encrypted and VAPID-signed; not the sender, not a visible device", async () => {
    const { p: ann, sub: annSub } = await away("ann");
    const { p: bob, sub: bobSub } = await away("bob");
    const secondTokens = await login(bob.username);
    const second = observe(await connectClient(s.t, secondTokens), "bob2"); // visible: never said otherwise
    const secondSub = await ps.subscription();
    await second.request("push.subscribe", { endpoint: secondSub.endpoint, keys: secondSub.keys });
    const chatId = await dm(ann, bob);
    const { message } = await send(ann, chatId, "Dinner at 7? 🍝");
    await pushBarrier();
    expect(got(bobSub)).toEqual([
      expect.objectContaining({ v: 1, kind: "message", chatId, body: "Dinner at 7? 🍝", count: 1, tag: `chat:${chatId}`, url: `/chat/${chatId}`, senderId: ann.id, messageId: message.id }),
    ]);
    const d = ps.accepted(bobSub.id)[0]!;
    expect(d).toMatchObject({ urgency: "high", topic: chatId, ttl: 24 * 60 * 60 });
    expect(got(secondSub)).toEqual([]);
    expect(got(annSub)).toEqual([]);
    // the second device goes away (no live connection): now it gets them too
    second.client.close();
    await until(() => !push.visibility.visible(secondTokens.sessionId), 10_000, "the closed connection is gone");
    await send(ann, chatId, "?");
    await until(() => got(secondSub).length === 1, 10_000, "push to the closed device");
    expect(ps.problems).toEqual([]);
  });

  test("level, mute, mentions, @all, do-not-disturb and silent sends decide per recipient", async () => {
    const owner = await s.person("own");
    const [muted, mentions, none, dnd, sched, plain] = await Promise.all(["mut", "men", "non", "dnd", "sch", "pla"].map(away));
    const chatId = await group(owner, [muted!.p, mentions!.p, none!.p, dnd!.p, sched!.p, plain!.p]);
    await muted!.p.request("chat.notify", { chatId, muteUntil: Date.now() + 3_600_000 });
    await mentions!.p.request("chat.notify", { chatId, level: "mentions" });
    await none!.p.request("chat.notify", { chatId, level: "none" });
    await dnd!.p.request("notify.set", { dnd: { until: MUTE_FOREVER, schedule: null } });
    // 00:00–00:00 on every day: the schedule is always on
    await sched!.p.request("notify.set", { dnd: { until: null, schedule: { startMin: 0, endMin: 0, days: [], tz: "Europe/Berlin" } } });
    await send(owner, chatId, "hello all");
    await pushBarrier();
    const counts = () => [muted, mentions, none, dnd, sched, plain].map((x) => got(x!.sub).length);
    expect(counts()).toEqual([0, 0, 0, 0, 0, 1]);
    expect(got(plain!.sub)[0]).toMatchObject({ title: "Family 👪", chatId });
    expect(got(plain!.sub)[0]!.body).toEndWith(": hello all"); // "<sender's name>: text" in a group
    expect(ps.accepted(plain!.sub.id)[0]!.urgency).toBe("normal"); // a group message without a mention
    await send(owner, chatId, `@${mentions!.p.username} look`);
    await pushBarrier();
    // (plain is left out from here: its next push waits for the end of its coalescing window)
    expect(counts().slice(0, 5)).toEqual([0, 1, 0, 0, 0]);
    expect(ps.accepted(mentions!.sub.id)[0]!.urgency).toBe("high");
  });

  test("a silent send pushes nothing", async () => {
    const ann = await s.person("ann");
    const { p: bob, sub } = await away("bob");
    const chatId = await dm(ann, bob);
    await send(ann, chatId, "psst", { silent: true });
    await pushBarrier();
    expect(got(sub)).toEqual([]);
    await send(ann, chatId, "hello"); // the same chat, not silent: pushed
    await pushBarrier();
    expect(got(sub).map((x) => x.body)).toEqual(["hello"]);
  });

  test("a do-not-disturb schedule counts in the person's own time zone", async () => {
    const ann = await s.person("ann");
    const quiet = await away("qui");
    const awake = await away("awk");
    // Now in Kolkata (UTC+5:30, no DST): a window around it, and the same window 12 h later
    const local = (Math.floor(Date.now() / 60_000) + 330) % 1440;
    const around = { startMin: (local + 1440 - 30) % 1440, endMin: (local + 30) % 1440, days: [], tz: "Asia/Kolkata" };
    const later = { ...around, startMin: (around.startMin + 720) % 1440, endMin: (around.endMin + 720) % 1440 };
    await quiet.p.request("notify.set", { dnd: { until: null, schedule: around } });
    await awake.p.request("notify.set", { dnd: { until: null, schedule: later } });
    for (const x of [quiet, awake]) await send(ann, await dm(ann, x.p), "are you up?");
    await pushBarrier();
    expect([got(quiet.sub).length, got(awake.sub).length]).toEqual([0, 1]);
  });

  test("a channel post speaks as the channel: its title, the text, normal urgency", async () => {
    const owner = await s.person("own");
    const { p, sub } = await away("sub");
    const chatId = (await owner.request("chat.create", { kind: "channel", clientId: cid(), title: "News 📰", memberIds: [p.id] })).entry.chat.id;
    await send(owner, chatId, "Release 2.0 is out");
    await pushBarrier();
    expect(got(sub)).toEqual([expect.objectContaining({ title: "News 📰", body: "Release 2.0 is out", chatId })]);
    expect(ps.accepted(sub.id)[0]!.urgency).toBe("normal");
  });

  test("@all notifies a mentions-only member unless allMentionsNotify is off", async () => {
    const owner = await s.person("own");
    const { p, sub } = await away("all");
    const first = await group(owner, [p], "G1");
    const second = await group(owner, [p], "G2");
    for (const chatId of [first, second]) await p.request("chat.notify", { chatId, level: "mentions" });
    await send(owner, first, "@all meeting");
    await pushBarrier();
    expect(got(sub).map((x) => x.chatId)).toEqual([first]);
    await p.request("notify.set", { allMentionsNotify: false });
    await send(owner, second, "@all meeting");
    await pushBarrier();
    expect(got(sub).map((x) => x.chatId)).toEqual([first]);
  });

  test("messages within the window become one 'N new messages' push for the chat", async () => {
    const ann = await s.person("ann");
    const { p: bob, sub } = await away("bob");
    const chatId = await dm(ann, bob);
    for (let i = 1; i <= 5; i++) await send(ann, chatId, `message ${i}`);
    await until(() => got(sub).some((x) => x.count === 5), 15_000, "the coalesced push");
    const all = got(sub);
    expect(all[0]).toMatchObject({ count: 1, body: "message 1" });
    expect(all.length).toBeLessThan(5);
    expect(all.at(-1)).toMatchObject({ count: 5, body: "5 new messages", tag: `chat:${chatId}` });
  });

  test("no summary push for messages the recipient read within the window", async () => {
    const ann = await s.person("ann");
    const { p: bob, sub } = await away("bob");
    const chatId = await dm(ann, bob);
    await send(ann, chatId, "one");
    const { message } = await send(ann, chatId, "two");
    await bob.request("read.update", { chatId, seq: message.seq }); // read on another device, say
    await until(() => push.notifier.openWindows === 0, 15_000, "the coalescing windows to close");
    await pushBarrier();
    expect(got(sub).map((x) => x.body)).toEqual(["one"]);
  });

  test("hideContent: no sender and no text in the payload", async () => {
    const ann = await s.person("ann");
    const { p: bob, sub } = await away("bob");
    await bob.request("notify.set", { hideContent: true });
    const chatId = await dm(ann, bob);
    // words, not digits: the payload's random ids and capability token may hold any digits
    await send(ann, chatId, "the secret is tangerine");
    await pushBarrier();
    const [payload] = got(sub);
    expect(payload).toEqual({ v: 1, kind: "message", chatId, title: "Hearth", body: "", count: 1, url: `/chat/${chatId}`, tag: `chat:${chatId}`, at: expect.any(Number), action: expect.any(String) });
    expect(JSON.stringify(payload)).not.toMatch(/secret|tangerine/);
  });

  test("a call ring is pushed with a short TTL; DND silences it unless callsBypassDnd", async () => {
    const ann = await s.person("ann");
    const { p: bob, sub } = await away("bob");
    const chatId = await dm(ann, bob);
    const ring = (callId: string) => emitCallEvents(s.deps, [callDraft([bob.id], "call.rang", { callId, chatId, from: ann.id })]);
    await ring("call1");
    await pushBarrier();
    expect(got(sub)).toEqual([expect.objectContaining({ kind: "call", callId: "call1", chatId, tag: "call:call1", url: `/chat/${chatId}/call` })]);
    expect(ps.accepted(sub.id)[0]).toMatchObject({ ttl: 30, urgency: "high" });
    await bob.request("notify.set", { dnd: { until: MUTE_FOREVER, schedule: null } });
    await ring("call2");
    await pushBarrier();
    expect(got(sub).length).toBe(1);
    await bob.request("notify.set", { callsBypassDnd: true });
    await ring("call3");
    await pushBarrier();
    expect(got(sub).map((x) => x.callId)).toEqual(["call1", "call3"]);
    // call1 went unanswered: "Missed call" replaces its ringing notification; call3 was declined: nothing
    const ended = (callId: string, reason: "missed" | "declined") =>
      emitCallEvents(s.deps, [callDraft([ann.id, bob.id], "call.ended", { callId, chatId, reason, durationMs: 30_000 })]);
    await ended("call1", "missed");
    await ended("call3", "declined");
    await pushBarrier();
    expect(got(sub).slice(2)).toEqual([expect.objectContaining({ kind: "call", callId: "call1", tag: "call:call1", missed: true, body: "Missed call", url: `/chat/${chatId}` })]);
    expect(ps.accepted(sub.id)[2]).toMatchObject({ ttl: 24 * 60 * 60, urgency: "normal" });
  });
});

describe("subscriptions", () => {
  test("410 and 404 delete the subscription; the session list and push.config say so", async () => {
    const ann = await s.person("ann");
    for (const status of [410, 404]) {
      const { p: bob, sub } = await away("bob");
      const chatId = await dm(ann, bob);
      ps.answer(sub.id, { status });
      expect((await bob.request("session.list", {})).sessions.find((x: any) => x.current)!.push).toBe(true);
      await send(ann, chatId, "gone?");
      await pushBarrier();
      expect((await bob.request("push.config", {})).subscribed).toBe(false);
      expect((await bob.request("session.list", {})).sessions.find((x: any) => x.current)!.push).toBe(false);
      await send(ann, chatId, "still there?");
      await pushBarrier();
      expect(ps.delivered.filter((d) => d.subscriptionId === sub.id).length).toBe(1);
    }
  });

  test("signing out and revoking a session remove its subscription", async () => {
    const { p: bob } = await away("bob");
    const other = await login(bob.username);
    const otherClient = observe(await connectClient(s.t, other), "other");
    const otherSub = await ps.subscription();
    await otherClient.request("push.subscribe", { endpoint: otherSub.endpoint, keys: otherSub.keys });
    expect((await bob.request("session.list", {})).sessions.filter((x: any) => x.push).length).toBe(2);
    await bob.request("session.revoke", { sessionId: other.sessionId });
    expect(await s.deps.storage.push.bySession(other.sessionId)).toBeNull();
    expect((await bob.request("session.list", {})).sessions.filter((x: any) => x.push).length).toBe(1);
    otherClient.client.close();
    // sign-out over HTTP
    const third = await login(bob.username);
    const thirdClient = observe(await connectClient(s.t, third), "third");
    const thirdSub = await ps.subscription();
    await thirdClient.request("push.subscribe", { endpoint: thirdSub.endpoint, keys: thirdSub.keys });
    expect(await s.deps.storage.push.bySession(third.sessionId)).not.toBeNull();
    thirdClient.client.close();
    const res = await fetch(s.t.url + authPaths.logout, { method: "POST", headers: { authorization: `Bearer ${third.accessToken}` } });
    expect(res.status).toBe(204);
    expect(await s.deps.storage.push.bySession(third.sessionId)).toBeNull();
  });

  test("413: the push is sent again without content", async () => {
    const ann = await s.person("ann");
    const { p: bob, sub } = await away("bob");
    const chatId = await dm(ann, bob);
    ps.answer(sub.id, { status: 413 });
    await send(ann, chatId, "a long story ".repeat(10));
    await pushBarrier();
    const tries = ps.delivered.filter((d) => d.subscriptionId === sub.id);
    expect(tries.map((d) => d.status)).toEqual([413, 201]);
    expect(tries[0]!.payload.body).toContain("a long story");
    expect(tries[1]!.payload).toMatchObject({ title: "Hearth", body: "", chatId });
    expect(tries[1]!.payload.senderId).toBeUndefined();
  });

  test("429 backs off for Retry-After, then delivers", async () => {
    const ann = await s.person("ann");
    const { p: bob, sub } = await away("bob");
    const chatId = await dm(ann, bob);
    ps.answer(sub.id, { status: 429, retryAfterSec: 1 }, { status: 503 });
    const before = Date.now();
    await send(ann, chatId, "busy?");
    await until(() => got(sub).length === 1, 20_000, "the push after back-off");
    const tries = ps.delivered.filter((d) => d.subscriptionId === sub.id);
    expect(tries.map((d) => d.status)).toEqual([429, 503, 201]);
    expect(Date.now() - before).toBeGreaterThanOrEqual(1_000); // the Retry-After was waited out, not a timing race: a lower bound
    const metrics = await (await fetch(`${s.t.url}/metrics`)).text();
    expect(metrics).toMatch(/hearth_push_requests_total\{outcome="retry"\} [1-9]/);
  });

  test("bad endpoints and keys are refused with invalid_field", async () => {
    const p = await s.person("bad");
    const sub = await ps.subscription();
    const code = async (endpoint: string, keys = sub.keys) => {
      try {
        await p.request("push.subscribe", { endpoint, keys });
        return "ok";
      } catch (e) {
        return `${(e as any).code}:${(e as any).data?.field}`;
      }
    };
    expect(await code(sub.endpoint.replace("https:", "http:"))).toBe("invalid_field:endpoint");
    expect(await code("https://10.1.2.3/push/x")).toBe("invalid_field:endpoint");
    expect(await code("https://[::1]/push/x")).toBe("invalid_field:endpoint");
    expect(await code(`https://push.example/${"x".repeat(1100)}`)).toBe("invalid_field:endpoint");
    expect(await code(sub.endpoint, { p256dh: "AAAA", auth: sub.keys.auth })).toBe("invalid_field:keys.p256dh");
    const offCurve = Buffer.alloc(65, 7);
    offCurve[0] = 4;
    expect(await code(sub.endpoint, { p256dh: offCurve.toString("base64url"), auth: sub.keys.auth })).toBe("invalid_field:keys.p256dh");
    expect(await code(sub.endpoint, { p256dh: sub.keys.p256dh, auth: "!!" })).toBe("invalid_field:keys.auth");
    expect(await code(sub.endpoint)).toBe("ok"); // loopback is allowed only because push.allowPrivateHosts says so
  });

  test("push.test reaches the chosen own session; another person's session is not_found", async () => {
    const { p: bob, sub } = await away("bob");
    const eve = await s.person("eve");
    expect(await bob.request("push.test", {})).toEqual({ sent: true });
    await pushBarrier();
    expect(got(sub)).toEqual([expect.objectContaining({ kind: "test", tag: "test", url: "/settings" })]);
    const bobSession = (await bob.request("session.list", {})).sessions.find((x: any) => x.current)!.id;
    expect(await eve.code("push.test", { sessionId: bobSession })).toBe("not_found");
    expect(await eve.request("push.test", {})).toEqual({ sent: false }); // eve has no subscription
  });
});

describe("notification buttons (POST /api/push/action)", () => {
  const act = (body: object) => fetch(s.t.url + pushPaths.action, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  const codeOf = async (r: Response) => ((await r.json()) as { error: { code: string } }).error.code;

  test("mark read and reply with the push's capability; a forged, foreign or revoked one is refused", async () => {
    const ann = await s.person("ann");
    const { p: bob, sub } = await away("bob");
    const chatId = await dm(ann, bob);
    const { message } = await send(ann, chatId, "lunch?");
    await pushBarrier();
    const token = got(sub)[0]!.action!;
    expect(token).toStartWith("v1.");
    expect((await act({ token, action: "read" })).status).toBe(204);
    expect((await bob.request("chat.get", { chatId })).me.readSeq).toBe(message.seq);
    const r = await act({ token, action: "reply", text: "yes 🥪", clientId: "r1" });
    expect(r.status).toBe(200);
    const { messageId } = (await r.json()) as { messageId: string };
    await ann.event("message.created", (d) => d.message.id === messageId && d.message.senderId === bob.id && d.message.text === "yes 🥪");
    expect((await act({ token, action: "reply", text: "yes 🥪", clientId: "r1" })).status).toBe(200); // a retry sends nothing new
    expect(ann.seen("message.created").filter((d) => d.message.text === "yes 🥪").length).toBe(1);
    const forged = token.replace(/\.[^.]+$/, ".AAAAAAAAAAAAAAAAAAAAAA");
    expect(await codeOf(await act({ token: forged, action: "read" }))).toBe("unauthenticated");
    const otherChat = token.replace(chatId, await dm(ann, await s.person("eve")));
    expect(await codeOf(await act({ token: otherChat, action: "reply", text: "x" }))).toBe("unauthenticated");
    expect(await codeOf(await act({ token, action: "reply" }))).toBe("invalid_field");
    const mySession = (await bob.request("session.list", {})).sessions.find((x: any) => x.current)!.id;
    await s.deps.storage.sessions.revoke(bob.id, mySession, Date.now());
    expect(await codeOf(await act({ token, action: "read" }))).toBe("session_revoked");
  });
});

describe("settings", () => {
  test("the welcome snapshot carries the settings and the key; push.config the session's state", async () => {
    const p = await s.person("snap");
    const welcome = await p.client.connect();
    const config = await p.request("push.config", {});
    expect(config).toEqual({ vapidPublicKey: expect.stringMatching(/^B[A-Za-z0-9_-]{86}$/), available: true, subscribed: false });
    expect((welcome.snapshot as any).push).toEqual({
      settings: { dnd: { until: null, schedule: null }, callsBypassDnd: false, allMentionsNotify: true, hideContent: false },
      vapidPublicKey: config.vapidPublicKey,
      available: true,
    });
    expect(welcome.snapshot?.chats).toBeDefined();
  });

  test("chat.notify and chat.mute set me.notify, seen by the person's other devices", async () => {
    const ann = await s.person("ann");
    const bob = await s.person("bob");
    const chatId = await dm(ann, bob);
    const until1h = Date.now() + 3_600_000;
    const r = await bob.request("chat.notify", { chatId, level: "mentions", muteUntil: until1h });
    expect(r.me).toMatchObject({ muted: false, notify: { level: "mentions", muteUntil: until1h } });
    await bob.event("chat.member_updated", (d) => d.chatId === chatId && d.me?.notify?.muteUntil === until1h);
    expect((await bob.request("chat.mute", { chatId, muted: true })).me).toMatchObject({ muted: true, notify: { level: "mentions", muteUntil: MUTE_FOREVER } });
    expect((await bob.request("chat.get", { chatId })).me.notify).toEqual({ level: "mentions", muteUntil: MUTE_FOREVER });
    expect((await bob.request("chat.notify", { chatId, muteUntil: null })).me).toMatchObject({ muted: false, notify: { muteUntil: null } });
    expect(await ann.code("chat.notify", { chatId: "nope", level: "none" })).toBe("not_found");
  });

  test("notify.set validates the time zone, reaches other devices, and shows dnd in presence", async () => {
    const ann = await s.person("ann");
    const bob = await s.person("bob");
    await dm(ann, bob);
    expect(await bob.code("notify.set", { dnd: { until: null, schedule: { startMin: 0, endMin: 60, days: [1], tz: "Mars/Olympus" } } })).toBe("invalid_field");
    const presence: any[] = [];
    ann.client.onEphemeral("presence.changed", (d: any) => void presence.push(...d.users));
    const settings = await bob.request("notify.set", { dnd: { until: MUTE_FOREVER, schedule: null } });
    expect(settings).toEqual({ dnd: { until: MUTE_FOREVER, schedule: null }, callsBypassDnd: false, allMentionsNotify: true, hideContent: false });
    await bob.event("notify.updated", (d) => d.settings.dnd.until === MUTE_FOREVER);
    await until(() => presence.some((u) => u.userId === bob.id && u.state === "dnd"), 10_000, "ann sees bob as dnd");
    expect((await ann.request("presence.get", { userIds: [bob.id] })).users[0]!.state).toBe("dnd");
    expect(await bob.request("notify.get", {})).toEqual(settings);
  });

  test("a do-not-disturb period that ends by itself shows in presence without any other change", async () => {
    const ann = await s.person("ann");
    const bob = await s.person("bob");
    await dm(ann, bob);
    const presence: any[] = [];
    ann.client.onEphemeral("presence.changed", (d: any) => void presence.push(...d.users.filter((u: any) => u.userId === bob.id)));
    await bob.request("notify.set", { dnd: { until: Date.now() + 1_000, schedule: null } });
    await until(() => presence.some((u) => u.state === "dnd"), 10_000, "bob in dnd");
    await until(() => presence.at(-1)?.state === "online", 15_000, "bob online again once the period ended");
  });
});
