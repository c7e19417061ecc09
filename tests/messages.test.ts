// Messages through a real server: idempotent sends, edits with history, deletes with
// exact unread counts, history paging, mentions and hashtags, reply and forward rules,
// and events reaching exactly the members (proved absent with a per-person barrier).
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { type Person, startChatsServer } from "./support/chats.ts";
import { limits } from "../src/limits.ts";

setDefaultTimeout(30_000);

let s: Awaited<ReturnType<typeof startChatsServer>>;
let owner: Person, bob: Person, carol: Person, dave: Person;
let n = 0;
const cid = () => `m${++n}`;

beforeAll(async () => {
  s = await startChatsServer();
  [owner, bob, carol, dave] = await Promise.all([s.person("own"), s.person("bob"), s.person("car"), s.person("dav")]);
});
afterAll(() => s.stop());

async function newGroup(members: Person[] = [bob, carol]) {
  const { entry } = await owner.request("chat.create", { kind: "group", clientId: cid(), title: "G", memberIds: members.map((p) => p.id) });
  return entry.chat.id as string;
}
const send = (p: Person, chatId: string, text = "hello", extra: object = {}) =>
  p.request("message.send", { chatId, clientId: cid(), text, ...extra }).then((r) => r.message);
const counts = async (p: Person, chatId: string) => {
  const e = await p.request("chat.get", { chatId });
  return [e.unreadCount, e.unreadMentionCount];
};

describe("sending", () => {
  test("the same client id twice gives one message, the same result, one event per member", async () => {
    const chatId = await newGroup();
    const from = bob.events.length;
    const params = { chatId, clientId: "same-id", text: "once" };
    const [a, b] = await Promise.all([owner.request("message.send", params), owner.request("message.send", params)]);
    const c = await owner.request("message.send", { ...params, text: "changed text is ignored" });
    expect(b).toEqual(a);
    expect(c).toEqual(a);
    const page = await owner.request("message.list", { chatId, anchor: "latest", direction: "before" });
    expect(page.messages.map((m: any) => m.text)).toEqual(["once"]);
    await bob.barrier();
    expect(bob.events.slice(from).filter((e) => e.type === "message.created").length).toBe(1);
  });

  test("the idempotency key includes the chat: one client id in two chats sends two messages", async () => {
    const [one, two] = [await newGroup(), await newGroup()];
    const a = (await owner.request("message.send", { chatId: one, clientId: "shared-id", text: "to one" })).message;
    const b = (await owner.request("message.send", { chatId: two, clientId: "shared-id", text: "to two" })).message;
    expect(a.id).not.toBe(b.id);
    expect([a.chatId, a.text, b.chatId, b.text]).toEqual([one, "to one", two, "to two"]);
  });

  test("text is stored in NFC and entity offsets refer to the stored text", async () => {
    const chatId = await newGroup();
    const decomposed = "Cafe\u0301 #cre\u0300me @" + bob.username;
    const m = (await owner.request("message.send", { chatId, clientId: cid(), text: decomposed + "  " })).message;
    expect(m.text).toBe(decomposed.normalize("NFC"));
    expect(m.text.length).toBeLessThan(decomposed.length);
    const tag = m.entities.find((e: any) => e.type === "hashtag");
    const mention = m.entities.find((e: any) => e.type === "mention");
    expect(m.text.slice(tag!.offset, tag!.offset + tag!.length)).toBe("#crème");
    expect(m.text.slice(mention!.offset, mention!.offset + mention!.length)).toBe("@" + bob.username);
  });

  test("text rules: empty and over-long refused with invalid_field; silent is carried", async () => {
    const chatId = await newGroup();
    expect(await owner.code("message.send", { chatId, clientId: cid(), text: "   " })).toBe("invalid_field");
    expect(await owner.code("message.send", { chatId, clientId: cid(), text: "x".repeat(limits.messageTextLengthMax + 1) })).toBe("invalid_field");
    const m = await send(owner, chatId, "shh", { silent: true });
    expect((await bob.event("message.created", (d) => d.message.id === m.id)).message.silent).toBe(true);
  });

  test("mentions resolve to members; @all only from admins; hashtags lowercased", async () => {
    const chatId = await newGroup();
    const m = await send(bob, chatId, `@${carol.username} @${dave.username} @all see #Release`);
    expect(m.entities.map((e: any) => e.type)).toEqual(["mention", "hashtag"]);
    expect(m.entities[0]).toMatchObject({ userId: carol.id });
    expect(m.entities[1]).toMatchObject({ tag: "release" });
    const all = await send(owner, chatId, "@all meeting");
    expect(all.entities).toEqual([{ type: "mention_all", offset: 0, length: 4 }]);
    expect(await counts(carol, chatId)).toEqual([2, 2]);
    expect(await counts(bob, chatId)).toEqual([1, 1]);
  });

  test("a reply must point into the same chat", async () => {
    const a = await newGroup();
    const b = await newGroup();
    const there = await send(owner, b);
    expect(await owner.code("message.send", { chatId: a, clientId: cid(), text: "re", replyToId: there.id })).toBe("invalid_field");
    const here = await send(owner, a);
    expect((await send(bob, a, "re", { replyToId: here.id })).replyToId).toBe(here.id);
  });

  test("forward keeps the first origin, drops mentions, and needs read access to the origin", async () => {
    const a = await newGroup();
    const b = await newGroup([bob, dave]);
    const original = await send(carol, a, `@${bob.username} look #news`);
    const fwd = (await bob.request("message.forward", { chatId: b, clientId: cid(), fromChatId: a, messageId: original.id })).message;
    expect(fwd.forward).toEqual({ chatId: a, messageId: original.id, senderId: carol.id, at: original.createdAt });
    expect(fwd.entities.map((e: any) => e.type)).toEqual(["hashtag"]);
    const again = (await dave.request("message.forward", { chatId: b, clientId: cid(), fromChatId: b, messageId: fwd.id })).message;
    expect(again.forward!.messageId).toBe(original.id);
    expect(await dave.code("message.forward", { chatId: b, clientId: cid(), fromChatId: a, messageId: original.id })).toBe("not_found");
    expect(await dave.code("message.edit", { chatId: b, messageId: again.id, text: "x" })).toBe("forbidden");
  });
});

