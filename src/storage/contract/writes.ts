// Cross-cutting write semantics: emitted events and idempotency records commit with
// the change; one failing operation among concurrent ones fails only its caller.
import { describe, expect, test } from "bun:test";
import { newId } from "../../ids.ts";
import type { Invite, Storage, WriteOpts } from "../port.ts";
import { addUser, expectCode, newUser, rejectedCodes, settle, type GetStorage } from "./fixtures.ts";

function createInvite(s: Storage, createdBy: string, opts?: WriteOpts<Invite>) {
  const input = { id: newId(), codeHash: `h-${newId()}`, createdBy, createdAt: Date.now(), expiresAt: null, maxUses: null };
  return s.accounts.createInvite(input, opts);
}

export function writesContract(get: GetStorage): void {
  describe("writes", () => {
    test("emit appends events in the same transaction and returns them with ids", async () => {
      const s = get();
      const { value, events } = await s.users.create(newUser(), { emit: (u) => [{ to: [u.id, "watcher"], type: "user.created", data: { id: u.id } }] });
      expect(events.map((e) => [e.userId, e.id])).toEqual([[value.id, 1], ["watcher", 1]]);
      expect(await s.events.readAfter("watcher", 0, 10)).toEqual([events[1]!]);
    });

    test("a failing change emits nothing; a throwing emit undoes the change", async () => {
      const s = get();
      const u = await addUser(s, { username: "dup" });
      await expectCode(s.users.create(newUser({ username: "DUP" }), { emit: () => [{ to: ["w"], type: "x", data: 1 }] }), "username_taken");
      expect((await s.events.queueInfo("w")).lastEventId).toBe(0);
      const bad = newUser();
      await expect(s.users.create(bad, { emit: () => { throw new Error("emit bug"); } })).rejects.toThrow("emit bug");
      expect(await s.users.byId(bad.id)).toBeNull();
      expect(await s.users.byId(u.id)).not.toBeNull();
    });

    test("idempotency: a retry returns the first result, replayed, and acts no second time", async () => {
      const s = get();
      const admin = await addUser(s);
      const key = { userId: admin.id, key: "k1", method: "registration_invite.create" };
      const emit = (i: Invite) => [{ to: [admin.id], type: "invite.created", data: { id: i.id } }];
      const first = await createInvite(s, admin.id, { idempotency: key, emit });
      const again = await createInvite(s, admin.id, { idempotency: key, emit });
      expect(first.replayed).toBe(false);
      expect(first.events.length).toBe(1);
      expect(again).toEqual({ value: first.value, events: [], replayed: true });
      expect((await s.accounts.listInvites(admin.id)).length).toBe(1);
      expect((await s.events.queueInfo(admin.id)).lastEventId).toBe(1);
      const otherKey = await createInvite(s, admin.id, { idempotency: { ...key, key: "k2" } });
      expect(otherKey.replayed).toBe(false);
      const otherUser = await addUser(s);
      expect((await createInvite(s, otherUser.id, { idempotency: { ...key, userId: otherUser.id } })).replayed).toBe(false);
    });

    test("idempotency under concurrent duplicates: one acts, the rest replay it", async () => {
      const s = get();
      const admin = await addUser(s);
      const key = { userId: admin.id, key: "same", method: "registration_invite.create" };
      const results = await Promise.all(Array.from({ length: 8 }, () => createInvite(s, admin.id, { idempotency: key })));
      expect(results.filter((r) => !r.replayed).length).toBe(1);
      for (const r of results) expect(r.value).toEqual(results[0]!.value);
      expect((await s.accounts.listInvites(admin.id)).length).toBe(1);
    });

    test("a failed change records no idempotency result; a retry acts", async () => {
      const s = get();
      const u = await addUser(s, { username: "first" });
      const key = { userId: u.id, key: "k", method: "user.create" };
      await expectCode(s.users.create(newUser({ username: "FIRST" }), { idempotency: key }), "username_taken");
      expect((await s.users.create(newUser(), { idempotency: key })).replayed).toBe(false);
    });

    test("one failing operation among concurrent ones fails only its caller", async () => {
      const s = get();
      await addUser(s, { username: "taken" });
      const inputs = Array.from({ length: 20 }, (_, i) => newUser(i === 7 ? { username: "Taken" } : {}));
      const results = await settle(inputs.map((u) => s.users.create(u, { emit: (x) => [{ to: ["audit"], type: "user.created", data: x.id }] })));
      expect(rejectedCodes(results)).toEqual(["username_taken"]);
      expect(results[7]!.status).toBe("rejected");
      for (const [i, u] of inputs.entries()) expect((await s.users.byId(u.id)) !== null).toBe(i !== 7);
      expect((await s.events.readAfter("audit", 0, 100)).map((e) => e.id)).toEqual(Array.from({ length: 19 }, (_, i) => i + 1));
    });

    test("close waits for queued writes, is idempotent, and later writes are unavailable", async () => {
      const s = get();
      const pending = Array.from({ length: 50 }, () => s.events.append([{ to: ["z"], type: "t", data: 1 }]));
      await s.close();
      expect((await Promise.all(pending)).length).toBe(50);
      await s.close();
      await expectCode(s.events.append([{ to: ["z"], type: "t", data: 1 }]), "unavailable");
    });
  });
}
