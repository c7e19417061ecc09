// Contract of the message sub-store: seq, idempotency, paging, read state, edits,
// deletes. Port only; helpers from ./chats.ts.
import { describe, expect, test } from "bun:test";
import { checkMessage } from "../../chats/access.ts";
import { newId } from "../../ids.ts";
import { limits } from "../../limits.ts";
import type { Entity } from "../chats-port.ts";
import { group, newMessage, open, openMsg, send } from "./chats.ts";
import { expectCode, type GetStorage } from "./fixtures.ts";

export function chatsMessagesContract(get: GetStorage): void {
  describe("messages", () => {
    test("seq is dense per chat under concurrent sends; each send's chat-log event commits with it", async () => {
      const s = get();
      const { chat, owner, others } = await group(s);
      const sends = Array.from({ length: 40 }, (_, i) =>
        s.messages.send(newMessage(chat.id, i % 2 ? owner.id : others[0]!.id), open, {
          emit: (r) => [{ chat: chat.id, type: "message.created", data: { seq: r.message.seq } }],
        }),
      );
      const done = await Promise.all(sends);
      expect(done.map((d) => d.value.message.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
      // message seq and log pos are both assigned in the send's transaction, so they agree here
      for (const d of done) expect(d.chatEvents?.map((e) => [e.pos, (e.data as { seq: number }).seq])).toEqual([[d.value.message.seq, d.value.message.seq]]);
      expect((await s.chats.view(chat.id, owner.id))!.chat.lastSeq).toBe(40);
    });

    test("a client id sends once: the retry returns the first message and changes nothing", async () => {
      const s = get();
      const { chat, owner } = await group(s);
      const input = newMessage(chat.id, owner.id, { clientId: "c-1" });
      const first = await s.messages.send(input, open);
      const again = await s.messages.send({ ...input, id: newId(), text: "different" }, open);
      expect(again.value.created).toBe(false);
      expect(again.value.message).toEqual(first.value.message);
      expect((await s.messages.list(chat.id, owner.id, "latest", "before", 10)).messages.length).toBe(1);
    });

    test("what send returns is what a later read returns, field for field", async () => {
      const s = get();
      const { chat, owner, others } = await group(s);
      await s.chats.setRetention(chat.id, owner.id, { disappearSeconds: 60 }, open);
      const first = await send(s, chat.id, owner.id);
      const entities: Entity[] = [{ type: "hashtag", offset: 0, length: 4, tag: "tea" }];
      const sent = [
        first,
        await send(s, chat.id, others[0]!.id, { text: "#tea and a reply", entities, replyToId: first.message.id, silent: true, clientId: null }),
        await send(s, chat.id, owner.id, { forward: { chatId: chat.id, messageId: first.message.id, senderId: owner.id, at: first.message.createdAt } }),
      ];
      for (const r of sent) {
        expect(r.message.expiresAt).toBe(r.message.createdAt + 60_000);
        expect(r.message).toEqual((await s.messages.visible(chat.id, r.message.id, owner.id))!);
      }
    });

    test("strangers are refused even by a permissive check; reply must be in the same chat", async () => {
      const s = get();
      const a = await group(s);
      const b = await group(s);
      await expectCode(s.messages.send(newMessage(a.chat.id, b.owner.id), open), "not_found");
      const other = await send(s, b.chat.id, b.owner.id);
      await expectCode(send(s, a.chat.id, a.owner.id, { replyToId: other.message.id }), "invalid_field");
      const here = await send(s, a.chat.id, a.owner.id);
      const reply = await send(s, a.chat.id, a.others[0]!.id, { replyToId: here.message.id });
      expect(reply.message.replyToId).toBe(here.message.id);
      await expectCode(s.messages.list(a.chat.id, b.owner.id, "latest", "before", 10), "not_found");
    });

    test("paging before, after, around and from the first unread", async () => {
      const s = get();
      const { chat, owner, others } = await group(s);
      for (let i = 1; i <= 10; i++) await send(s, chat.id, owner.id, { text: `m${i}` });
      const seqs = async (anchor: Parameters<typeof s.messages.list>[2], dir: "before" | "after" | "around", n: number, who = owner.id) => {
        const p = await s.messages.list(chat.id, who, anchor, dir, n);
        return [p.messages.map((m) => m.seq), p.hasBefore, p.hasAfter];
      };
      expect(await seqs("latest", "before", 3)).toEqual([[8, 9, 10], true, false]);
      expect(await seqs({ seq: 8 }, "before", 3)).toEqual([[5, 6, 7], true, true]);
      expect(await seqs({ seq: 3 }, "after", 3)).toEqual([[4, 5, 6], true, true]);
      expect(await seqs({ seq: 5 }, "around", 4)).toEqual([[3, 4, 5, 6], true, true]);
      expect(await seqs({ seq: 10 }, "around", 4)).toEqual([[7, 8, 9, 10], true, false]);
      expect(await seqs({ seq: 1 }, "before", 4)).toEqual([[], false, true]);
      await s.messages.markRead(chat.id, others[0]!.id, 4, open);
      expect(await seqs("first_unread", "around", 4, others[0]!.id)).toEqual([[3, 4, 5, 6], true, true]);
      expect(await seqs("first_unread", "after", 3, others[0]!.id)).toEqual([[5, 6, 7], true, true]);
    });

    test("unread counts: not mine, not deleted, not hidden; mentions by name and @all", async () => {
      const s = get();
      const { chat, owner, others } = await group(s);
      const me = others[0]!.id;
      const mention: Entity[] = [{ type: "mention", offset: 0, length: 3, userId: me }];
      await send(s, chat.id, owner.id, { entities: mention });
      await send(s, chat.id, owner.id, { entities: [{ type: "mention_all", offset: 0, length: 4 }] });
      const gone = await send(s, chat.id, owner.id, { entities: mention });
      const hidden = await send(s, chat.id, owner.id);
      await send(s, chat.id, me);
      await send(s, chat.id, owner.id);
      await s.messages.deleteForEveryone(chat.id, gone.message.id, owner.id, openMsg, Date.now());
      await s.messages.deleteForMe(chat.id, hidden.message.id, me, openMsg);
      const st = await s.messages.readState(chat.id, me);
      expect(st).toMatchObject({ readSeq: 0, unreadCount: 3, unreadMentionCount: 2 });
      const read = await s.messages.markRead(chat.id, me, 2, open);
      expect(read.value).toMatchObject({ readSeq: 2, unreadCount: 1, unreadMentionCount: 0, changed: true });
      const back = await s.messages.markRead(chat.id, me, 1, open);
      expect(back.value).toMatchObject({ readSeq: 2, changed: false });
      const past = await s.messages.markRead(chat.id, me, 999, open);
      expect(past.value).toMatchObject({ readSeq: 6, unreadCount: 0 });
      expect((await s.messages.readers(chat.id, gone.message.id)).map((r) => r.userId)).toEqual([me]);
    });

    test("edits keep every version; deleting for everyone leaves a purged tombstone", async () => {
      const s = get();
      const { chat, owner, others } = await group(s);
      const { message } = await send(s, chat.id, owner.id, { text: "v1", entities: [{ type: "hashtag", offset: 0, length: 2, tag: "v" }] });
      const e1 = await s.messages.edit(chat.id, message.id, owner.id, { text: "v2", entities: [] }, openMsg, 2000);
      expect(e1.value.message).toMatchObject({ text: "v2", editedAt: 2000, seq: message.seq });
      await s.messages.edit(chat.id, message.id, owner.id, { text: "v3", entities: [] }, openMsg, 3000);
      const versions = await s.messages.editHistory(message.id);
      expect(versions.map((v) => [v.version, v.text])).toEqual([[1, "v1"], [2, "v2"], [3, "v3"]]);
      expect(versions[0]!.entities.length).toBe(1);
      await expectCode(s.messages.edit(chat.id, message.id, others[0]!.id, { text: "x", entities: [] }, checkMessage(others[0]!.id, "edit"), 1), "forbidden");
      const del = await s.messages.deleteForEveryone(chat.id, message.id, owner.id, openMsg, 4000);
      expect(del.value.message).toMatchObject({ text: "", entities: [], deletedAt: 4000, seq: message.seq });
      expect(await s.messages.editHistory(message.id)).toEqual([]);
      const page = await s.messages.list(chat.id, others[0]!.id, "latest", "before", 10);
      expect(page.messages.map((m) => [m.seq, m.deletedAt])).toEqual([[1, 4000]]);
      await expectCode(s.messages.deleteForEveryone(chat.id, message.id, owner.id, checkMessage(owner.id, "delete"), 5000), "not_found");
    });

    test("edits are bounded", async () => {
      const s = get();
      const { chat, owner } = await group(s, "group", 0);
      const { message } = await send(s, chat.id, owner.id);
      for (let i = 0; i < limits.messageEditsMax; i++) {
        await s.messages.edit(chat.id, message.id, owner.id, { text: `e${i}`, entities: [] }, openMsg, i);
      }
      await expectCode(s.messages.edit(chat.id, message.id, owner.id, { text: "one more", entities: [] }, openMsg, 1), "limit_exceeded");
    });

    test("delete for me hides from that user only", async () => {
      const s = get();
      const { chat, owner, others } = await group(s);
      const { message } = await send(s, chat.id, owner.id);
      await s.messages.deleteForMe(chat.id, message.id, others[0]!.id, openMsg);
      expect(await s.messages.visible(chat.id, message.id, others[0]!.id)).toBeNull();
      expect(await s.messages.visible(chat.id, message.id, owner.id)).not.toBeNull();
      expect((await s.messages.list(chat.id, others[0]!.id, "latest", "before", 10)).messages).toEqual([]);
      expect((await s.messages.list(chat.id, owner.id, "latest", "before", 10)).messages.length).toBe(1);
      // Who hid it hears of it no more (their counts already dropped it); hiding again is not_found.
      await expectCode(s.messages.deleteForMe(chat.id, message.id, others[0]!.id, openMsg), "not_found");
      const edited = await s.messages.edit(chat.id, message.id, owner.id, { text: "v2", entities: [] }, openMsg, 2000);
      const gone = await s.messages.deleteForEveryone(chat.id, message.id, owner.id, openMsg, 3000);
      const all = [owner.id, ...others.map((o) => o.id)];
      for (const r of [edited.value, gone.value]) expect(r.memberIds.sort()).toEqual(all.filter((u) => u !== others[0]!.id).sort());
    });
  });
}
