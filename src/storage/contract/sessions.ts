import { describe, expect, test } from "bun:test";
import { hashToken, randomToken } from "../../ids.ts";
import { limits } from "../../limits.ts";
import { addUser, expectCode, newSession, rejectedCodes, settle, type GetStorage } from "./fixtures.ts";

const next = (expiresAt = Date.now() + 60_000) => ({ hash: hashToken(randomToken()), expiresAt });

export function sessionsContract(get: GetStorage): void {
  describe("sessions", () => {
    test("create, byId, listForUser newest first and live only", async () => {
      const s = get();
      const u = await addUser(s);
      const a = await s.sessions.create(newSession(u.id, { createdAt: 1000 }));
      const b = await s.sessions.create(newSession(u.id, { createdAt: 2000, deviceName: "phone" }));
      expect(a).toMatchObject({ userId: u.id, createdAt: 1000, lastSeenAt: 1000, revokedAt: null, lastAckedEventId: 0 });
      expect(await s.sessions.byId(b.id)).toEqual(b);
      expect(await s.sessions.byId("missing")).toBeNull();
      expect((await s.sessions.listForUser(u.id)).map((x) => x.id)).toEqual([b.id, a.id]);
      expect((await s.sessions.revoke(u.id, b.id, 3000)).value).toBe(true);
      expect((await s.sessions.listForUser(u.id)).map((x) => x.id)).toEqual([a.id]);
      expect((await s.sessions.byId(b.id))?.revokedAt).toBe(3000);
    });

    test("create for an unknown user is not_found", async () => {
      await expectCode(get().sessions.create(newSession("missing")), "not_found");
    });

    test(`more than sessionsPerUserMax live sessions is limit_exceeded, even concurrently`, async () => {
      const s = get();
      const u = await addUser(s);
      const extra = 5;
      const results = await settle(Array.from({ length: limits.sessionsPerUserMax + extra }, () => s.sessions.create(newSession(u.id))));
      expect(results.filter((r) => r.status === "fulfilled").length).toBe(limits.sessionsPerUserMax);
      expect(rejectedCodes(results)).toEqual(Array(extra).fill("limit_exceeded"));
      const err = await expectCode(s.sessions.create(newSession(u.id)), "limit_exceeded");
      expect(err.data).toEqual({ limit: "sessionsPerUserMax", max: limits.sessionsPerUserMax });
      const one = (await s.sessions.listForUser(u.id))[0]!;
      await s.sessions.revoke(u.id, one.id, Date.now());
      await s.sessions.create(newSession(u.id)); // room again after a revoke
    });

    test("sessions whose refresh token expired do not count toward the limit", async () => {
      const s = get();
      const u = await addUser(s);
      const past = Date.now() - 1;
      await Promise.all(Array.from({ length: limits.sessionsPerUserMax }, () => s.sessions.create(newSession(u.id, { refreshExpiresAt: past }))));
      await s.sessions.create(newSession(u.id));
    });

    test("revoke only the user's own live session", async () => {
      const s = get();
      const [u, v] = [await addUser(s), await addUser(s)];
      const a = await s.sessions.create(newSession(u.id));
      expect((await s.sessions.revoke(v.id, a.id, 1)).value).toBe(false);
      expect((await s.sessions.revoke(u.id, a.id, 1)).value).toBe(true);
      expect((await s.sessions.revoke(u.id, a.id, 2)).value).toBe(false);
      expect((await s.sessions.revoke(u.id, "missing", 2)).value).toBe(false);
    });

    test("revokeAllForUser keeps the excepted session and returns the revoked ids", async () => {
      const s = get();
      const u = await addUser(s);
      const other = await addUser(s);
      const [a, b, c] = [await s.sessions.create(newSession(u.id)), await s.sessions.create(newSession(u.id)), await s.sessions.create(newSession(u.id))];
      const o = await s.sessions.create(newSession(other.id));
      expect((await s.sessions.revokeAllForUser(u.id, b.id, 5)).sort()).toEqual([a.id, c.id].sort());
      expect((await s.sessions.listForUser(u.id)).map((x) => x.id)).toEqual([b.id]);
      expect((await s.sessions.byId(o.id))?.revokedAt).toBeNull();
      expect(await s.sessions.revokeAllForUser(u.id, null, 6)).toEqual([b.id]);
    });

    test("touch updates last-seen and ip; ack only moves forward", async () => {
      const s = get();
      const u = await addUser(s);
      const a = await s.sessions.create(newSession(u.id, { createdAt: 100 }));
      await s.sessions.touch(a.id, 500, "198.51.100.7");
      await s.sessions.ack(a.id, 7);
      await s.sessions.ack(a.id, 3);
      expect(await s.sessions.byId(a.id)).toMatchObject({ lastSeenAt: 500, ip: "198.51.100.7", lastAckedEventId: 7 });
    });

    test("rotateRefresh is single-use; reusing a used token revokes the whole session", async () => {
      const s = get();
      const u = await addUser(s);
      const first = newSession(u.id);
      await s.sessions.create(first);
      const second = next();
      const r1 = (await s.sessions.rotateRefresh(first.refreshHash, second, Date.now(), "203.0.113.9")).value;
      expect(r1.kind).toBe("rotated");
      if (r1.kind !== "rotated") throw new Error("unreachable");
      expect(r1.session).toMatchObject({ id: first.id, ip: "203.0.113.9", revokedAt: null });
      const reused = (await s.sessions.rotateRefresh(first.refreshHash, next(), Date.now(), "203.0.113.10")).value;
      expect(reused.kind).toBe("reused");
      if (reused.kind !== "reused") throw new Error("unreachable");
      expect(reused.session.id).toBe(first.id);
      expect(reused.session.revokedAt).not.toBeNull();
      expect((await s.sessions.byId(first.id))?.revokedAt).not.toBeNull();
      // The legitimate holder's newer token dies with the session.
      expect((await s.sessions.rotateRefresh(second.hash, next(), Date.now(), "x")).value.kind).toBe("invalid");
    });

    test("rotateRefresh: unknown, expired, and revoked-session tokens are invalid", async () => {
      const s = get();
      const u = await addUser(s);
      expect((await s.sessions.rotateRefresh("unknown", next(), Date.now(), "x")).value.kind).toBe("invalid");
      const expired = newSession(u.id, { refreshExpiresAt: Date.now() - 1 });
      await s.sessions.create(expired);
      expect((await s.sessions.rotateRefresh(expired.refreshHash, next(), Date.now(), "x")).value.kind).toBe("invalid");
      const revoked = newSession(u.id);
      await s.sessions.create(revoked);
      await s.sessions.revoke(u.id, revoked.id, Date.now());
      expect((await s.sessions.rotateRefresh(revoked.refreshHash, next(), Date.now(), "x")).value.kind).toBe("invalid");
    });

    test("concurrent rotations of one token: exactly one rotates", async () => {
      const s = get();
      const u = await addUser(s);
      const first = newSession(u.id);
      await s.sessions.create(first);
      const outcomes = await Promise.all(Array.from({ length: 5 }, () => s.sessions.rotateRefresh(first.refreshHash, next(), Date.now(), "x")));
      expect(outcomes.filter((o) => o.value.kind === "rotated").length).toBe(1);
      expect((await s.sessions.byId(first.id))?.revokedAt).not.toBeNull(); // the duplicates look like theft
    });

    test("setPassword revokes all sessions but the kept one; setDisabled revokes all", async () => {
      const s = get();
      const u = await addUser(s);
      const [a, b] = [await s.sessions.create(newSession(u.id)), await s.sessions.create(newSession(u.id))];
      expect((await s.users.setPassword(u.id, "new-hash", a.id)).value).toEqual([b.id]);
      expect((await s.users.credentialsById(u.id))?.passwordHash).toBe("new-hash");
      const c = await s.sessions.create(newSession(u.id));
      const { user, revokedSessionIds } = await s.users.setDisabled(u.id, true);
      expect(user.disabled).toBe(true);
      expect(revokedSessionIds.sort()).toEqual([a.id, c.id].sort());
      expect(await s.sessions.listForUser(u.id)).toEqual([]);
      const back = await s.users.setDisabled(u.id, false);
      expect(back).toEqual({ user: { ...user, disabled: false }, revokedSessionIds: [] });
      await expectCode(s.users.setPassword("missing", "h", null), "not_found");
      await expectCode(s.users.setDisabled("missing", true), "not_found");
    });
  });
}
