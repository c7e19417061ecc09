// Chats through a real server: direct/saved/group/channel creation and idempotency,
// the chat list and the welcome snapshot, chat info, membership changes and per-member
// flags — each with the events it must (and must not) produce.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { connectClient, createTestUser } from "./support/harness.ts";
import { type Person, applyChatEvent, byActivity, startChatsServer } from "./support/chats.ts";
import { limits } from "../src/limits.ts";
import { ChatEntrySchema } from "../src/protocol/methods/chats.ts";

setDefaultTimeout(30_000);

let s: Awaited<ReturnType<typeof startChatsServer>>;
let ann: Person, ben: Person, cat: Person;
let n = 0;
const cid = () => `k${++n}`;

beforeAll(async () => {
  s = await startChatsServer();
  [ann, ben, cat] = await Promise.all([s.person("ann"), s.person("ben"), s.person("cat")]);
});
afterAll(() => s.stop());

const group = async (members: Person[], kind = "group", title = "Team") =>
  (await ann.request("chat.create", { kind, clientId: cid(), title, memberIds: members.map((p) => p.id) })).entry;

describe("creating chats", () => {
  test("a direct chat exists once per pair; both people hear of it once", async () => {
    const first = await ann.request("chat.create", { kind: "direct", userId: ben.id });
    const again = await ben.request("chat.create", { kind: "direct", userId: ann.id });
    expect(first.created).toBe(true);
    expect(again.created).toBe(false);
    expect(again.entry.chat.id).toBe(first.entry.chat.id);
    expect(first.entry.peerId).toBe(ben.id);
    expect(again.entry.peerId).toBe(ann.id);
    const id = first.entry.chat.id;
    await ben.event("chat.joined", (d) => d.entry.chat.id === id);
    await Promise.all([ann.barrier(), ben.barrier()]);
    expect(ben.seen("chat.joined").filter((d) => d.entry.chat.id === id).length).toBe(1);
    expect(ann.seen("chat.created").filter((d) => d.entry.chat.id === id).length).toBe(1);
    expect(await ann.code("chat.create", { kind: "direct", userId: "01NOSUCHUSER0000000000000" })).toBe("not_found");
  });

  test("saved messages: one per user, just you", async () => {
    const a = await cat.request("chat.create", { kind: "saved" });
    const b = await cat.request("chat.create", { kind: "saved" });
    expect(a.entry.chat).toMatchObject({ kind: "saved", memberCount: 1 });
    expect(b.entry.chat.id).toBe(a.entry.chat.id);
    expect(a.entry.peerId).toBe(cat.id);
  });

  test("a group retry with the same client id returns the first result and creates nothing more", async () => {
    const params = { kind: "group", clientId: "retry-me", title: "Once", memberIds: [ben.id] };
    const [a, b] = await Promise.all([ann.request("chat.create", params), ann.request("chat.create", params)]);
    expect(b).toEqual(a);
    expect(a.entry.me.role).toBe("owner");
    const benEntry = await ben.event("chat.joined", (d) => d.entry.chat.id === a.entry.chat.id);
    expect(benEntry.entry.me.role).toBe("member");
    const list = await ann.request("chat.list", { limit: 200 });
    expect(list.chats.filter((e: any) => e.chat.title === "Once").length).toBe(1);
  });

  test("input rules: title, description, member count per request", async () => {
    const base = { kind: "group", title: "ok" };
    expect(await ann.code("chat.create", { ...base, clientId: cid(), title: "  " })).toBe("invalid_field");
    expect(await ann.code("chat.create", { ...base, clientId: cid(), title: "x".repeat(limits.chatTitleLengthMax + 1) })).toBe("invalid_field");
    expect(await ann.code("chat.create", { ...base, clientId: cid(), description: "bad\u0007" })).toBe("invalid_field");
    const many = Array.from({ length: limits.membersPerRequestMax + 1 }, (_, i) => `u${i}`);
    expect(await ann.code("chat.create", { ...base, clientId: cid(), memberIds: many })).toBe("invalid_field");
    expect(await ann.code("chat.create", { ...base, clientId: cid(), memberIds: ["01NOSUCHUSER0000000000000"] })).toBe("not_found");
  });

  test("a channel: admins post, subscribers read, memberCount is the subscriber count", async () => {
    const ch = await group([ben, cat], "channel", "News");
    expect(ch.chat).toMatchObject({ kind: "channel", memberCount: 3 });
    const m = (await ann.request("message.send", { chatId: ch.chat.id, clientId: cid(), text: "issue 1" })).message;
    await cat.event("message.created", (d) => d.message.id === m.id);
    expect(await ben.code("message.send", { chatId: ch.chat.id, clientId: cid(), text: "me too" })).toBe("forbidden");
  });
});

