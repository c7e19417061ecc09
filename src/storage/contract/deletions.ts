// Contract of account deletion in storage: scheduling revokes every session and is read
// back on the user; cancel clears it; due lists accounts by time, bounded; the purge
// happens only when due (a cancel that came first wins), once, and leaves the id as a
// "Deleted account" with no username (free again), password or picture; a direct chat
// stays for the other person, a chat nobody else is in goes.
import { describe, expect, test } from "bun:test";
import { newId } from "../../ids.ts";
import { addUser, expectCode, type GetStorage, newSession } from "./fixtures.ts";

export function deletionsContract(get: GetStorage): void {
  describe("deletion store", () => {
    test("schedule revokes every session; cancel clears it; due is by time and bounded", async () => {
      const s = get();
      const a = await addUser(s);
      const b = await addUser(s);
      await s.sessions.create(newSession(a.id));
      await s.sessions.create(newSession(a.id));
      const { user, revokedSessionIds } = await s.deletions.schedule(a.id, { at: 5000, by: "self" });
      expect(user.deletion).toEqual({ at: 5000, by: "self" });
      expect(revokedSessionIds).toHaveLength(2);
      expect(await s.sessions.listForUser(a.id)).toEqual([]);
      await s.deletions.schedule(b.id, { at: 4000, by: "admin" });
      expect(await s.deletions.due(3999, 10)).toEqual([]);
      expect(await s.deletions.due(5000, 10)).toEqual([b.id, a.id]);
      expect(await s.deletions.due(5000, 1)).toEqual([b.id]);
      expect((await s.deletions.cancel(a.id)).deletion).toBeUndefined();
      expect(await s.deletions.due(5000, 10)).toEqual([b.id]);
      await expectCode(s.deletions.schedule(newId(), { at: 1, by: "self" }), "not_found");
      await expectCode(s.deletions.cancel(newId()), "not_found");
    });

    test("another admin: enabled, not scheduled, not oneself", async () => {
      const s = get();
      const a = await addUser(s, { role: "admin" });
      expect(await s.deletions.otherAdminExists(a.id)).toBe(false);
      const o = await addUser(s, { role: "owner" });
      expect(await s.deletions.otherAdminExists(a.id)).toBe(true);
      await s.deletions.schedule(o.id, { at: 1, by: "self" });
      expect(await s.deletions.otherAdminExists(a.id)).toBe(false);
    });

    test("the purge: only when due, once; a Deleted account remains, the username is free, a direct chat stays", async () => {
      const s = get();
      const a = await addUser(s);
      const b = await addUser(s);
      const dm = (await s.chats.openDirect({ id: newId(), userId: a.id, peerId: b.id, now: 1000 })).value;
      const saved = (await s.chats.openDirect({ id: newId(), userId: a.id, peerId: a.id, now: 1000 })).value;
      expect(await s.deletions.purge(a.id, 2000, () => [])).toBeNull(); // not scheduled
      await s.deletions.schedule(a.id, { at: 3000, by: "self" });
      expect(await s.deletions.purge(a.id, 2999, () => [])).toBeNull(); // not yet due
      const r = await s.deletions.purge(a.id, 3000, (rep) => [{ to: [b.id], type: "user.updated", data: { id: rep.user.id } }]);
      expect(r).not.toBeNull();
      expect(r!.user).toMatchObject({ id: a.id, username: "", displayName: "Deleted account", bio: "", disabled: true, deletedAt: 3000 });
      expect(r!.user.avatar).toBeUndefined();
      expect(r!.contactIds).toEqual([b.id]);
      expect(r!.removedChatIds).toEqual([saved.chat.id]);
      expect(r!.events.map((e) => e.userId)).toEqual([b.id]);
      expect(await s.deletions.purge(a.id, 9000, () => [])).toBeNull(); // once
      expect(await s.users.credentialsByUsername(a.username)).toBeNull();
      await addUser(s, { username: a.username }); // free again
      const left = await s.chats.view(dm.chat.id, b.id);
      expect(left?.chat.memberCount).toBe(1);
      expect(left?.membership?.userId).toBe(b.id);
      expect(await s.chats.view(saved.chat.id, b.id)).toBeNull();
      expect((await s.users.list({ limit: 100 })).map((u) => u.id)).not.toContain(a.id);
      await expectCode(s.deletions.schedule(a.id, { at: 1, by: "admin" }), "not_found");
      // nobody starts anything new with a Deleted account; the direct chat that was there is still found
      const c = await addUser(s);
      await expectCode(s.chats.openDirect({ id: newId(), userId: c.id, peerId: a.id, now: 4000 }), "not_found");
      expect((await s.chats.openDirect({ id: newId(), userId: b.id, peerId: a.id, now: 4000 })).value).toMatchObject({ created: false, chat: { id: dm.chat.id } });
    });
  });
}
