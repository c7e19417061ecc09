// Reactions and pinned messages through a real server: the per-user toggle, counts and
// `mine` in message views, who reacted (paged; in channels admins only), the limits,
// reaction.changed audiences; pins by the right people, the pinned list, pin events.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { type Person, startChatsServer } from "./support/chats.ts";
import { limits } from "../src/limits.ts";

setDefaultTimeout(30_000);

let s: Awaited<ReturnType<typeof startChatsServer>>;
let ann: Person, ben: Person, cat: Person, dan: Person;
let n = 0;
const cid = () => `r${++n}`;

beforeAll(async () => {
  s = await startChatsServer();
  [ann, ben, cat, dan] = await Promise.all([s.person("ann"), s.person("ben"), s.person("cat"), s.person("dan")]);
});
afterAll(() => s.stop());

const chat = async (kind: string, members: Person[]) =>
  (await ann.request("chat.create", { kind, clientId: cid(), title: "R", memberIds: members.map((p) => p.id) })).entry.chat.id as string;
const send = async (p: Person, chatId: string) => (await p.request("message.send", { chatId, clientId: cid(), text: "hi" })).message;
const toggle = (p: Person, chatId: string, messageId: string, emoji: string) => p.request("reaction.toggle", { chatId, messageId, emoji });
const viewOf = async (p: Person, chatId: string, id: string) => {
  const m = (await p.request("message.list", { chatId, anchor: "latest", direction: "before" })).messages.find((m) => m.id === id);
  if (!m?.reactions) throw new Error(`${p.username} does not see message ${id} with its reactions: ${JSON.stringify(m)}`);
  return { ...m, reactions: m.reactions };
};

describe("reactions", () => {
  test("a toggle adds then removes; views carry counts and mine; members hear the new counts", async () => {
    const chatId = await chat("group", [ben, cat]);
    const m = await send(ann, chatId);
    const from = cat.events.length;
    expect(await toggle(ben, chatId, m.id, "👍")).toEqual({ added: true, reactions: [{ emoji: "👍", count: 1, mine: true }] });
    await toggle(cat, chatId, m.id, "👍");
    await toggle(cat, chatId, m.id, "❤️");
    expect((await viewOf(ben, chatId, m.id)).reactions).toEqual([
      { emoji: "👍", count: 2, mine: true },
      { emoji: "❤️", count: 1, mine: false },
    ]);
    expect((await viewOf(ann, chatId, m.id)).reactions.every((r: any) => !r.mine)).toBe(true);
    const removed = await toggle(ben, chatId, m.id, "👍");
    expect(removed.added).toBe(false);
    const last = await cat.event("reaction.changed", (d) => d.userId === ben.id && !d.added, from);
    expect(last).toEqual({ chatId, messageId: m.id, emoji: "👍", added: false, userId: ben.id, counts: [{ emoji: "👍", count: 1 }, { emoji: "❤️", count: 1 }] });
    const who = await ann.request("reaction.list", { chatId, messageId: m.id, emoji: "👍" });
    expect(who.users.map((u: any) => u.userId)).toEqual([cat.id]);
    await dan.barrier();
    expect(dan.seen("reaction.changed")).toEqual([]);
    expect(await dan.code("reaction.toggle", { chatId, messageId: m.id, emoji: "👍" })).toBe("not_found");
  });

  test("one emoji only; limits per user and per message; a deleted message takes its reactions along", async () => {
    const chatId = await chat("group", [ben]);
    const m = await send(ann, chatId);
    for (const emoji of ["ok", "👍👍", "", "👍 "]) expect(await ann.code("reaction.toggle", { chatId, messageId: m.id, emoji })).toBe("invalid_field");
    const many = ["😀", "😃", "😄", "😁", "😆", "😅", "🤣", "😂", "🙂", "🙃", "😉", "😊", "😇", "🥰", "😍", "🤩", "😘", "😗", "😚", "😙", "😋"];
    for (const e of many.slice(0, limits.reactionsPerUserPerMessageMax)) await toggle(ann, chatId, m.id, e);
    expect(await ann.code("reaction.toggle", { chatId, messageId: m.id, emoji: "🎉" })).toBe("limit_exceeded");
    const people = [ben, ...(await Promise.all(Array.from({ length: 6 }, () => s.person("x"))))];
    await ann.request("member.add", { chatId, userIds: people.slice(1).map((p) => p.id) });
    let i = limits.reactionsPerUserPerMessageMax;
    for (const p of people) for (let k = 0; k < limits.reactionsPerUserPerMessageMax && i < limits.reactionsDistinctPerMessageMax; k++) await toggle(p, chatId, m.id, many[i++]!);
    expect((await viewOf(ann, chatId, m.id)).reactions.length).toBe(limits.reactionsDistinctPerMessageMax);
    expect(await people[6]!.code("reaction.toggle", { chatId, messageId: m.id, emoji: "🎉" })).toBe("limit_exceeded");
    await ann.request("message.delete", { chatId, messageId: m.id, forEveryone: true });
    expect((await viewOf(ann, chatId, m.id)).reactions).toEqual([]);
    expect(await ben.code("reaction.toggle", { chatId, messageId: m.id, emoji: "👍" })).toBe("not_found");
  });

  test("in a channel subscribers react and see counts; the channel's log never says who — the reactor's own devices learn it, admins ask reaction.list", async () => {
    const chatId = await chat("channel", [ben, cat]);
    const m = await send(ann, chatId);
    await toggle(ben, chatId, m.id, "🔥");
    const own = await ben.event("reaction.changed", (d) => d.messageId === m.id && d.userId !== undefined); // the user-log copy
    const admin = await ann.event("reaction.changed", (d) => d.messageId === m.id);
    const other = await cat.event("reaction.changed", (d) => d.messageId === m.id);
    expect([own.userId, admin.userId, other.userId]).toEqual([ben.id, undefined, undefined]);
    expect(own.counts).toEqual([{ emoji: "🔥", count: 1 }]);
    expect(other.counts).toEqual([{ emoji: "🔥", count: 1 }]);
    expect(await cat.code("reaction.list", { chatId, messageId: m.id, emoji: "🔥" })).toBe("forbidden");
    expect((await ann.request("reaction.list", { chatId, messageId: m.id, emoji: "🔥" })).users.map((u: any) => u.userId)).toEqual([ben.id]);
  });
});

