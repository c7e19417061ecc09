// Blocking through a real server: the blocked person cannot reach the blocker in their
// direct chat (send, forward, edit, react, pin → `blocked`) nor open a new one; what is
// stored stays visible; groups are unaffected (but a mention of the blocker does not
// notify them); unblocking restores everything.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { type Person, startChatsServer } from "./support/chats.ts";

setDefaultTimeout(30_000);

let s: Awaited<ReturnType<typeof startChatsServer>>;
let ann: Person, ben: Person, cat: Person;
let n = 0;
const cid = () => `b${++n}`;

beforeAll(async () => {
  s = await startChatsServer();
  [ann, ben, cat] = await Promise.all([s.person("ann"), s.person("ben"), s.person("cat")]);
});
afterAll(() => s.stop());

const send = async (p: Person, chatId: string, text = "hi") => (await p.request("message.send", { chatId, clientId: cid(), text })).message;

describe("blocking a user", () => {
  test("block, list and unblock: only the blocker's devices hear of it", async () => {
    expect(await ann.code("user.block", { userId: ann.id })).toBe("invalid_field");
    expect(await ann.code("user.block", { userId: "01NOSUCHUSER0000000000000" })).toBe("not_found");
    await ann.request("user.block", { userId: cat.id });
    await ann.request("user.block", { userId: cat.id }); // again: nothing changes
    await ann.request("user.block", { userId: ben.id });
    const list = await ann.request("user.block_list", { limit: 1 });
    expect(list.hasMore).toBe(true);
    const rest = await ann.request("user.block_list", { afterUserId: list.users[0]!.userId });
    expect([...list.users, ...rest.users].map((u: any) => u.userId).sort()).toEqual([ben.id, cat.id].sort());
    await ann.request("user.unblock", { userId: ben.id });
    await ann.request("user.unblock", { userId: cat.id });
    expect((await ann.request("user.block_list", {})).users).toEqual([]);
    await Promise.all([ann.barrier(), cat.barrier()]);
    expect(ann.seen("user.block_changed").filter((d) => d.userId === cat.id).map((d) => d.blocked)).toEqual([true, false]);
    expect(cat.seen("user.block_changed")).toEqual([]);
  });

  test("in the blocker's direct chat the blocked person reads but cannot reach them; unblocking restores it", async () => {
    const chatId = (await ann.request("chat.create", { kind: "direct", userId: ben.id })).entry.chat.id;
    const old = await send(ben, chatId, "before the block");
    const mine = await send(ann, chatId, "from ann");
    const saved = (await ben.request("chat.create", { kind: "saved" })).entry.chat.id;
    const fwd = await send(ben, saved, "to forward");
    await ann.request("user.block", { userId: ben.id });
    const from = ann.events.length;
    expect(await ben.code("message.send", { chatId, clientId: cid(), text: "hey" })).toBe("blocked");
    expect(await ben.code("message.forward", { chatId, clientId: cid(), fromChatId: saved, messageId: fwd.id })).toBe("blocked");
    expect(await ben.code("message.edit", { chatId, messageId: old.id, text: "changed" })).toBe("blocked");
    expect(await ben.code("reaction.toggle", { chatId, messageId: mine.id, emoji: "👍" })).toBe("blocked");
    expect(await ben.code("message.pin", { chatId, messageId: mine.id })).toBe("blocked");
    // Nothing stored is hidden: history, reading and own deletes still work.
    const page = await ben.request("message.list", { chatId, anchor: "latest", direction: "before" });
    expect(page.messages.map((m: any) => m.text)).toEqual(["before the block", "from ann"]);
    expect(await ben.code("read.update", { chatId, seq: 2 })).toBe("ok");
    // The blocker still writes to the blocked person.
    expect(await ann.code("message.send", { chatId, clientId: cid(), text: "still me" })).toBe("ok");
    expect(await ben.code("message.delete", { chatId, messageId: old.id, forEveryone: true })).toBe("ok");
    await ann.barrier();
    expect(ann.events.slice(from).filter((e) => e.type === "message.created" && (e.data as any).message.senderId === ben.id)).toEqual([]);
    await ann.request("user.unblock", { userId: ben.id });
    expect(await ben.code("message.send", { chatId, clientId: cid(), text: "hello again" })).toBe("ok");
  });

  test("no new direct chat with the blocker; an existing one opens; groups are unaffected", async () => {
    await cat.request("user.block", { userId: ben.id });
    expect(await ben.code("chat.create", { kind: "direct", userId: cat.id })).toBe("blocked");
    const opened = await cat.request("chat.create", { kind: "direct", userId: ben.id }); // the blocker may
    expect(opened.created).toBe(true);
    expect((await ben.request("chat.create", { kind: "direct", userId: cat.id })).entry.chat.id).toBe(opened.entry.chat.id);
    const group = (await cat.request("chat.create", { kind: "group", clientId: cid(), title: "G", memberIds: [ben.id] })).entry.chat.id;
    expect(await ben.code("message.send", { chatId: group, clientId: cid(), text: "in the group" })).toBe("ok");
    await cat.request("user.unblock", { userId: ben.id });
  });

  test("in a group, a mention of the blocker by the blocked person does not notify them; the text stays", async () => {
    const group = (await cat.request("chat.create", { kind: "group", clientId: cid(), title: "M", memberIds: [ben.id, ann.id] })).entry.chat.id;
    await cat.request("user.block", { userId: ben.id });
    const text = `@${cat.username} @${ann.username} look`;
    const { message } = await ben.request("message.send", { chatId: group, clientId: cid(), text });
    expect(message.text).toBe(text);
    expect(message.entities.filter((e: any) => e.type === "mention").map((e: any) => e.userId)).toEqual([ann.id]);
    expect((await cat.request("chat.get", { chatId: group })).unreadMentionCount).toBe(0);
    expect((await ann.request("chat.get", { chatId: group })).unreadMentionCount).toBe(1);
    // An edit cannot bring it back either; after unblocking, mentions count again.
    const edited = await ben.request("message.edit", { chatId: group, messageId: message.id, text: `${text}!` });
    expect(edited.message.entities.filter((e: any) => e.type === "mention").map((e: any) => e.userId)).toEqual([ann.id]);
    await cat.request("user.unblock", { userId: ben.id });
    const again = await ben.request("message.send", { chatId: group, clientId: cid(), text: `@${cat.username}` });
    expect(again.message.entities.map((e: any) => e.userId)).toEqual([cat.id]);
    expect((await cat.request("chat.get", { chatId: group })).unreadMentionCount).toBe(1);
  });
});
