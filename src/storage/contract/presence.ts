// Contract of the presence sub-store: last seen, privacy settings, and who shares a chat.
import { describe, expect, test } from "bun:test";
import { newId } from "../../ids.ts";
import { DEFAULT_PRIVACY } from "../presence-port.ts";
import { group } from "./chats.ts";
import { addUser, type GetStorage } from "./fixtures.ts";

export function presenceContract(get: GetStorage): void {
  describe("presence", () => {
    test("last seen never moves back; unknown users have none and cannot get one", async () => {
      const s = get();
      const u = await addUser(s);
      await s.presence.setLastSeen(u.id, 2000);
      await s.presence.setLastSeen(u.id, 1000);
      await s.presence.setLastSeen("no-such-user", 5000);
      const seen = await s.presence.lastSeen([u.id, "no-such-user"]);
      expect([...seen]).toEqual([[u.id, 2000]]);
    });

    test("privacy defaults to everyone; a patch changes only its fields and survives last-seen writes", async () => {
      const s = get();
      const [a, b] = [await addUser(s), await addUser(s)];
      expect((await s.presence.privacy([a.id])).get(a.id)).toEqual(DEFAULT_PRIVACY);
      expect((await s.presence.setPrivacy(a.id, { lastSeen: "nobody" })).value).toEqual({ lastSeen: "nobody", readReceipts: "everyone", groupAdd: "everyone" });
      await s.presence.setLastSeen(a.id, 10);
      expect((await s.presence.setPrivacy(a.id, { readReceipts: "contacts" })).value).toEqual({ lastSeen: "nobody", readReceipts: "contacts", groupAdd: "everyone" });
      expect((await s.presence.setPrivacy(a.id, { groupAdd: "nobody" })).value).toEqual({ lastSeen: "nobody", readReceipts: "contacts", groupAdd: "nobody" });
      const all = await s.presence.privacy([a.id, b.id]);
      expect(all.get(a.id)).toEqual({ lastSeen: "nobody", readReceipts: "contacts", groupAdd: "nobody" });
      expect(all.get(b.id)).toEqual(DEFAULT_PRIVACY);
    });

    test("peers: direct chats and groups count, channels do not; pushPeers skips big groups", async () => {
      const s = get();
      const g = await group(s, "group", 3);
      const ch = await group(s, "channel", 1);
      const loner = await addUser(s);
      const [me, friend] = [g.owner, await addUser(s)];
      await s.chats.openDirect({ id: newId(), userId: me.id, peerId: friend.id, now: Date.now() });
      await s.chats.addMembers(ch.chat.id, ch.owner.id, [me.id], () => {}, () => {}, Date.now());
      const everyone = [friend.id, loner.id, ch.owner.id, ch.others[0]!.id, ...g.others.map((u) => u.id)];
      const sharing = await s.presence.sharingChat(me.id, everyone);
      expect([...sharing].sort()).toEqual([friend.id, ...g.others.map((u) => u.id)].sort());
      expect((await s.presence.pushPeers(me.id, 100, 100)).sort()).toEqual([...sharing].sort());
      expect(await s.presence.pushPeers(me.id, 3, 100)).toEqual([friend.id]); // the group has 4 members
      expect((await s.presence.pushPeers(me.id, 100, 2)).length).toBe(2);
    });
  });
}
