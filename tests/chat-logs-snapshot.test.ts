// "Snapshot + events = fresh snapshot" for every domain (issue 13), through the real
// server and src/client: a device takes its welcome snapshot (chat list with positions,
// me, notification settings) and the first pages it would load (each chat's history with
// reactions, pins; the block list), then applies every event it receives — chat-log and
// user-log alike — while others and the person's other device change everything there is
// to change. Afterwards each part equals what the server answers afresh.
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from "bun:test";
import { base32Decode, hotp, totpStep } from "../src/accounts/totp.ts";
import { type Person, startChatsServer } from "./support/chats.ts";
import type { HearthClient } from "../src/client/client.ts";
import { pushModule } from "../src/push/module.ts";
import type { ChatEntry, WireMessage } from "../src/protocol/methods/chats.ts";
import { authPaths, type AuthTokens } from "../src/protocol/http.ts";
import { connectClient, until } from "./support/harness.ts";
import { freshState, Mirror, mirrorOn, mirrorState } from "./chat-logs-support.ts";

setDefaultTimeout(60_000);

let server: Awaited<ReturnType<typeof startChatsServer>>;
beforeAll(async () => {
  server = await startChatsServer({ modules: (deps) => [pushModule(deps)] });
});
afterAll(() => server.stop());

const send = (p: Person, chatId: string, text: string, extra: object = {}) =>
  p.request<{ message: WireMessage }>("message.send", { chatId, clientId: crypto.randomUUID(), text, ...extra }).then((r) => r.message);
const group = async (owner: Person, members: Person[], title: string) =>
  (await owner.request<{ entry: ChatEntry }>("chat.create", { kind: "group", clientId: crypto.randomUUID(), title, memberIds: members.map((m) => m.id) })).entry.chat.id;

async function secondDevice(p: Person): Promise<{ client: HearthClient; mirror: Mirror }> {
  const res = await fetch(server.t.url + authPaths.login, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username: p.username, password: "correct horse battery staple", deviceName: "tablet" }),
  });
  const tokens = (await res.json()) as AuthTokens;
  const mirror = new Mirror(p.id);
  const client = await connectClient(server.t, tokens, { onSnapshot: (s, w) => mirror.fromSnapshot(s as Record<string, any>, w.lastEventId) });
  mirrorOn(client, mirror);
  return { client, mirror };
}

