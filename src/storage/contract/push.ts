// Contract of the push sub-store: one subscription per session, never outliving it;
// the audience of a chat (members with a subscription, with their level and mute);
// notification settings with defaults.
import { describe, expect, test } from "bun:test";
import { newId, randomToken } from "../../ids.ts";
import type { AccessCheck } from "../chats-port.ts";
import type { Storage } from "../port.ts";
import { DEFAULT_NOTIFY, type PushSubscriptionRow } from "../push-port.ts";
import { group } from "./chats.ts";
import { addUser, expectCode, type GetStorage, newSession } from "./fixtures.ts";

const FOREVER = 2 ** 53 - 1;
const open: AccessCheck = () => {};

async function device(s: Storage, userId: string, over: Partial<PushSubscriptionRow> = {}): Promise<PushSubscriptionRow> {
  const session = await s.sessions.create(newSession(userId));
  const sub: PushSubscriptionRow = {
    sessionId: session.id,
    userId,
    endpoint: `https://push.example/${randomToken(8)}`,
    p256dh: "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4",
    auth: "BTBZMqHH6r4Tts7J_aSIgg",
    keyId: "k1",
    createdAt: 1000,
    ...over,
  };
  await s.push.subscribe(sub);
  return sub;
}

export function pushContract(get: GetStorage): void {
  describe("push", () => {
    test("one subscription per session: subscribing again replaces it; an endpoint moves to the newest session", async () => {
      const s = get();
      const u = await addUser(s);
      const a = await device(s, u.id);
      await s.push.subscribe({ ...a, endpoint: "https://push.example/second" });
      expect(await s.push.bySession(a.sessionId)).toMatchObject({ endpoint: "https://push.example/second" });
      const b = await device(s, u.id, { endpoint: "https://push.example/second" });
      expect(await s.push.bySession(a.sessionId)).toBeNull();
      expect(await s.push.bySession(b.sessionId)).toMatchObject({ endpoint: "https://push.example/second" });
      expect([...(await s.push.sessionsWithPush(u.id))]).toEqual([b.sessionId]);
      expect(await s.push.unsubscribe(b.sessionId)).toBe(true);
      expect(await s.push.unsubscribe(b.sessionId)).toBe(false);
    });

    test("a revoked or unknown session cannot subscribe, and revoking removes the subscription", async () => {
      const s = get();
      const u = await addUser(s);
      const a = await device(s, u.id);
      const b = await device(s, u.id);
      const c = await device(s, u.id);
      await s.sessions.revoke(u.id, a.sessionId, 5);
      expect(await s.push.bySession(a.sessionId)).toBeNull();
      await expectCode(s.push.subscribe(a), "not_found");
      await expectCode(s.push.subscribe({ ...a, sessionId: newId() }), "not_found");
      await s.users.setPassword(u.id, "hash-new", c.sessionId); // a password change revokes the others
      expect(await s.push.bySession(b.sessionId)).toBeNull();
      expect((await s.push.forUsers([u.id])).map((x) => x.sessionId)).toEqual([c.sessionId]);
      await s.users.setDisabled(u.id, true);
      expect(await s.push.forUsers([u.id])).toEqual([]);
    });

    test("removeGone only removes the endpoint that failed; dropOtherKeys keeps the current key's", async () => {
      const s = get();
      const u = await addUser(s);
      const a = await device(s, u.id);
      const b = await device(s, u.id, { keyId: "k2" });
      expect(await s.push.removeGone(a.sessionId, "https://push.example/other")).toBe(false);
      expect(await s.push.removeGone(a.sessionId, a.endpoint)).toBe(true);
      await device(s, u.id);
      expect(await s.push.dropOtherKeys("k2")).toBe(1);
      expect((await s.push.forUsers([u.id])).map((x) => x.sessionId)).toEqual([b.sessionId]);
    });

    test("audience: members other than the sender with a subscription, with level and mute", async () => {
      const s = get();
      const g = await group(s, "group", 3);
      const [x, y, z] = g.others;
      await device(s, g.owner.id);
      await device(s, x!.id);
      await device(s, y!.id);
      await s.chats.setFlags(g.chat.id, x!.id, { notifyLevel: "mentions", muteUntil: 5000 }, open, 1);
      await s.chats.setFlags(g.chat.id, y!.id, { muted: true }, open, 1);
      const got = (await s.push.audience(g.chat.id, g.owner.id)).sort((a, b) => a.userId.localeCompare(b.userId));
      const want = [
        { userId: x!.id, notifyLevel: "mentions", muteUntil: 5000 },
        { userId: y!.id, notifyLevel: "all", muteUntil: FOREVER },
      ].sort((a, b) => a.userId.localeCompare(b.userId));
      expect(got).toEqual(want as typeof got);
      expect(got.some((a) => a.userId === z!.id)).toBe(false);
      const m = (await s.chats.setFlags(g.chat.id, y!.id, { muteUntil: null }, open, 1)).value;
      expect(m).toMatchObject({ muted: false, muteUntil: null });
      expect((await s.chats.setFlags(g.chat.id, y!.id, { muteUntil: FOREVER }, open, 1)).value).toMatchObject({ muted: true, muteUntil: FOREVER });
    });

    test("settings default; a patch changes only its fields; dnd is replaced whole", async () => {
      const s = get();
      const [a, b] = [await addUser(s), await addUser(s)];
      expect((await s.push.settings([a.id])).get(a.id)).toEqual(DEFAULT_NOTIFY);
      const schedule = { startMin: 1320, endMin: 420, days: [1, 2], tz: "Europe/Berlin" };
      expect((await s.push.setSettings(a.id, { hideContent: true, dnd: { until: null, schedule } })).value).toEqual({ ...DEFAULT_NOTIFY, hideContent: true, dnd: { until: null, schedule } });
      const v = (await s.push.setSettings(a.id, { callsBypassDnd: true, allMentionsNotify: false })).value;
      expect(v).toEqual({ dnd: { until: null, schedule }, callsBypassDnd: true, allMentionsNotify: false, hideContent: true });
      const all = await s.push.settings([a.id, b.id]);
      expect(all.get(a.id)).toEqual(v);
      expect(all.get(b.id)).toEqual(DEFAULT_NOTIFY);
      await expectCode(s.push.setSettings("no-such-user", { hideContent: true }), "not_found");
    });
  });
}