// What a client does with reaction.changed: counts from the event, `mine` kept per emoji
// unless the event is about the reader.
function applyReaction(reactions: { emoji: string; count: number; mine: boolean }[], d: any, me: string) {
  const mine = new Set(reactions.filter((r) => r.mine).map((r) => r.emoji));
  if (d.userId === me) d.added ? mine.add(d.emoji) : mine.delete(d.emoji);
  return d.counts.map((c: any) => ({ ...c, mine: mine.has(c.emoji) }));
}

describe("reaction events keep a loaded page exact", () => {
  for (const kind of ["group", "channel"]) {
    test(`${kind}: old page + reaction.changed = fresh page, for a subscriber too`, async () => {
      const chatId = await chat(kind, [ben, cat]);
      const m = await send(ann, chatId);
      await toggle(cat, chatId, m.id, "👀");
      await ben.barrier();
      const from = ben.events.length;
      let reactions = (await viewOf(ben, chatId, m.id)).reactions;
      const steps: [Person, string][] = [[ben, "👍"], [cat, "👍"], [ann, "🎉"], [ben, "👀"], [cat, "👀"], [ben, "👍"], [ann, "👍"], [ben, "🎉"]];
      for (const [p, e] of steps) await toggle(p, chatId, m.id, e);
      await ben.barrier();
      for (const e of ben.events.slice(from)) if (e.type === "reaction.changed") reactions = applyReaction(reactions, e.data, ben.id);
      expect(reactions).toEqual((await viewOf(ben, chatId, m.id)).reactions);
      expect(reactions.find((r: any) => r.emoji === "🎉")).toEqual({ emoji: "🎉", count: 2, mine: true });
    });
  }
});

describe("pinned messages", () => {
  test("admins pin in groups, members may not; everyone hears it; the list is newest pin first", async () => {
    const chatId = await chat("group", [ben, cat]);
    const [a, b] = [await send(ben, chatId), await send(cat, chatId)];
    expect(await ben.code("message.pin", { chatId, messageId: a.id })).toBe("forbidden");
    expect(await dan.code("message.pin", { chatId, messageId: a.id })).toBe("not_found");
    const from = cat.events.length;
    const pinned = await ann.request("message.pin", { chatId, messageId: a.id });
    expect(pinned.pin).toMatchObject({ pinnedBy: ann.id, message: { id: a.id } });
    await ann.request("message.pin", { chatId, messageId: a.id }); // again: nothing new
    await ann.request("message.pin", { chatId, messageId: b.id });
    await toggle(cat, chatId, b.id, "📌");
    const list = await ben.request("message.list_pinned", { chatId });
    expect(list.pins.map((p: any) => p.message.id)).toEqual([b.id, a.id]);
    expect(list.pins[0]!.message.reactions).toEqual([{ emoji: "📌", count: 1, mine: false }]);
    await ann.request("message.unpin", { chatId, messageId: a.id });
    await cat.event("message.unpinned", (d) => d.messageId === a.id, from);
    await cat.barrier();
    expect(cat.events.slice(from).filter((e) => e.type === "message.pinned").map((e) => (e.data as any).pin.message.id)).toEqual([a.id, b.id]);
    expect((await cat.request("message.list_pinned", { chatId })).pins.map((p: any) => p.message.id)).toEqual([b.id]);
    await ann.request("message.delete", { chatId, messageId: b.id, forEveryone: true });
    expect((await cat.request("message.list_pinned", { chatId })).pins).toEqual([]);
  });

  test("both people pin in a direct chat", async () => {
    const chatId = (await ben.request("chat.create", { kind: "direct", userId: cat.id })).entry.chat.id;
    const m = await send(ben, chatId);
    await cat.request("message.pin", { chatId, messageId: m.id });
    await ben.event("message.pinned", (d) => d.pin.message.id === m.id);
    await ben.request("message.unpin", { chatId, messageId: m.id });
    await cat.event("message.unpinned", (d) => d.messageId === m.id);
  });
});
