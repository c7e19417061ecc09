// Drafts through the real WebSocket: saved per user and chat, heard live by the user's
// other device (a second session), never by anyone else, carried in chat entries (the
// welcome snapshot and chat.get), cleared by a send, bounded like a message, and only
// for people who may write in the chat.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { type Person, startChatsServer } from "./support/chats.ts";
import { limits } from "../src/limits.ts";
import { authPaths } from "../src/protocol/http.ts";
import { connectClient, observe } from "./support/harness.ts";

setDefaultTimeout(30_000);

type Server = Awaited<ReturnType<typeof startChatsServer>>;
let s: Server;
let seq = 0;
const cid = () => `d${++seq}`;

beforeAll(async () => {
  s = await startChatsServer();
});
afterAll(() => s.stop());

/** The same person signed in on a second device (a new session), observing its events. */
async function secondDevice(p: Person) {
  const res = await fetch(s.t.url + authPaths.login, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username: p.username, password: "correct horse battery staple", deviceName: "phone" }),
  });
  const client = await connectClient(s.t, await res.json());
  return observe(client, `${p.username}-phone`);
}

async function groupOf(owner: Person, ...others: Person[]) {
  const { entry } = await owner.request("chat.create", { kind: "group", clientId: cid(), title: "Lopez Family 🏡", memberIds: others.map((o) => o.id) });
  return entry.chat.id as string;
}

describe("drafts", () => {
  test("a draft saved on one device reaches the other device live, and nobody else", async () => {
    const [ana, ben] = [await s.person("ana"), await s.person("ben")];
    const chatId = await groupOf(ana, ben);
    const phone = await secondDevice(ana);
    const text = "Sunday lunch at ours? 🍝 I'll bring the dessert,\nyou bring the kids";
    const { draft } = await ana.request("draft.save", { chatId, text });
    expect(draft).toMatchObject({ text });
    const heard = await phone.event("draft.updated", (d) => d.chatId === chatId);
    expect(heard).toEqual({ chatId, draft });
    expect((await ana.request("chat.get", { chatId })).draft).toEqual(draft!);
    expect((await ben.request("chat.get", { chatId })).draft).toBeUndefined();
    await ben.barrier(); // every event for ben so far has arrived: none of them is ana's draft
    expect(ben.seen("draft.updated")).toEqual([]);
  });

  test("saving the same text again changes nothing; blank text clears it for every device", async () => {
    const ana = await s.person("ana");
    const chatId = await groupOf(ana);
    const phone = await secondDevice(ana);
    await ana.request("draft.save", { chatId, text: "same" });
    await phone.event("draft.updated", (d) => d.chatId === chatId && d.draft?.text === "same");
    await ana.request("draft.save", { chatId, text: "same" });
    const from = phone.events.length;
    expect(await ana.request("draft.save", { chatId, text: "  \n " })).toEqual({ draft: null });
    await phone.event("draft.updated", (d) => d.chatId === chatId && d.draft === null, from);
    expect(phone.events.slice(from).filter((e) => e.type === "draft.updated")).toHaveLength(1); // the repeat sent nothing
    expect((await ana.request("chat.get", { chatId })).draft).toBeUndefined();
  });

  test("the welcome snapshot of a new connection carries the draft in the chat entry", async () => {
    const ana = await s.person("ana");
    const chatId = await groupOf(ana);
    await ana.request("draft.save", { chatId, text: "half a thought" });
    const phone = await secondDevice(ana);
    const welcome = await phone.client.connect();
    const entry = (welcome.snapshot!.chats as { chats: { chat: { id: string }; draft?: { text: string } }[] }).chats.find((e) => e.chat.id === chatId);
    expect(entry?.draft?.text).toBe("half a thought");
  });

  test("sending a message clears the draft on every device; a forward keeps it", async () => {
    const ana = await s.person("ana");
    const chatId = await groupOf(ana);
    const notes = (await ana.request("chat.create", { kind: "saved" })).entry.chat.id;
    const { message: origin } = await ana.request("message.send", { chatId: notes, clientId: cid(), text: "to forward" });
    const phone = await secondDevice(ana);
    await ana.request("draft.save", { chatId, text: "almost done" });
    await phone.event("draft.updated", (d) => d.chatId === chatId && d.draft !== null);
    await ana.request("message.forward", { chatId, clientId: cid(), fromChatId: notes, messageId: origin.id });
    expect((await ana.request("chat.get", { chatId })).draft?.text).toBe("almost done");
    const from = phone.events.length;
    await ana.request("message.send", { chatId, clientId: cid(), text: "almost done." });
    await phone.event("draft.updated", (d) => d.chatId === chatId && d.draft === null, from);
    expect((await ana.request("chat.get", { chatId })).draft).toBeUndefined();
  });

  test("bounded like a message: too long or with control characters is invalid_field, and nothing stored changes", async () => {
    const ana = await s.person("ana");
    const chatId = await groupOf(ana);
    await ana.request("draft.save", { chatId, text: "keep me" });
    const long = "🏡".repeat(limits.messageTextLengthMax + 1);
    expect(await ana.code("draft.save", { chatId, text: long })).toBe("invalid_field");
    expect(await ana.code("draft.save", { chatId, text: "bad\u0000" })).toBe("invalid_field");
    expect(await ana.code("draft.save", { chatId, text: "x".repeat(70_000) })).toBe("invalid_field"); // past the transport cap
    expect((await ana.request("chat.get", { chatId })).draft?.text).toBe("keep me");
    expect((await ana.request("draft.save", { chatId, text: "🏡".repeat(limits.messageTextLengthMax) })).draft!.text).toHaveLength(2 * limits.messageTextLengthMax);
  });

  test("only people who may write hold a draft: strangers not_found, subscribers forbidden; leaving drops it", async () => {
    const [ana, ben, cleo] = [await s.person("ana"), await s.person("ben"), await s.person("cleo")];
    const chatId = await groupOf(ana, ben);
    expect(await cleo.code("draft.save", { chatId, text: "x" })).toBe("not_found");
    expect(await cleo.code("draft.save", { chatId: "01ZZZZZZZZZZZZZZZZZZZZZZZZ", text: "x" })).toBe("not_found");
    const { entry } = await ana.request("chat.create", { kind: "channel", clientId: cid(), title: "News", memberIds: [ben.id] });
    expect(await ben.code("draft.save", { chatId: entry.chat.id, text: "x" })).toBe("forbidden");
    expect(await ana.code("draft.save", { chatId: entry.chat.id, text: "next post" })).toBe("ok");
    await ben.request("draft.save", { chatId, text: "leaving soon" });
    await ben.request("member.leave", { chatId });
    expect(await ben.code("draft.save", { chatId, text: "x" })).toBe("not_found");
    await ana.request("member.add", { chatId, userIds: [ben.id] });
    expect((await ben.request("chat.get", { chatId })).draft).toBeUndefined();
  });

  test("a blocked person may still keep a draft in the blocker's direct chat (it reaches nobody)", async () => {
    const [ana, ben] = [await s.person("ana"), await s.person("ben")];
    const { entry } = await ana.request("chat.create", { kind: "direct", userId: ben.id });
    await ben.request("user.block", { userId: ana.id });
    expect(await ana.code("message.send", { chatId: entry.chat.id, clientId: cid(), text: "x" })).toBe("blocked");
    expect(await ana.code("draft.save", { chatId: entry.chat.id, text: "unsent" })).toBe("ok");
  });
});
