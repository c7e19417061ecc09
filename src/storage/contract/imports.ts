// Contract of imported history (messages.importHistory, mapImported, importAuthors): one
// transaction for the chat, its media and every message; original dates, replies, the
// author's name and mapping kept; nothing at all written when any part is refused.
import { describe, expect, test } from "bun:test";
import { newId } from "../../ids.ts";
import type { ImportRow, NewImport } from "../chats-port.ts";
import type { Storage } from "../port.ts";
import { anyone, group, open, send } from "./chats.ts";
import { addUser, expectCode, type GetStorage } from "./fixtures.ts";
import { newMedia } from "./media.ts";

const T0 = Date.UTC(2025, 11, 31, 20, 0);

function row(senderId: string, i: number, over: Partial<ImportRow> = {}): ImportRow {
  return {
    id: newId(), senderId, text: `old ${i}`, replyToId: null, createdAt: T0 + i * 60_000, editedAt: null, mediaIds: [],
    imported: { source: "telegram", author: `Author ${i % 2}`, mapped: false, missingFiles: 0 }, ...over,
  };
}

const history = async (s: Storage, chatId: string, userId: string) => (await s.messages.list(chatId, userId, "latest", "before", 100)).messages;

export function importsContract(get: GetStorage): void {
  describe("imports", () => {
    test("a new group: seqs in export order, original dates, replies, media, authors; members mapped in; history read", async () => {
      const s = get();
      const [me, bob] = [await addUser(s), await addUser(s)];
      const photo = newMedia(me.id);
      const rows = [row(me.id, 0), row(bob.id, 1, { imported: { source: "telegram", author: "Bob", mapped: true, missingFiles: 0 } }), row(me.id, 2, { mediaIds: [photo.id], editedAt: T0 + 9e6 })];
      rows[2]!.replyToId = rows[0]!.id;
      const input: NewImport = { importerId: me.id, target: { create: { id: newId(), kind: "group", title: "Old", description: "", ownerId: me.id, memberIds: [], now: Date.now() } }, media: [photo], messages: rows, now: Date.now() };
      const done = await s.messages.importHistory(input, open, anyone, { emit: (r) => [{ to: r.memberIds, type: "chat.imported", data: { count: r.count } }] });
      expect([done.value.created, done.value.count, done.value.memberIds.sort()]).toEqual([true, 3, [me.id, bob.id].sort()]);
      expect(done.events.map((e) => e.userId).sort()).toEqual([me.id, bob.id].sort());
      const msgs = await history(s, done.value.chat.id, bob.id);
      expect(msgs.map((m) => [m.seq, m.createdAt, m.senderId])).toEqual([[1, T0, me.id], [2, T0 + 60_000, bob.id], [3, T0 + 120_000, me.id]]);
      expect(msgs[2]).toMatchObject({ replyToId: rows[0]!.id, editedAt: T0 + 9e6, attachments: [{ id: photo.id, kind: "photo" }], imported: { author: "Author 0", mapped: false } });
      expect(msgs[1]!.imported).toEqual({ source: "telegram", author: "Bob", mapped: true, missingFiles: 0 });
      expect((await s.chats.entryFor(done.value.chat.id, bob.id))!.unreadCount).toBe(0);
      expect(await s.messages.importAuthors(done.value.chat.id)).toEqual([
        { name: "Author 0", userId: null, messages: 2 },
        { name: "Bob", userId: bob.id, messages: 1 },
      ]);
    });

    test("all or nothing: a refused import into an existing chat writes no message and no media", async () => {
      const s = get();
      const { chat, owner } = await group(s);
      await send(s, chat.id, owner.id, { text: "before" });
      const stranger = await addUser(s);
      const photo = newMedia(owner.id);
      // the last row fails after the media and the first row were written: all of it goes
      const rows = [row(owner.id, 0, { mediaIds: [photo.id] }), row(owner.id, 1, { mediaIds: ["NOT-IN-THIS-IMPORT"] })];
      await expectCode(s.messages.importHistory({ importerId: owner.id, target: { chatId: chat.id }, media: [photo], messages: rows, now: Date.now() }, open, anyone), "invalid_field");
      expect((await history(s, chat.id, owner.id)).map((m) => m.text)).toEqual(["before"]);
      expect(await s.media.media(photo.id)).toBeNull();
      // a mapped author who is not a member of the existing chat
      const mapped = [row(stranger.id, 0, { imported: { source: "whatsapp", author: "X", mapped: true, missingFiles: 0 } })];
      await expectCode(s.messages.importHistory({ importerId: owner.id, target: { chatId: chat.id }, media: [], messages: mapped, now: Date.now() }, open, anyone), "invalid_field");
      expect((await history(s, chat.id, owner.id)).map((m) => m.text)).toEqual(["before"]);
      // and the access check runs inside it: a refusing check refuses the whole import
      const refuse = () => {
        throw Object.assign(new Error("no"), { code: "forbidden" });
      };
      await expect(s.messages.importHistory({ importerId: owner.id, target: { chatId: chat.id }, media: [], messages: [row(owner.id, 0)], now: Date.now() }, refuse, anyone)).rejects.toThrow("no");
      expect((await s.chats.view(chat.id, owner.id))!.chat.lastSeq).toBe(1);
    });

    test("mapping later moves an author's messages to a member and back; strangers and unknown authors are refused", async () => {
      const s = get();
      const { chat, owner, others } = await group(s);
      const rows = [row(owner.id, 0), row(owner.id, 1), row(owner.id, 2)];
      await s.messages.importHistory({ importerId: owner.id, target: { chatId: chat.id }, media: [], messages: rows, now: Date.now() }, open, anyone);
      const done = await s.messages.mapImported(chat.id, owner.id, "Author 0", others[0]!.id, open);
      expect(done.value.changed).toBe(2);
      expect((await history(s, chat.id, owner.id)).map((m) => [m.senderId, m.imported!.mapped])).toEqual([[others[0]!.id, true], [owner.id, false], [others[0]!.id, true]]);
      await expectCode(s.messages.mapImported(chat.id, owner.id, "Author 1", (await addUser(s)).id, open), "invalid_field");
      await expectCode(s.messages.mapImported(chat.id, owner.id, "Nobody", others[0]!.id, open), "not_found");
      expect((await s.messages.mapImported(chat.id, owner.id, "Author 0", null, open)).value.changed).toBe(2);
      expect((await history(s, chat.id, owner.id)).every((m) => m.senderId === owner.id && !m.imported!.mapped)).toBe(true);
    });
  });
}
