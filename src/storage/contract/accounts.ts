import { describe, expect, test } from "bun:test";
import { newId } from "../../ids.ts";
import type { Storage } from "../port.ts";
import { addUser, expectCode, newSession, newUser, rejectedCodes, settle, type GetStorage } from "./fixtures.ts";

async function invite(s: Storage, over: { maxUses?: number | null; expiresAt?: number | null; codeHash?: string } = {}) {
  const creator = await addUser(s, { role: "admin" });
  const codeHash = over.codeHash ?? `code-${newId()}`;
  const { value } = await s.accounts.createInvite({
    id: newId(),
    codeHash,
    createdBy: creator.id,
    createdAt: Date.now(),
    expiresAt: over.expiresAt ?? null,
    maxUses: over.maxUses ?? null,
  });
  return { invite: value, codeHash, creator };
}

export function accountsContract(get: GetStorage): void {
  describe("owner claim", () => {
    test("a valid claim creates the owner once; a second use is claim_invalid", async () => {
      const s = get();
      await s.accounts.createOwnerClaim("claim-1", Date.now() + 60_000);
      const owner = await s.accounts.claimOwner("claim-1", newUser({ role: "owner" }), Date.now());
      expect(owner.role).toBe("owner");
      expect(await s.users.ownerExists()).toBe(true);
      await expectCode(s.accounts.claimOwner("claim-1", newUser({ role: "owner" }), Date.now()), "claim_invalid");
      expect(await s.users.count()).toBe(1);
    });

    test("unknown, expired and replaced claims are claim_invalid", async () => {
      const s = get();
      await expectCode(s.accounts.claimOwner("nope", newUser(), Date.now()), "claim_invalid");
      await s.accounts.createOwnerClaim("old", Date.now() + 60_000);
      await s.accounts.createOwnerClaim("new", Date.now() + 60_000);
      await expectCode(s.accounts.claimOwner("old", newUser(), Date.now()), "claim_invalid");
      await s.accounts.createOwnerClaim("short", Date.now() + 10);
      await expectCode(s.accounts.claimOwner("short", newUser(), Date.now() + 20), "claim_invalid");
      expect(await s.users.count()).toBe(0);
    });

    test("ownerClaimUsable agrees with claimOwner and changes nothing", async () => {
      const s = get();
      expect(await s.accounts.ownerClaimUsable("u", Date.now())).toBe(false);
      await s.accounts.createOwnerClaim("u", Date.now() + 60_000);
      expect(await s.accounts.ownerClaimUsable("u", Date.now())).toBe(true);
      expect(await s.accounts.ownerClaimUsable("u", Date.now())).toBe(true); // reading burns nothing
      expect(await s.accounts.ownerClaimUsable("u", Date.now() + 120_000)).toBe(false); // expired
      expect(await s.accounts.ownerClaimUsable("other", Date.now())).toBe(false);
      await s.accounts.claimOwner("u", newUser({ role: "owner" }), Date.now());
      expect(await s.accounts.ownerClaimUsable("u", Date.now())).toBe(false); // used
      await s.accounts.createOwnerClaim("late", Date.now() + 60_000);
      expect(await s.accounts.ownerClaimUsable("late", Date.now())).toBe(false); // an owner exists
    });

    test("concurrent claims: exactly one owner", async () => {
      const s = get();
      await s.accounts.createOwnerClaim("c", Date.now() + 60_000);
      const results = await settle(Array.from({ length: 5 }, () => s.accounts.claimOwner("c", newUser({ role: "owner" }), Date.now())));
      expect(results.filter((r) => r.status === "fulfilled").length).toBe(1);
      expect(rejectedCodes(results)).toEqual(Array(4).fill("claim_invalid"));
    });

    test("no claim works once an owner exists", async () => {
      const s = get();
      await addUser(s, { role: "owner" });
      await s.accounts.createOwnerClaim("late", Date.now() + 60_000);
      await expectCode(s.accounts.claimOwner("late", newUser(), Date.now()), "claim_invalid");
    });

    test("a taken username does not burn the claim", async () => {
      const s = get();
      await addUser(s, { username: "taken" });
      await s.accounts.createOwnerClaim("c", Date.now() + 60_000);
      await expectCode(s.accounts.claimOwner("c", newUser({ username: "TAKEN" }), Date.now()), "username_taken");
      expect((await s.accounts.claimOwner("c", newUser(), Date.now())).role).toBe("owner");
    });
  });

  describe("invites", () => {
    test("create, list (newest first, by creator), revoke", async () => {
      const s = get();
      const a = await invite(s, { maxUses: 2 });
      const b = await invite(s);
      expect(a.invite).toMatchObject({ createdBy: a.creator.id, maxUses: 2, uses: 0, revokedAt: null, expiresAt: null });
      expect((await s.accounts.listInvites(null)).length).toBe(2);
      expect((await s.accounts.listInvites(b.creator.id)).map((i) => i.id)).toEqual([b.invite.id]);
      expect(await s.accounts.revokeInvite(a.invite.id, 5)).toBe(true);
      expect(await s.accounts.revokeInvite(a.invite.id, 6)).toBe(false);
      expect(await s.accounts.revokeInvite("missing", 6)).toBe(false);
      expect((await s.accounts.listInvites(a.creator.id))[0]?.revokedAt).toBe(5);
      await expectCode(s.accounts.registerWithInvite(a.codeHash, newUser(), Date.now()), "invalid_invite");
    });

    test("registerWithInvite counts a use and creates the user; unknown and expired are invalid_invite", async () => {
      const s = get();
      const { codeHash, creator } = await invite(s, { expiresAt: Date.now() + 60_000 });
      const u = await s.accounts.registerWithInvite(codeHash, newUser(), Date.now());
      expect(await s.users.byId(u.id)).toEqual(u);
      expect((await s.accounts.listInvites(creator.id))[0]?.uses).toBe(1);
      await expectCode(s.accounts.registerWithInvite("unknown", newUser(), Date.now()), "invalid_invite");
      await expectCode(s.accounts.registerWithInvite(codeHash, newUser(), Date.now() + 120_000), "invalid_invite");
    });

    test("inviteUsable agrees with registerWithInvite and changes nothing", async () => {
      const s = get();
      const { codeHash, creator } = await invite(s, { maxUses: 1, expiresAt: Date.now() + 60_000 });
      expect(await s.accounts.inviteUsable(codeHash, Date.now())).toBe(true);
      expect(await s.accounts.inviteUsable(codeHash, Date.now())).toBe(true);
      expect((await s.accounts.listInvites(creator.id))[0]?.uses).toBe(0);
      expect(await s.accounts.inviteUsable(codeHash, Date.now() + 120_000)).toBe(false); // expired
      expect(await s.accounts.inviteUsable("unknown", Date.now())).toBe(false);
      await s.accounts.registerWithInvite(codeHash, newUser(), Date.now());
      expect(await s.accounts.inviteUsable(codeHash, Date.now())).toBe(false); // used up
      const other = await invite(s);
      await s.accounts.revokeInvite(other.invite.id, Date.now());
      expect(await s.accounts.inviteUsable(other.codeHash, Date.now())).toBe(false); // revoked
    });

    test("concurrent registrations never exceed maxUses", async () => {
      const s = get();
      const { codeHash, creator } = await invite(s, { maxUses: 3 });
      const results = await settle(Array.from({ length: 10 }, () => s.accounts.registerWithInvite(codeHash, newUser(), Date.now())));
      expect(results.filter((r) => r.status === "fulfilled").length).toBe(3);
      expect(rejectedCodes(results)).toEqual(Array(7).fill("invalid_invite"));
      expect((await s.accounts.listInvites(creator.id))[0]?.uses).toBe(3);
      expect(await s.users.count()).toBe(4);
    });

    test("a taken username does not use up the invite", async () => {
      const s = get();
      const { codeHash, creator } = await invite(s, { maxUses: 1 });
      await expectCode(s.accounts.registerWithInvite(codeHash, newUser({ username: creator.username.toUpperCase() }), Date.now()), "username_taken");
      expect((await s.accounts.listInvites(creator.id))[0]?.uses).toBe(0);
      await s.accounts.registerWithInvite(codeHash, newUser(), Date.now());
    });

    test("a retried create (same idempotency key) returns the invite as it is now: revoked, used", async () => {
      const s = get();
      const creator = await addUser(s);
      const input = { id: newId(), codeHash: newId(), createdBy: creator.id, createdAt: 1, expiresAt: null, maxUses: 3 };
      const idempotency = { userId: creator.id, key: "k1", method: "registration_invite.create" };
      const first = await s.accounts.createInvite(input, { idempotency });
      expect(first.value.revokedAt).toBeNull();
      await s.accounts.registerWithInvite(input.codeHash, newUser(), Date.now());
      expect(await s.accounts.revokeInvite(input.id, 42)).toBe(true);
      const retry = await s.accounts.createInvite({ ...input, id: newId(), codeHash: newId() }, { idempotency });
      expect(retry.replayed).toBe(true);
      expect(retry.value).toEqual({ ...first.value, revokedAt: 42, uses: 1 });
      expect(await s.accounts.listInvites(creator.id)).toHaveLength(1); // acted once
    });

    test("a duplicate invite id or code is a conflict", async () => {
      const s = get();
      const { invite: inv, codeHash } = await invite(s);
      const base = { createdBy: inv.createdBy, createdAt: 1, expiresAt: null, maxUses: null };
      await expectCode(s.accounts.createInvite({ ...base, id: inv.id, codeHash: "other" }), "conflict");
      await expectCode(s.accounts.createInvite({ ...base, id: newId(), codeHash }), "conflict");
    });
  });

  describe("registration mode", () => {
    test("null until set, then the stored mode", async () => {
      const s = get();
      expect(await s.accounts.getRegistrationMode()).toBeNull();
      await s.accounts.setRegistrationMode("invite");
      expect(await s.accounts.getRegistrationMode()).toBe("invite");
      await s.accounts.setRegistrationMode("closed");
      expect(await s.accounts.getRegistrationMode()).toBe("closed");
    });
  });

  describe("invite lookups", () => {
    test("liveInviteByCodeHash: usable invites only, with the creator's display name; clientId kept", async () => {
      const s = get();
      const creator = await addUser(s, { role: "admin", displayName: "Olga 🏡" });
      const base = { createdBy: creator.id, createdAt: Date.now(), expiresAt: null, maxUses: 1 };
      const { value } = await s.accounts.createInvite({ ...base, id: newId(), codeHash: "live-hash", clientId: "cid-1" });
      expect(value).toMatchObject({ clientId: "cid-1", codeHash: "live-hash" });
      expect(await s.accounts.liveInviteByCodeHash("live-hash", Date.now())).toEqual({ invite: value, creatorDisplayName: "Olga 🏡" });
      expect(await s.accounts.liveInviteByCodeHash("unknown", Date.now())).toBeNull();
      await s.accounts.registerWithInvite("live-hash", newUser(), Date.now());
      expect(await s.accounts.liveInviteByCodeHash("live-hash", Date.now())).toBeNull(); // used up
      await s.accounts.createInvite({ ...base, id: newId(), codeHash: "short-hash", expiresAt: Date.now() + 10 });
      expect(await s.accounts.liveInviteByCodeHash("short-hash", Date.now() + 20)).toBeNull(); // expired
    });
  });

  describe("password resets", () => {
    test("single use, replacing, expiring; sets the password and revokes every session atomically", async () => {
      const s = get();
      const user = await addUser(s);
      const admin = await addUser(s, { role: "admin" });
      const now = Date.now();
      for (const id of ["s1", "s2"]) await s.sessions.create(newSession(user.id, { id }));
      await s.accounts.createPasswordReset({ tokenHash: "old", userId: user.id, createdBy: admin.id, createdAt: now, expiresAt: now + 60_000 });
      await s.accounts.createPasswordReset({ tokenHash: "new", userId: user.id, createdBy: admin.id, createdAt: now, expiresAt: now + 60_000 });
      expect(await s.accounts.passwordResetUser("old", now)).toBeNull(); // replaced
      expect((await s.accounts.passwordResetUser("new", now))?.id).toBe(user.id);
      await expectCode(s.accounts.resetPassword("old", "hash-x", now), "reset_invalid");
      await expectCode(s.accounts.resetPassword("new", "hash-x", now + 60_000), "reset_invalid"); // expired
      const done = await s.accounts.resetPassword("new", "hash-new", now);
      expect(done.user.id).toBe(user.id);
      expect(done.revokedSessionIds.sort()).toEqual(["s1", "s2"]);
      expect((await s.users.credentialsById(user.id))?.passwordHash).toBe("hash-new");
      expect(await s.sessions.listForUser(user.id)).toEqual([]);
      await expectCode(s.accounts.resetPassword("new", "hash-y", now), "reset_invalid"); // used
      // concurrent uses: exactly one wins
      await s.accounts.createPasswordReset({ tokenHash: "race", userId: user.id, createdBy: admin.id, createdAt: now, expiresAt: now + 60_000 });
      const results = await settle([1, 2, 3].map((k) => s.accounts.resetPassword("race", `h${k}`, now)));
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
      expect(rejectedCodes(results)).toEqual(["reset_invalid", "reset_invalid"]);
    });

    test("a disabled user's token does not work", async () => {
      const s = get();
      const user = await addUser(s);
      await s.accounts.createPasswordReset({ tokenHash: "dis", userId: user.id, createdBy: user.id, createdAt: Date.now(), expiresAt: Date.now() + 60_000 });
      await s.users.setDisabled(user.id, true);
      expect(await s.accounts.passwordResetUser("dis", Date.now())).toBeNull();
      await expectCode(s.accounts.resetPassword("dis", "h", Date.now()), "reset_invalid");
    });
  });

  describe("directory setting", () => {
    test("null until set, then the stored value", async () => {
      const s = get();
      expect(await s.accounts.getDirectoryEnabled()).toBeNull();
      await s.accounts.setDirectoryEnabled(false);
      expect(await s.accounts.getDirectoryEnabled()).toBe(false);
      await s.accounts.setDirectoryEnabled(true);
      expect(await s.accounts.getDirectoryEnabled()).toBe(true);
    });
  });
}
