// One stored row per message, whatever the member count (issue 13): one text message into
// a 1,000-member group writes at most 3 durable rows — the message, the chat's row (its
// sequence, last activity and log position), one chat-log row — counted table by table
// in the server's own SQLite file before and after the acknowledged send. Members still
// get it live and their unread counts stay exact.
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from "bun:test";
import { join } from "node:path";
import { startChatsServer } from "./support/chats.ts";
import { limits } from "../src/limits.ts";
import type { ChatEntry } from "../src/protocol/methods/chats.ts";
import { bigGroup, rowsChangedBy, seedUsers } from "./chat-logs-support.ts";

setDefaultTimeout(120_000);

const MEMBERS = 1000;

let server: Awaited<ReturnType<typeof startChatsServer>>;
beforeAll(async () => {
  server = await startChatsServer();
});
afterAll(() => server.stop());

test(`one message into a ${MEMBERS}-member group writes ≤ 3 rows, and every member's counts stay exact`, async () => {
  expect(limits.groupMembersMax).toBeGreaterThanOrEqual(MEMBERS);
  const owner = await server.person("rwown");
  const bob = await server.person("rwbob"); // a connected member
  const offline = await seedUsers(server.deps.storage, MEMBERS - 2, `rw${process.pid % 1000}u`);
  const chatId = await bigGroup(owner, [bob.id, ...offline], "thousand 🏟️");
  expect((await owner.request<ChatEntry>("chat.get", { chatId })).chat.memberCount).toBe(MEMBERS);
  await owner.barrier(); // its own rows (the saved chat) are written before the count
  await bob.barrier();
  await server.t.ws.hub.seen.flush(); // pending last-seen writes are not the message's

  let seq = 0;
  const rows = await rowsChangedBy(join(server.t.dir, "hearth.sqlite"), async () => {
    const r = await owner.request<{ message: { seq: number } }>("message.send", { chatId, clientId: "rows-1", text: "how many rows? 🧮" });
    seq = r.message.seq;
  });
  const total = Object.values(rows).reduce((n, c) => n + c.inserted + c.updated + c.deleted, 0);
  console.log(`rows per group message (${MEMBERS} members): ${total} ${JSON.stringify(rows)}`);
  expect(rows.messages).toEqual({ inserted: 1, updated: 0, deleted: 0 });
  expect(rows.chat_log).toEqual({ inserted: 1, updated: 0, deleted: 0 });
  expect(rows.events).toBeUndefined();
  expect(rows.event_queues).toBeUndefined();
  expect(total).toBeLessThanOrEqual(3);

  // delivered live, counted exactly, for a connected member and an offline one
  await bob.event("message.created", (d) => d.message.chatId === chatId && d.message.seq === seq);
  expect((await bob.request<ChatEntry>("chat.get", { chatId })).unreadCount).toBe(1);
  expect(await server.deps.storage.chats.entryFor(chatId, offline[0]!)).toMatchObject({ unreadCount: 1, lastMessage: { seq } });
});
