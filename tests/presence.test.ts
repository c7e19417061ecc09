// Typing, presence and privacy through a real server: typing reaches only members and
// expires; presence reaches only people sharing a chat, coalesced; last-seen and
// read-receipt privacy are enforced by the server. Absence is proved with a later
// ephemeral notice to the same person (one connection's frames keep their order).
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { type Person, startChatsServer } from "./support/chats.ts";
import { limits } from "../src/limits.ts";
import { presenceModule } from "../src/presence/module.ts";
import { createLocalRegistry } from "../src/presence/registry.ts";
import { authPaths, type AuthTokens } from "../src/protocol/http.ts";
import { connectClient, createTestUser, until } from "./support/harness.ts";

setDefaultTimeout(30_000);

type Notice = { type: string; data: any };
let s: Awaited<ReturnType<typeof startChatsServer>>;
const notices = new Map<string, Notice[]>();
let n = 0;
const cid = () => `p${++n}`;

beforeAll(async () => {
  s = await startChatsServer({ modules: (deps) => [presenceModule(deps, { registry: createLocalRegistry() })] });
});
afterAll(() => s.stop());

async function person(prefix: string): Promise<Person> {
  const p = await s.person(prefix);
  const list: Notice[] = [];
  notices.set(p.id, list);
  for (const type of ["typing.changed", "presence.changed"]) p.client.onEphemeral(type, (data) => void list.push({ type, data }));
  return p;
}
const got = (p: Person) => notices.get(p.id)!;
const typingOf = (p: Person, chatId: string) => got(p).filter((x) => x.type === "typing.changed" && x.data.chatId === chatId).map((x) => x.data);
const presenceOf = (p: Person, of: Person) => got(p).filter((x) => x.type === "presence.changed").flatMap((x) => x.data.users.filter((u: any) => u.userId === of.id));
const waitFor = (what: string, cond: () => boolean) => until(cond, 15_000, what);

async function group(owner: Person, members: Person[]) {
  const { entry } = await owner.request("chat.create", { kind: "group", clientId: cid(), title: "G", memberIds: members.map((p) => p.id) });
  return entry.chat.id as string;
}
const direct = async (a: Person, b: Person) => (await a.request("chat.create", { kind: "direct", userId: b.id })).entry.chat.id as string;

describe("typing", () => {
  test("goes to the other members only, is throttled, and expires without a repeat", async () => {
    const [ann, bob, cat, dan] = await Promise.all([person("ann"), person("bob"), person("cat"), person("dan")]);
    const chatId = await group(ann, [bob, cat]);
    const queueBefore = await s.deps.storage.events.queueInfo(bob.id);
    expect(await ann.request("typing.start", { chatId })).toEqual({ accepted: true });
    expect(await ann.request("typing.start", { chatId })).toEqual({ accepted: false }); // within typingThrottleMs
    await waitFor("bob and cat see ann typing", () => typingOf(bob, chatId).length === 1 && typingOf(cat, chatId).length === 1);
    expect(typingOf(bob, chatId)[0]).toEqual({ chatId, userId: ann.id, typing: true, expiresInMs: limits.typingTtlMs });
    expect(await s.deps.storage.events.queueInfo(bob.id)).toEqual(queueBefore); // ephemeral: nothing queued
    // dan is no member: a later notice to dan proves the first never came
    const dm = await direct(ann, dan);
    await ann.request("typing.start", { chatId: dm });
    await waitFor("dan sees the DM typing", () => typingOf(dan, dm).length === 1);
    expect(got(dan).filter((x) => x.data.chatId === chatId)).toEqual([]);
    expect(typingOf(ann, chatId)).toEqual([]); // not echoed to the typist
    await waitFor("the indicator expires", () => typingOf(bob, chatId).length === 2);
    expect(typingOf(bob, chatId)[1]).toEqual({ chatId, userId: ann.id, typing: false });
  });

  test("typing.stop ends it at once; non-members get not_found; channels and saved pass nothing on", async () => {
    const [ann, bob, eve] = await Promise.all([person("ann"), person("bob"), person("eve")]);
    const chatId = await direct(ann, bob);
    await ann.request("typing.start", { chatId });
    await ann.request("typing.stop", { chatId });
    await waitFor("bob sees start and stop", () => typingOf(bob, chatId).length === 2);
    expect(typingOf(bob, chatId).map((d) => d.typing)).toEqual([true, false]);
    expect(await eve.code("typing.start", { chatId })).toBe("not_found");
    expect(await eve.code("typing.stop", { chatId })).toBe("not_found");
    const { entry } = await ann.request("chat.create", { kind: "channel", clientId: cid(), title: "C", memberIds: [bob.id] });
    expect(await ann.request("typing.start", { chatId: entry.chat.id })).toEqual({ accepted: false });
    expect(await bob.code("typing.start", { chatId: entry.chat.id })).toBe("forbidden"); // subscribers cannot post
  });
});

