// The web client's state logic (web/src/sync/state.ts) against the real server: a person's
// welcome snapshot plus every event they received afterwards must give the chat list a fresh
// chat.list shows — unread and mention counts, last messages, your flags, membership.
import { afterAll, beforeAll, expect, test } from "bun:test";
import type { ChatEntry } from "../src/protocol/methods/chats.ts";
import { type Person, startChatsServer } from "./support/chats.ts";
import { applyEvent, applySnapshot, emptyState } from "../web/src/sync/state.ts";

let server: Awaited<ReturnType<typeof startChatsServer>>;
beforeAll(async () => {
  server = await startChatsServer();
});
afterAll(() => server.stop());

const send = (p: Person, chatId: string, text: string) =>
  p.request<{ message: { id: string; seq: number } }>("message.send", { chatId, clientId: crypto.randomUUID(), text }).then((r) => r.message);

test("snapshot + events == a fresh chat list, for the web client's store", async () => {
  const ann = await server.person("ann");
  const bob = await server.person("bob");
  const carol = await server.person("carol");
  const start = ann.snapshot;
  const me = { id: ann.id, username: ann.username, displayName: "", bio: "", role: "member" as const, createdAt: 0, totpEnabled: false };

  const dm = (await ann.request<{ entry: ChatEntry }>("chat.create", { kind: "direct", userId: bob.id })).entry.chat.id;
  const first = await send(bob, dm, "hello");
  await send(bob, dm, `hey @${ann.username} look`);
  await send(bob, dm, "third");
  await send(ann, dm, "answer");
  const group = (await ann.request<{ entry: ChatEntry }>("chat.create", { kind: "group", clientId: "g1", title: "Team", memberIds: [bob.id, carol.id] })).entry.chat.id;
  await send(carol, group, `@${ann.username} welcome`);
  await send(carol, group, "plans?");
  await bob.request("message.delete", { chatId: dm, messageId: first.id, forEveryone: true });
  await ann.request("chat.rename", { chatId: group, title: "Team 2" });
  await ann.request("chat.mute", { chatId: dm, muted: true });
  await ann.request("chat.pin", { chatId: group, pinned: true });
  await ann.request("read.update", { chatId: group, seq: 1 });
  const other = (await bob.request<{ entry: ChatEntry }>("chat.create", { kind: "group", clientId: "g2", title: "Gone", memberIds: [ann.id] })).entry.chat.id;
  await send(bob, other, "soon gone");
  await bob.request("member.remove", { chatId: other, userId: ann.id });
  await ann.barrier();

  const s = emptyState();
  applySnapshot(s, { accounts: { me }, chats: start }, 0);
  for (const e of ann.events) applyEvent(s, e);
  const fresh = await ann.request<{ chats: ChatEntry[] }>("chat.list", { limit: 1000 });
  const byId = (list: ChatEntry[]) => Object.fromEntries(list.map((e) => [e.chat.id, e]));
  expect(s.chats).toEqual(byId(fresh.chats));
  // the comparison is not vacuous: counts moved in both directions
  expect([s.chats[dm]!.unreadCount, s.chats[dm]!.unreadMentionCount]).toEqual([2, 1]); // 3 from bob, 1 deleted
  expect([s.chats[group]!.unreadCount, s.chats[group]!.unreadMentionCount]).toEqual([1, 0]); // the mention was read
  expect(s.chats[group]!.chat.title).toBe("Team 2");
  expect(s.chats[dm]!.me.muted).toBe(true);
  expect(s.chats[other]).toBeUndefined();
});