describe("editing and deleting", () => {
  test("edits keep history and reach every member", async () => {
    const chatId = await newGroup();
    const m = await send(bob, chatId, "first");
    await bob.request("message.edit", { chatId, messageId: m.id, text: "second" });
    const edited = (await bob.request("message.edit", { chatId, messageId: m.id, text: `third @${carol.username}` })).message;
    expect(edited).toMatchObject({ id: m.id, seq: m.seq, text: `third @${carol.username}` });
    expect(edited.editedAt).toBeNumber();
    const { versions } = await carol.request("message.edit_history", { chatId, messageId: m.id });
    expect(versions.map((v: any) => [v.version, v.text])).toEqual([[1, "first"], [2, "second"], [3, `third @${carol.username}`]]);
    const seen = await owner.event("message.edited", (d) => d.message.id === m.id && d.message.text.startsWith("third"));
    expect(seen.message.entities[0]).toMatchObject({ userId: carol.id });
  });

  test("deletes keep unread counts exact: for everyone reaches all, for me only me", async () => {
    const chatId = await newGroup();
    const ms: any[] = [];
    for (let i = 0; i < 5; i++) ms.push(await send(bob, chatId, `m${i} @${carol.username}`));
    await send(carol, chatId, "mine never counts");
    expect(await counts(carol, chatId)).toEqual([5, 5]);
    await bob.request("message.delete", { chatId, messageId: ms[0].id, forEveryone: true });
    const gone = await carol.event("message.deleted", (d) => d.messageId === ms[0].id);
    expect(gone).toEqual({ chatId, messageId: ms[0].id, seq: ms[0].seq, forEveryone: true, senderId: bob.id, mentions: { userIds: [carol.id], all: false } });
    expect(await counts(carol, chatId)).toEqual([4, 4]);
    const bobFrom = bob.events.length;
    await carol.request("message.delete", { chatId, messageId: ms[1].id, forEveryone: false });
    await carol.event("message.deleted", (d) => d.messageId === ms[1].id && !d.forEveryone);
    expect(await counts(carol, chatId)).toEqual([3, 3]);
    expect(await counts(bob, chatId)).toEqual([1, 0]); // carol's one message
    await bob.barrier();
    expect(bob.events.slice(bobFrom).some((e) => e.type === "message.deleted")).toBe(false);
    const page = await carol.request("message.list", { chatId, anchor: "latest", direction: "before" });
    expect(page.messages.map((m: any) => [m.seq, m.deletedAt !== null])).toEqual([[1, true], [3, false], [4, false], [5, false], [6, false]]);
    const read = await carol.request("read.update", { chatId, seq: ms[3].seq });
    expect(read).toEqual({ chatId, readSeq: ms[3].seq, unreadCount: 1, unreadMentionCount: 1 });
    expect((await carol.request("read.update", { chatId, seq: 1 })).readSeq).toBe(ms[3].seq); // never back
  });
});