describe("presence", () => {
  test("reaches only people who share a chat; going away and leaving are seen, with last seen", async () => {
    const [ann, bob, cat, fay] = await Promise.all([person("ann"), person("bob"), person("cat"), person("fay")]);
    await direct(ann, bob);
    await direct(cat, fay); // cat shares nothing with bob
    await bob.request("presence.set", { state: "away" });
    await waitFor("ann sees bob away", () => presenceOf(ann, bob).some((u) => u.state === "away"));
    await fay.request("presence.set", { state: "away" });
    await waitFor("cat sees fay away", () => presenceOf(cat, fay).some((u) => u.state === "away"));
    expect(presenceOf(cat, bob)).toEqual([]);
    bob.client.close();
    await waitFor("ann sees bob offline", () => presenceOf(ann, bob).some((u) => u.state === "offline"));
    const last = presenceOf(ann, bob).at(-1);
    expect(typeof last.lastSeenAt).toBe("number");
    expect((await ann.request("presence.get", { userIds: [bob.id] })).users).toEqual([last]);
    expect((await cat.request("presence.get", { userIds: [bob.id, "no-such-user"] })).users).toEqual([last]); // default: everyone
  });

  test("rapid flaps are coalesced: far fewer entries than changes, ending in the final state", async () => {
    const [ann, bob] = await Promise.all([person("ann"), person("bob")]);
    await direct(ann, bob);
    const flaps = 40;
    for (let i = 0; i < flaps; i++) await bob.request("presence.set", { state: i % 2 === 0 ? "away" : "online" });
    await bob.request("presence.set", { state: "away" });
    await waitFor("ann sees bob end away", () => presenceOf(ann, bob).at(-1)?.state === "away");
    const frames = got(ann).filter((x) => x.type === "presence.changed").length;
    expect(presenceOf(ann, bob).length).toBeLessThanOrEqual(3);
    expect(frames).toBeLessThanOrEqual(3);
  });

  test("away only when every device is idle; a second device keeps the user online", async () => {
    const ann = await person("ann");
    const zedName = `zed${process.pid % 1000}d${++n}`;
    const zed = await createTestUser(s.t, zedName);
    const login = await fetch(s.t.url + authPaths.login, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: zedName, password: "correct horse battery staple", deviceName: "phone" }),
    });
    const phoneTokens = (await login.json()) as AuthTokens;
    const [laptop, phone] = [await connectClient(s.t, zed), await connectClient(s.t, phoneTokens)];
    try {
      await ann.request("chat.create", { kind: "direct", userId: zed.userId });
      const zedOf = () => got(ann).filter((x) => x.type === "presence.changed").flatMap((x) => x.data.users.filter((u: any) => u.userId === zed.userId));
      await laptop.request("presence.set", { state: "away" });
      expect((await ann.request("presence.get", { userIds: [zed.userId] })).users[0]!.state).toBe("online");
      await phone.request("presence.set", { state: "away" });
      await waitFor("ann sees zed away", () => zedOf().at(-1)?.state === "away");
      phone.close();
      await laptop.request("presence.set", { state: "online" });
      await waitFor("ann sees zed online again", () => zedOf().at(-1)?.state === "online");
    } finally {
      laptop.close();
      phone.close();
    }
  });

  test("the welcome snapshot carries the presence of chat peers and your privacy", async () => {
    const ann = await person("ann");
    const zed = await createTestUser(s.t, `zed${process.pid % 1000}s${++n}`);
    await ann.request("chat.create", { kind: "direct", userId: zed.userId });
    await ann.request("presence.set", { state: "away" });
    const client = await connectClient(s.t, zed);
    try {
      const snap = (await client.connect()).snapshot?.presence as { users: { userId: string; state: string }[]; privacy: object };
      expect(snap.privacy).toEqual({ lastSeen: "everyone", readReceipts: "everyone", groupAdd: "everyone" });
      expect(snap.users).toEqual([{ userId: ann.id, state: "away" }]);
    } finally {
      client.close();
    }
  });
});

