// Contract of the per-chat logs (issue #13): one row per chat-scoped change, numbered by
// the chat's counter in the change's transaction, contiguous under concurrent writers.
import { describe, expect, test } from "bun:test";
import type { GetStorage } from "./fixtures.ts";
import { expectCode } from "./fixtures.ts";
import { newId } from "../../ids.ts";
import { anyone, group, newMessage, open, openMsg } from "./chats.ts";

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

    test("a user draft with chatPos carries the chat's pos after the transaction's own chat-log appends", async () => {
      const s = get();
      const { chat, owner, others } = await group(s, "group", 1);
      await s.chatLog.append([{ chat: chat.id, type: "x", data: 1 }]);
      const [out] = others;
      const done = await s.chats.removeMember(chat.id, owner.id, out!.id, open, {
        emit: (r) => [
          { chat: chat.id, type: "chat.member_removed", data: { chat: r.chat, userIds: [out!.id] } },
          { to: [out!.id], type: "chat.left", data: { chatId: chat.id, pos: 0 }, chatPos: chat.id },
          { to: [owner.id], type: "chat.joined", data: { entry: { chat: r.chat, pos: 0 }, pos: 0 }, chatPos: chat.id },
        ],
      });
      expect(done.chatEvents?.map((e) => e.pos)).toEqual([2]);
      expect(done.events.map((e) => [e.type, e.data])).toEqual([
        ["chat.left", { chatId: chat.id, pos: 2 }],
        ["chat.joined", { entry: { chat: done.value.chat, pos: 2 }, pos: 2 }],
      ]);
      const stored = await s.events.readAfter(out!.id, 0, 10);
      expect(stored.at(-1)?.data).toEqual({ chatId: chat.id, pos: 2 });
      // without chat-log drafts in the same write, the chat's current head
      const flags = await s.chats.setFlags(chat.id, owner.id, { archived: true }, open, Date.now(), {
        emit: () => [{ to: [owner.id], type: "chat.joined", data: { pos: 0 }, chatPos: chat.id }],
      });
      expect(flags.events[0]?.data).toEqual({ pos: 2 });
    });

    test("entries read from storage carry their chat's log pos", async () => {
      const s = get();
      const { chat, owner } = await group(s);
      await s.chatLog.append([{ chat: chat.id, type: "x", data: 1 }]);
      await s.chatLog.append([{ chat: chat.id, type: "x", data: 2 }]);
      expect((await s.chats.entryFor(chat.id, owner.id))?.pos).toBe(2);
      expect((await s.chats.listForUser(owner.id, { limit: 10 })).map((e) => [e.chat.id, e.pos])).toEqual([[chat.id, 2]]);
    });

    test("following lists the user's chats, most recently active first, with their pos; left chats are gone", async () => {
      const s = get();
      const { chat: a, owner, others } = await group(s);
      const b = await s.chats.create({ id: newId(), kind: "group", title: "B", description: "", ownerId: owner.id, memberIds: [others[0]!.id], now: Date.now() + 1000 }, anyone);
      await s.chatLog.append([{ chat: a.id, type: "x", data: 1 }]);
      expect(await s.chatLog.following(owner.id, 10)).toEqual([
        { chatId: b.value.chat.id, pos: 0, lastAt: b.value.chat.lastAt },
        { chatId: a.id, pos: 1, lastAt: a.lastAt },
      ]);
      expect((await s.chatLog.following(owner.id, 1)).map((f) => f.chatId)).toEqual([b.value.chat.id]);
      await s.chats.removeMember(b.value.chat.id, others[0]!.id, others[0]!.id, open);
      expect((await s.chatLog.following(others[0]!.id, 10)).map((f) => f.chatId)).toEqual([a.id]);
      expect(await s.chatLog.following("no-such-user", 10)).toEqual([]);
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
