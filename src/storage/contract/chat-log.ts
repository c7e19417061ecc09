// Contract of the per-chat logs (issue #13): one row per chat-scoped change, numbered by
// the chat's counter in the change's transaction, contiguous under concurrent writers.
import { describe, expect, test } from "bun:test";
import type { GetStorage } from "./fixtures.ts";
import { expectCode } from "./fixtures.ts";
import { group, newMessage, openMsg } from "./chats.ts";

export function chatLogContract(get: GetStorage): void {
  describe("chat log", () => {
    test("a fresh chat's head is 0 with an empty tail; unknown chats have no head", async () => {
      const s = get();
      const { chat } = await group(s);
      const heads = await s.chatLog.heads([chat.id, "no-such-chat"]);
      expect(heads.get(chat.id)).toEqual({ pos: 0, oldestPos: 1 });
      expect(heads.has("no-such-chat")).toBe(false);
      expect(await s.chatLog.read(chat.id, 0, 10)).toEqual([]);
    });

    test("a chat draft from a domain write is stored once, whatever the member count, in the same transaction", async () => {
      const s = get();
      const { chat, owner } = await group(s, "group", 5);
      const done = await s.messages.send(newMessage(chat.id, owner.id), openMsg, {
        emit: (r) => [{ chat: chat.id, type: "message.created", data: { message: r.message } }],
      });
      expect(done.events).toEqual([]);
      expect(done.chatEvents?.map((e) => [e.chatId, e.pos, e.type])).toEqual([[chat.id, 1, "message.created"]]);
      const read = await s.chatLog.read(chat.id, 0, 10);
      expect(read).toEqual(done.chatEvents!);
      expect((await s.chatLog.heads([chat.id])).get(chat.id)).toEqual({ pos: 1, oldestPos: 1 });
    });

    test("positions stay contiguous per chat under many concurrent appends; read pages ascend", async () => {
      const s = get();
      const a = (await group(s)).chat.id;
      const b = (await group(s)).chat.id;
      await Promise.all(
        Array.from({ length: 60 }, (_, i) => s.chatLog.append([{ chat: i % 3 === 0 ? b : a, type: "x.happened", data: { i } }])),
      );
      expect((await s.chatLog.read(a, 0, 100)).map((e) => e.pos)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
      expect((await s.chatLog.read(b, 0, 100)).map((e) => e.pos)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
      expect((await s.chatLog.read(a, 10, 5)).map((e) => e.pos)).toEqual([11, 12, 13, 14, 15]);
      expect(await s.chatLog.read(a, 40, 5)).toEqual([]);
    });

    test("a draft for a chat that does not exist fails with not_found and stores nothing", async () => {
      const s = get();
      await expectCode(s.chatLog.append([{ chat: "no-such-chat", type: "x", data: null }]), "not_found");
      expect(await s.chatLog.read("no-such-chat", 0, 10)).toEqual([]);
    });

    test("prune keeps the newest keepMax per chat and drops older than the age bound; the head stays", async () => {
      const s = get();
      const { chat } = await group(s);
      for (let i = 0; i < 5; i++) await s.chatLog.append([{ chat: chat.id, type: "x", data: i }]);
      expect(await s.chatLog.prune(2, 0)).toBe(3);
      expect((await s.chatLog.read(chat.id, 0, 10)).map((e) => e.pos)).toEqual([4, 5]);
      expect((await s.chatLog.heads([chat.id])).get(chat.id)).toEqual({ pos: 5, oldestPos: 4 });
      expect(await s.chatLog.prune(100, Date.now() + 1)).toBe(2);
      expect((await s.chatLog.heads([chat.id])).get(chat.id)).toEqual({ pos: 5, oldestPos: 6 });
      await s.chatLog.append([{ chat: chat.id, type: "x", data: "next" }]);
      expect((await s.chatLog.read(chat.id, 0, 10)).map((e) => e.pos)).toEqual([6]);
    });
  });
}