describe("privacy", () => {
  test("last seen hidden: contacts and strangers get only the coarse state, which does not flap", async () => {
    const [ann, bob, cat] = await Promise.all([person("ann"), person("bob"), person("cat")]);
    await direct(ann, bob);
    expect(await bob.request("privacy.set", { lastSeen: "nobody" })).toEqual({ lastSeen: "nobody", readReceipts: "everyone", groupAdd: "everyone" });
    await waitFor("ann sees bob as recently", () => presenceOf(ann, bob).at(-1)?.state === "recently");
    const before = presenceOf(ann, bob).length;
    for (let i = 0; i < 4; i++) await bob.request("presence.set", { state: i % 2 === 0 ? "away" : "online" });
    await bob.request("presence.set", { state: "away" });
    // a change ann must see (cat joins her DMs and goes away) proves bob's flaps sent nothing
    await direct(ann, cat);
    await cat.request("presence.set", { state: "away" });
    await waitFor("ann sees cat away", () => presenceOf(ann, cat).some((u) => u.state === "away"));
    expect(presenceOf(ann, bob).length).toBe(before);
    expect((await ann.request("presence.get", { userIds: [bob.id] })).users).toEqual([{ userId: bob.id, state: "recently" }]);
    expect((await bob.request("presence.get", { userIds: [bob.id] })).users).toEqual([{ userId: bob.id, state: "away" }]);
    // contacts: exact for ann (shares a chat), coarse for a stranger
    await bob.request("privacy.set", { lastSeen: "contacts" });
    const stranger = await person("str");
    expect((await ann.request("presence.get", { userIds: [bob.id] })).users[0]!.state).toBe("away");
    expect((await stranger.request("presence.get", { userIds: [bob.id] })).users[0]!.state).toBe("recently");
    expect(await bob.request("privacy.get", {})).toEqual({ lastSeen: "contacts", readReceipts: "everyone", groupAdd: "everyone" });
  });

  test("read receipts off: nobody else sees the pointer move or finds it in who-has-read; own counts still work", async () => {
    const [ann, bob, cat] = await Promise.all([person("ann"), person("bob"), person("cat")]);
    const chatId = await group(ann, [bob, cat]);
    await bob.request("privacy.set", { readReceipts: "nobody" });
    const m = (await ann.request("message.send", { chatId, clientId: cid(), text: "hi" })).message;
    await bob.event("message.created", (d) => d.message.id === m.id);
    const mine = await bob.request("read.update", { chatId, seq: m.seq });
    expect([mine.readSeq, mine.unreadCount]).toEqual([m.seq, 0]);
    await bob.event("read.updated", (d) => d.userId === bob.id && d.unreadCount === 0);
    await cat.request("read.update", { chatId, seq: m.seq });
    await ann.event("read.updated", (d) => d.userId === cat.id && d.chatId === chatId);
    await ann.barrier();
    expect(ann.seen("read.updated").filter((d) => d.userId === bob.id)).toEqual([]);
    const readers = (await ann.request("read.list", { chatId, messageId: m.id })).readers.map((r: any) => r.userId);
    expect(readers).toEqual([cat.id]);
    expect((await ann.request("chat.get", { chatId })).unreadCount).toBe(0);
    expect((await bob.request("chat.get", { chatId })).unreadCount).toBe(0);
  });
});
