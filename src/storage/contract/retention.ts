// Contract of retention in the chat and message sub-stores: the two settings, the timer
// stamped at send, and expire() purging exactly what is due (a run-out timer, or older than
// the chat's auto-delete days) as a delete for everyone does. Port only; helpers from ./chats.ts.
import { describe, expect, test } from "bun:test";
import { checkFor } from "../../chats/access.ts";
import { group, open, openMsg, send } from "./chats.ts";
import { expectCode, type GetStorage } from "./fixtures.ts";

const DAY = 86_400_000;

export function retentionContract(get: GetStorage): void {
  describe("retention", () => {
    test("settings: set, kept, turned off; the check decides", async () => {
      const s = get();
      const { chat, owner, others } = await group(s);
      const r = await s.chats.setRetention(chat.id, owner.id, { autoDeleteDays: 7, disappearSeconds: 60 }, open);
      expect(r.value.chat).toMatchObject({ autoDeleteDays: 7, disappearSeconds: 60 });
      expect(r.value.memberIds.sort()).toEqual([owner.id, ...others.map((o) => o.id)].sort());
      const off = await s.chats.setRetention(chat.id, owner.id, { disappearSeconds: null }, open);
      expect([off.value.chat.autoDeleteDays, off.value.chat.disappearSeconds]).toEqual([7, undefined]);
      expect((await s.chats.view(chat.id, owner.id))!.chat.autoDeleteDays).toBe(7);
      await expectCode(s.chats.setRetention(chat.id, others[0]!.id, { autoDeleteDays: 1 }, checkFor(others[0]!.id, "set_retention")), "forbidden");
    });

    test("expire purges what is due, in this chat, up to the limit, and nothing else", async () => {
      const s = get();
      const { chat, owner } = await group(s);
      const other = await group(s);
      const t0 = 1_000_000_000_000;
      await s.chats.setRetention(chat.id, owner.id, { disappearSeconds: 10 }, open);
      const timed = await send(s, chat.id, owner.id, { now: t0, text: "timed" });
      expect(timed.message.expiresAt).toBe(t0 + 10_000);
      await s.chats.setRetention(chat.id, owner.id, { disappearSeconds: null }, open);
      const plain = await send(s, chat.id, owner.id, { now: t0, text: "plain" });
      const elsewhere = await send(s, other.chat.id, other.owner.id, { now: t0 - 30 * DAY, text: "old elsewhere" });
      expect((await s.messages.expire(t0 + 9_999, 10)).value.deleted).toEqual([]);
      const done = await s.messages.expire(t0 + 10_000, 10);
      expect(done.value.deleted.map((d) => [d.message.id, d.message.text, d.message.expired, d.previous.text])).toEqual([[timed.message.id, "", true, "timed"]]);
      expect((await s.messages.byId(chat.id, timed.message.id))!.expiresAt).toBeUndefined();
      // auto-delete: older than N days at `now`
      await s.chats.setRetention(chat.id, owner.id, { autoDeleteDays: 2 }, open);
      expect((await s.messages.expire(t0 + 2 * DAY - 1, 10)).value.deleted).toEqual([]);
      const aged = await s.messages.expire(t0 + 2 * DAY + 1, 10);
      expect(aged.value.deleted.map((d) => d.message.id)).toEqual([plain.message.id]);
      expect((await s.messages.byId(other.chat.id, elsewhere.message.id))!.deletedAt).toBeNull();
      // bounded
      for (let i = 0; i < 3; i++) await send(s, chat.id, owner.id, { now: t0 });
      expect((await s.messages.expire(t0 + 3 * DAY, 2)).value.deleted.length).toBe(2);
      expect((await s.messages.expire(t0 + 3 * DAY, 2)).value.deleted.length).toBe(1);
      expect((await s.messages.expire(t0 + 3 * DAY, 2)).value.deleted.length).toBe(0);
    });

    test("auto-delete goes through a chat in seq order: deleted messages are stepped over, the first younger one stops it", async () => {
      const s = get();
      const { chat, owner } = await group(s);
      const t0 = 1_000_000_000_000;
      const ids = async (now: number) => (await s.messages.expire(now, 10)).value.deleted.map((d) => d.previous.text);
      const m1 = await send(s, chat.id, owner.id, { now: t0, text: "m1" });
      const m2 = await send(s, chat.id, owner.id, { now: t0, text: "m2" });
      await s.messages.deleteForEveryone(chat.id, m2.message.id, owner.id, openMsg, t0 + 1);
      await send(s, chat.id, owner.id, { now: t0, text: "m3" });
      await send(s, chat.id, owner.id, { now: t0 + 3 * DAY, text: "m4 young" });
      await send(s, chat.id, owner.id, { now: t0, text: "m5 dated before m4" }); // as an import keeps its date
      await s.chats.setRetention(chat.id, owner.id, { autoDeleteDays: 2 }, open);
      expect(await ids(t0 + 2 * DAY + 1)).toEqual(["m1", "m3"]);
      expect(await ids(t0 + 2 * DAY + 2)).toEqual([]);
      expect((await s.messages.byId(chat.id, m1.message.id))!.deletedAt).not.toBeNull();
      expect(await ids(t0 + 5 * DAY + 1)).toEqual(["m4 young", "m5 dated before m4"]);
      // turned off and on again, it goes on from where it was; new old messages still go
      await s.chats.setRetention(chat.id, owner.id, { autoDeleteDays: null }, open);
      await send(s, chat.id, owner.id, { now: t0, text: "m6" });
      expect(await ids(t0 + 9 * DAY)).toEqual([]);
      await s.chats.setRetention(chat.id, owner.id, { autoDeleteDays: 2 }, open);
      expect(await ids(t0 + 9 * DAY)).toEqual(["m6"]);
    });
  });
}