test("welcome snapshot + first pages + every event = fresh answers, for chats, messages, reactions, pins, drafts, me, notify, blocks", async () => {
  const ann = await server.person("snann");
  const bob = await server.person("snbob");
  const cat = await server.person("sncat");
  const dan = await server.person("sndan");

  // state before the device connects: it must come from the snapshot and first pages
  const team = await group(ann, [bob, cat], "Team 🚀");
  const old1 = await send(bob, team, "old one");
  const old2 = await send(cat, team, `old @${ann.username}`);
  await bob.request("reaction.toggle", { chatId: team, messageId: old1.id, emoji: "👍" });
  await ann.request("reaction.toggle", { chatId: team, messageId: old1.id, emoji: "🔥" });
  await ann.request("message.pin", { chatId: team, messageId: old2.id });
  await ann.request("draft.save", { chatId: team, text: "half a thought 🤔" });
  const dm = (await bob.request<{ entry: ChatEntry }>("chat.create", { kind: "direct", userId: ann.id })).entry.chat.id;
  await send(bob, dm, "hi ann");
  const leaving = await group(cat, [ann], "soon gone");
  await send(cat, leaving, "bye soon");
  await ann.request("notify.set", { hideContent: true });
  await ann.request("profile.update", { displayName: "Ann Before" });

  const dev = await secondDevice(ann);
  const call = (m: string, p: unknown) => dev.client.request(m, p) as Promise<any>;
  // the first pages a client loads for the chats it shows
  for (const chatId of Object.keys(dev.mirror.chats)) {
    const page = (await call("message.list", { chatId, anchor: "latest", direction: "before", limit: 100 })) as { messages: WireMessage[] };
    const pins = (await call("message.list_pinned", { chatId })) as { pins: { message: WireMessage; pinnedBy: string; pinnedAt: number }[] };
    dev.mirror.loadHistory(chatId, page.messages, pins.pins);
  }
  for (const u of ((await call("user.block_list", {})) as { users: { userId: string }[] }).users) dev.mirror.blocks.add(u.userId);
  expect(dev.mirror.chats[team]?.draft?.text).toBe("half a thought 🤔");
  expect(dev.mirror.notify?.hideContent).toBe(true);

  // everything changes
  const m1 = await send(bob, team, "new from bob");
  const m2 = await send(cat, team, `hey @${ann.username} and @all`);
  const m3 = await send(ann, team, "ann answers", { replyToId: m1.id });
  await bob.request("message.edit", { chatId: team, messageId: m1.id, text: `edited, now @${ann.username}` });
  await cat.request("message.edit", { chatId: team, messageId: old2.id, text: "old, edited while pinned" });
  await cat.request("message.delete", { chatId: team, messageId: m2.id, forEveryone: true });
  await ann.request("message.delete", { chatId: team, messageId: old1.id, forEveryone: false }); // for her only
  await bob.request("reaction.toggle", { chatId: team, messageId: m3.id, emoji: "😂" });
  await ann.request("reaction.toggle", { chatId: team, messageId: m3.id, emoji: "😂" });
  await cat.request("reaction.toggle", { chatId: team, messageId: m3.id, emoji: "🎉" });
  await cat.request("reaction.toggle", { chatId: team, messageId: m3.id, emoji: "🎉" }); // and back
  await ann.request("message.pin", { chatId: team, messageId: m3.id });
  await ann.request("message.unpin", { chatId: team, messageId: old2.id });
  await ann.request("message.pin", { chatId: team, messageId: old2.id }); // pinned again, newer pinnedAt
  await ann.request("chat.rename", { chatId: team, title: "Team, renamed ✨" });
  await ann.request("chat.describe", { chatId: team, description: "what we do" });
  await ann.request("member.add", { chatId: team, userIds: [dan.id] });
  await ann.request("member.promote", { chatId: team, userId: bob.id });
  await ann.request("member.remove", { chatId: team, userId: cat.id });
  await send(dan, team, "dan says hi");
  await ann.request("read.update", { chatId: team, seq: m1.seq });
  await ann.request("chat.mute", { chatId: dm, muted: true });
  await ann.request("chat.archive", { chatId: dm, archived: true });
  await ann.request("chat.pin", { chatId: team, pinned: true });
  await ann.request("chat.notify", { chatId: team, level: "mentions" });
  await send(bob, dm, `@${ann.username} in the dm`);
  await ann.request("draft.save", { chatId: dm, text: "dm draft" });
  await send(ann, team, "this send clears the team draft");
  await cat.request("member.remove", { chatId: leaving, userId: ann.id });
  await send(cat, leaving, "after ann left");
  const fresh1 = await group(bob, [ann, dan], "New group 🆕"); // ann joins a chat the device never had
  await send(dan, fresh1, "welcome ann");
  await ann.request("message.pin", { chatId: fresh1, messageId: (await send(bob, fresh1, "pin me")).id }).catch(() => null); // ann is no admin there: refused
  await bob.request("message.pin", { chatId: fresh1, messageId: (await send(bob, fresh1, "pinned by bob")).id });
  await ann.request("user.block", { userId: dan.id });
  await ann.request("user.block", { userId: cat.id });
  await ann.request("user.unblock", { userId: dan.id });
  await ann.request("notify.set", { allMentionsNotify: false, hideContent: false });
  await ann.request("profile.update", { displayName: "Ann After 🌟", bio: "changed" });
  const setup = (await ann.request("twofactor.setup", {})) as { secret: string };
  await ann.request("twofactor.enable", { code: hotp(base32Decode(setup.secret)!, totpStep(server.deps.now())) });

  // the device has every event: user log at its head, every chat at its head
  const list = (await ann.request<{ chats: (ChatEntry & { pos: number })[] }>("chat.list", { limit: 1000 })).chats;
  const queue = await server.deps.storage.events.queueInfo(ann.id);
  await until(() => dev.mirror.lastEventId === queue.lastEventId && list.every((e) => dev.mirror.held.get(e.chat.id) === e.pos), 10_000, "device at the heads");

  await dev.mirror.refreshStale(call);
  expect(mirrorState(dev.mirror)).toEqual(await freshState(call, dev.mirror));
  expect(dev.mirror.me).toEqual(await call("me.get", {}));
  expect(dev.mirror.notify).toEqual(await call("notify.get", {}));
  const blocked = ((await call("user.block_list", {})) as { users: { userId: string }[] }).users.map((u) => u.userId);
  expect([...dev.mirror.blocks].sort()).toEqual(blocked.sort());
  expect(dev.mirror.violations).toEqual([]);

  // not vacuous: each part moved
  const t = dev.mirror.chats[team]!;
  expect(t.chat.title).toBe("Team, renamed ✨");
  expect(t.draft).toBeUndefined();
  expect(t.me.notify.level).toBe("mentions");
  expect(dev.mirror.chats[dm]!.me.muted).toBe(true);
  expect(dev.mirror.chats[dm]!.unreadMentionCount).toBe(1);
  expect(dev.mirror.chats[dm]!.draft?.text).toBe("dm draft");
  expect(dev.mirror.chats[leaving]).toBeUndefined();
  expect(dev.mirror.chats[fresh1]?.lastMessage?.text).toBe("pinned by bob");
  const hist = dev.mirror.messages.get(team)!;
  expect(hist.has(old1.id)).toBe(false); // deleted for her
  expect(hist.get(m2.id)?.deletedAt).not.toBeNull();
  expect(hist.get(m3.id)?.reactions).toEqual([{ emoji: "😂", count: 2, mine: true }]);
  expect([...dev.mirror.pins.get(team)!.keys()].sort()).toEqual([m3.id, old2.id].sort());
  expect(dev.mirror.me.displayName).toBe("Ann After 🌟");
  expect(dev.mirror.me.totpEnabled).toBe(true);
  expect(dev.mirror.notify.hideContent).toBe(false);
  expect([...dev.mirror.blocks]).toEqual([cat.id]);
  dev.client.close();
});