describe("the chat list and the snapshot", () => {
  test("most recently active first, paged, with unread counts; a fresh welcome shows the same", async () => {
    const tokens = await createTestUser(s.t, `eve${process.pid % 1000}`);
    const eve = tokens.userId;
    const chats = [];
    for (let i = 0; i < 3; i++) chats.push((await ann.request("chat.create", { kind: "group", clientId: cid(), title: `L${i}`, memberIds: [eve] })).entry.chat.id);
    await ann.request("message.send", { chatId: chats[0], clientId: cid(), text: "bump" });
    const client = await connectClient(s.t, tokens);
    try {
      const page1 = await client.request("chat.list", { limit: 2 });
      expect(page1.chats.map((e) => e.chat.id)).toEqual([chats[0]!, chats[2]!]);
      expect(page1.hasMore).toBe(true);
      expect(page1.chats[0]!.unreadCount).toBe(1);
      expect(page1.chats[0]!.lastMessage?.text).toBe("bump");
      const last = page1.chats[1]!.chat;
      const page2 = await client.request("chat.list", { limit: 2, before: { lastAt: last.lastAt, chatId: last.id } });
      expect(page2).toEqual({ chats: [expect.objectContaining({ chat: expect.objectContaining({ id: chats[1] }) })], hasMore: false });
      const welcome = await client.connect();
      const all = await client.request("chat.list", {});
      expect(welcome.snapshot?.chats).toEqual(all);
    } finally {
      client.close();
    }
  });
});

describe("managing a group", () => {
  test("rename and describe reach every member; a member may not", async () => {
    const g = await group([ben]);
    const chatId = g.chat.id;
    const { chat } = await ann.request("chat.rename", { chatId, title: " Renamed " });
    expect(chat.title).toBe("Renamed");
    expect((await ben.event("chat.updated", (d) => d.chat.id === chatId)).chat.title).toBe("Renamed");
    await ann.request("chat.describe", { chatId, description: "line 1\nline 2" });
    expect((await ben.event("chat.updated", (d) => d.chat.description === "line 1\nline 2")).chat.id).toBe(chatId);
    expect(await ben.code("chat.rename", { chatId, title: "mine" })).toBe("forbidden");
  });

  test("adding: old members hear who joined (chat log), the new member gets chat.joined with their entry; existing members are skipped", async () => {
    const g = await group([ben]);
    const chatId = g.chat.id;
    await ann.request("message.send", { chatId, clientId: cid(), text: "before cat" });
    const { members } = await ann.request("member.add", { chatId, userIds: [cat.id, ben.id] });
    expect(members.map((m: any) => m.userId)).toEqual([cat.id]);
    const forBen = await ben.event("chat.member_added", (d) => d.chat.id === chatId);
    expect(forBen.entry).toBeUndefined();
    expect(forBen.chat.memberCount).toBe(3);
    const forCat = await cat.event("chat.joined", (d) => d.entry.chat.id === chatId);
    expect(forCat.entry).toMatchObject({ unreadCount: 0, me: { role: "member", readSeq: 1 }, lastMessage: { text: "before cat" } });
    // the entry is the chat at the join: its log continues after the member_added
    const added = await ben.event("chat.member_added", (d) => d.chat.id === chatId);
    expect(forCat.pos).toBe(forCat.entry.pos);
    expect(forCat.pos).toBe(ben.events.find((e) => e.data === added)!.pos!);
    expect((await cat.request("chat.get", { chatId })).unreadCount).toBe(0);
  });

  test("promote, demote, remove, leave: the right people hear, the removed stop hearing", async () => {
    const g = await group([ben, cat]);
    const chatId = g.chat.id;
    await ann.request("member.promote", { chatId, userId: ben.id });
    expect(await cat.event("chat.member_updated", (d) => d.chatId === chatId && d.member.userId === ben.id)).toMatchObject({ member: { role: "admin" } });
    expect(await ben.request("member.list", { chatId })).toMatchObject({ hasMore: false });
    await ann.request("member.demote", { chatId, userId: ben.id });
    await cat.event("chat.member_updated", (d) => d.chatId === chatId && d.member.role === "member");
    await cat.request("member.leave", { chatId });
    const left = await ben.event("chat.member_removed", (d) => d.chat.id === chatId);
    expect(left).toMatchObject({ userIds: [cat.id], chat: { memberCount: 2 } });
    await cat.event("chat.member_removed", (d) => d.chat.id === chatId);
    expect(await cat.code("chat.get", { chatId })).toBe("not_found");
    expect(await ann.code("member.remove", { chatId, userId: cat.id })).toBe("not_found");
    expect(await ann.code("member.remove", { chatId, userId: ann.id })).toBe("invalid_field");
    expect(await ann.code("member.leave", { chatId })).toBe("forbidden"); // the owner stays while others remain
  });

  test("mute, archive and pin are private: only my devices hear, chat.get shows them", async () => {
    const g = await group([ben]);
    const chatId = g.chat.id;
    const benFrom = ben.events.length;
    expect((await ann.request("chat.mute", { chatId, muted: true })).me.muted).toBe(true);
    await ann.request("chat.archive", { chatId, archived: true });
    const pinned = (await ann.request("chat.pin", { chatId, pinned: true })).me;
    expect(pinned).toMatchObject({ muted: true, archived: true });
    expect(pinned.pinnedAt).toBeNumber();
    await ann.event("chat.member_updated", (d) => d.chatId === chatId && d.me?.pinnedAt !== null);
    expect((await ann.request("chat.get", { chatId })).me).toEqual(pinned);
    expect((await ben.request("chat.get", { chatId })).me).toMatchObject({ muted: false, archived: false, pinnedAt: null });
    await ben.barrier();
    expect(ben.events.slice(benFrom).some((e) => e.type === "chat.member_updated" && (e.data as any).chatId === chatId)).toBe(false);
  });
});