describe("history and read state", () => {
  test("paging before, after, around and from the first unread", async () => {
    const chatId = await newGroup();
    for (let i = 1; i <= 12; i++) await send(owner, chatId, `n${i}`);
    await bob.request("read.update", { chatId, seq: 5 });
    const seqs = async (anchor: unknown, direction: string, limit: number) => {
      const p = await bob.request("message.list", { chatId, anchor, direction, limit });
      return [p.messages.map((m: any) => m.seq), p.hasBefore, p.hasAfter];
    };
    expect(await seqs("latest", "before", 4)).toEqual([[9, 10, 11, 12], true, false]);
    expect(await seqs({ seq: 9 }, "before", 3)).toEqual([[6, 7, 8], true, true]);
    expect(await seqs({ seq: 9 }, "after", 5)).toEqual([[10, 11, 12], true, false]);
    expect(await seqs({ seq: 6 }, "around", 4)).toEqual([[4, 5, 6, 7], true, true]);
    expect(await seqs("first_unread", "after", 2)).toEqual([[6, 7], true, true]);
    expect(await seqs("first_unread", "around", 4)).toEqual([[4, 5, 6, 7], true, true]);
    expect((await bob.request("message.list", { chatId, anchor: "latest", direction: "before", limit: 1000 })).messages.length).toBe(12);
  });

  test("read.updated: exact counts to my devices, the pointer to the others of a small group; read.list", async () => {
    const chatId = await newGroup();
    const m1 = await send(owner, chatId);
    await send(owner, chatId);
    await bob.request("read.update", { chatId, seq: m1.seq });
    const mine = await bob.event("read.updated", (d) => d.chatId === chatId);
    expect(mine).toEqual({ chatId, userId: bob.id, readSeq: m1.seq, unreadCount: 1, unreadMentionCount: 0 });
    const theirs = await owner.event("read.updated", (d) => d.chatId === chatId && d.userId === bob.id);
    expect(theirs).toEqual({ chatId, userId: bob.id, readSeq: m1.seq });
    expect((await owner.request("read.list", { chatId, messageId: m1.id })).readers).toEqual([{ userId: bob.id, readSeq: m1.seq }]);
  });
});

describe("who hears what", () => {
  test("message events reach the members only; a removed member hears the removal, then nothing", async () => {
    const chatId = await newGroup();
    const daveFrom = dave.events.length;
    const m = await send(bob, chatId, "for members");
    for (const p of [owner, bob, carol]) await p.event("message.created", (d) => d.message.id === m.id);
    await owner.request("member.remove", { chatId, userId: carol.id });
    expect(await carol.event("chat.member_removed", (d) => d.chat.id === chatId)).toMatchObject({ userIds: [carol.id] });
    const carolFrom = carol.events.length;
    const after = await send(bob, chatId, "carol is gone");
    await owner.event("message.created", (d) => d.message.id === after.id);
    await Promise.all([carol.barrier(), dave.barrier()]);
    expect(carol.events.slice(carolFrom).some((e) => (e.data as any)?.message?.chatId === chatId)).toBe(false);
    expect(dave.events.slice(daveFrom).some((e) => JSON.stringify(e.data).includes(chatId))).toBe(false);
  });
});
