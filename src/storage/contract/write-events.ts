// revoke, rotateRefresh, setPassword and setTotp with WriteOpts: the events they emit
// commit in the same transaction as the change, or neither happens.
import { describe, expect, test } from "bun:test";
import { hashToken, randomToken } from "../../ids.ts";
import type { EventDraft } from "../port.ts";
import { addUser, expectCode, newSession, type GetStorage } from "./fixtures.ts";

const revokedEvent = (userId: string, sessionId: string): EventDraft => ({ to: [userId], type: "session.revoked", data: { sessionId } });
const next = () => ({ hash: hashToken(randomToken()), expiresAt: Date.now() + 60_000 });

export function writeEventsContract(get: GetStorage): void {
  describe("events emitted by session and credential changes", () => {
    test("revoke appends its event with the change; nothing when nothing was revoked", async () => {
      const s = get();
      const u = await addUser(s);
      const a = await s.sessions.create(newSession(u.id));
      const emit = (done: boolean) => (done ? [revokedEvent(u.id, a.id)] : []);
      const first = await s.sessions.revoke(u.id, a.id, 10, { emit });
      expect(first.value).toBe(true);
      expect(first.events.map((e) => [e.type, e.data])).toEqual([["session.revoked", { sessionId: a.id }]]);
      expect((await s.events.readAfter(u.id, 0, 10)).map((e) => e.id)).toEqual(first.events.map((e) => e.id));
      const again = await s.sessions.revoke(u.id, a.id, 11, { emit });
      expect(again).toMatchObject({ value: false, events: [] });
    });

    test("an emit that throws rolls the revoke back", async () => {
      const s = get();
      const u = await addUser(s);
      const a = await s.sessions.create(newSession(u.id));
      const failing = s.sessions.revoke(u.id, a.id, 10, {
        emit: () => {
          throw new Error("emit failed");
        },
      });
      await expect(failing).rejects.toThrow("emit failed");
      expect((await s.sessions.byId(a.id))?.revokedAt).toBeNull();
      expect((await s.events.queueInfo(u.id)).lastEventId).toBe(0);
    });

    test("a reused refresh token revokes the session and appends the event together", async () => {
      const s = get();
      const u = await addUser(s);
      const a = newSession(u.id);
      await s.sessions.create(a);
      const emit = (o: { kind: string }) => (o.kind === "reused" ? [revokedEvent(u.id, a.id)] : []);
      const rotated = await s.sessions.rotateRefresh(a.refreshHash, next(), Date.now(), "x", { emit });
      expect(rotated).toMatchObject({ value: { kind: "rotated" }, events: [] });
      const reused = await s.sessions.rotateRefresh(a.refreshHash, next(), Date.now(), "x", { emit });
      expect(reused.value.kind).toBe("reused");
      expect(reused.events.map((e) => e.type)).toEqual(["session.revoked"]);
    });

    test("setPassword and setTotp append their events; a missing user appends none", async () => {
      const s = get();
      const u = await addUser(s);
      const [a, b] = [await s.sessions.create(newSession(u.id)), await s.sessions.create(newSession(u.id))];
      const pw = await s.users.setPassword(u.id, "h2", a.id, { emit: (ids) => ids.map((id) => revokedEvent(u.id, id)) });
      expect(pw.value).toEqual([b.id]);
      expect(pw.events.map((e) => e.data)).toEqual([{ sessionId: b.id }]);
      const totp = await s.users.setTotp(u.id, null, { emit: () => [{ to: [u.id], type: "twofactor.updated", data: { enabled: false } }] });
      expect(totp.events.map((e) => e.type)).toEqual(["twofactor.updated"]);
      const before = await s.events.queueInfo(u.id);
      await expectCode(s.users.setPassword("missing", "h", null, { emit: () => [revokedEvent(u.id, "x")] }), "not_found");
      expect(await s.events.queueInfo(u.id)).toEqual(before);
    });
  });
}