describe("snapshot + events = fresh snapshot", () => {
  test("a chat list kept up to date from events equals a fresh chat.list", async () => {
    const dan = await s.person("dan");
    await ben.barrier();
    const from = ben.events.length;
    let list = (await ben.request("chat.list", {})).chats;
    const g = (await group([ben, cat])).chat.id;
    const other = (await group([ben])).chat.id;
    const say = (p: Person, chatId: string, text: string) => p.request("message.send", { chatId, clientId: cid(), text }).then((r) => r.message);
    const m1 = await say(ann, g, `hi @${ben.username}`);
    await ben.request("read.update", { chatId: g, seq: m1.seq });
    await say(ann, g, "@all standup");
    const m3 = await say(cat, g, `ping @${ben.username}`);
    await say(ben, g, "mine");
    const m5 = await say(cat, g, "plain");
    const m6 = await say(cat, g, "newest");
    const m7 = await say(cat, g, `unmention @${ben.username}`);
    const m8 = await say(cat, g, `also @${ben.username}`);
    await ann.request("chat.rename", { chatId: g, title: "Renamed" });
    // Edits that add or drop a mention of an unread message move the mention count.
    await cat.request("message.edit", { chatId: g, messageId: m6.id, text: `newest @${ben.username}` });
    await cat.request("message.edit", { chatId: g, messageId: m7.id, text: "unmention" });
    await cat.request("message.edit", { chatId: g, messageId: m8.id, text: "also" });
    await cat.request("message.edit", { chatId: g, messageId: m5.id, text: "plain, edited" });
    await cat.request("message.delete", { chatId: g, messageId: m3.id, forEveryone: true });
    await ben.request("message.delete", { chatId: g, messageId: m5.id, forEveryone: false });
    await cat.request("message.edit", { chatId: g, messageId: m5.id, text: `hidden for @${ben.username}` }); // hidden: no count
    expect(await ben.code("message.delete", { chatId: g, messageId: m5.id, forEveryone: false })).toBe("not_found"); // hidden once
    await ben.request("message.delete", { chatId: g, messageId: m7.id, forEveryone: false });
    await cat.request("message.delete", { chatId: g, messageId: m7.id, forEveryone: true }); // hidden, then gone: counted once
    await ann.request("member.promote", { chatId: g, userId: ben.id });
    await ben.request("chat.pin", { chatId: g, pinned: true });
    await ann.request("member.add", { chatId: g, userIds: [dan.id] });
    await say(ann, other, "elsewhere");
    await ann.request("member.remove", { chatId: other, userId: ben.id });
    // Left, missed messages, back: the backlog of while away is not unread; what follows is.
    await say(ann, other, `while away @${ben.username}`);
    await ann.request("member.add", { chatId: other, userIds: [ben.id] });
    await say(ann, other, `back @${ben.username}`);
    await ben.request("chat.create", { kind: "direct", userId: cat.id });
    await ben.barrier();
    for (const e of ben.events.slice(from)) list = applyChatEvent(list, ben.id, e);
    const fresh = (await ben.request("chat.list", {})).chats;
    expect(byActivity(list)).toEqual(fresh);
    const counts = (id: string) => fresh.filter((x: any) => x.chat.id === id).map((x: any) => [x.unreadCount, x.unreadMentionCount]);
    expect(counts(other)).toEqual([[1, 1]]); // only "back": the backlog from before the rejoin is read
  });

  test("a message hidden before the snapshot: the entry lists it, so its later edit and deletion leave the counts alone", async () => {
    const g = (await group([ben, cat], "group", "Hidden 🙈")).chat.id;
    const say = (p: Person, chatId: string, text: string) => p.request("message.send", { chatId, clientId: cid(), text }).then((r) => r.message);
    const h1 = await say(cat, g, `hide me @${ben.username}`);
    const keep = await say(cat, g, "keep me");
    const h2 = await say(cat, g, "hide me too");
    // hidden in an order other than the chat's: the entry lists seqs ascending
    await ben.request("message.delete", { chatId: g, messageId: h2.id, forEveryone: false });
    await ben.request("message.delete", { chatId: g, messageId: h1.id, forEveryone: false });
    const entryOf = async (p: Person) => ((await p.request("chat.list", { limit: 200 })).chats as any[]).find((x) => x.chat.id === g);
    const before = await entryOf(ben);
    expect([before.unreadCount, before.unreadMentionCount, before.hiddenUnread]).toEqual([1, 0, [h1.seq, h2.seq]]);
    expect((await entryOf(cat)).hiddenUnread).toBeUndefined(); // only the one who hid it
    await ben.barrier();
    const from = ben.events.length;
    let list = [before];
    await cat.request("message.edit", { chatId: g, messageId: h1.id, text: `still @${ben.username}, edited` });
    await cat.request("message.edit", { chatId: g, messageId: keep.id, text: `keep me @${ben.username}` });
    await cat.request("message.delete", { chatId: g, messageId: h1.id, forEveryone: true });
    await ben.barrier();
    const seen = ben.events.slice(from);
    expect(seen.some((e) => e.type === "message.deleted" && (e.data as any).messageId === h1.id)).toBe(true); // it does arrive: the chat's log is shared
    for (const e of seen) list = applyChatEvent(list, ben.id, e);
    const after = await entryOf(ben);
    expect([after.unreadCount, after.unreadMentionCount, after.hiddenUnread]).toEqual([1, 1, [h2.seq]]);
    expect(list).toEqual([after]);
    // reading past them: the list is gone
    await ben.request("read.update", { chatId: g, seq: h2.seq });
    await ben.barrier();
    for (const e of ben.events.slice(from + seen.length)) list = applyChatEvent(list, ben.id, e);
    const read = await entryOf(ben);
    expect(read.hiddenUnread).toBeUndefined();
    expect(list).toEqual([read]);
  });

  test(`an entry lists at most limits.entryHiddenUnreadMax (${limits.entryHiddenUnreadMax}) hidden unread messages, the newest`, async () => {
    const g = (await group([ben])).chat.id;
    const sent = [];
    for (let i = 0; i <= limits.entryHiddenUnreadMax; i++) sent.push((await ann.request("message.send", { chatId: g, clientId: cid(), text: `n${i}` })).message);
    for (const m of sent) await ben.request("message.delete", { chatId: g, messageId: m.id, forEveryone: false });
    const entry = ((await ben.request("chat.list", { limit: 200 })).chats as any[]).find((x) => x.chat.id === g);
    expect(entry.unreadCount).toBe(0);
    expect(entry.hiddenUnread).toEqual(sent.slice(1).map((m) => m.seq));
    expect(ChatEntrySchema.properties.hiddenUnread.maxItems).toBe(limits.entryHiddenUnreadMax); // the wire bound a client reads
  });
});
