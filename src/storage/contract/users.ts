import { newId } from "../../ids.ts";
import { describe, expect, test } from "bun:test";
import { addUser, expectCode, newUser, type GetStorage } from "./fixtures.ts";
import { anyone } from "./chats.ts";

export function usersContract(get: GetStorage): void {
  describe("users", () => {
    test("create returns the user; byId and credentials read it back", async () => {
      const s = get();
      const input = newUser({ username: "Alice_1", displayName: "Alice" });
      const { value, replayed, events } = await s.users.create(input);
      expect(value).toEqual({ id: input.id, username: "Alice_1", displayName: "Alice", bio: "", role: "member", disabled: false, totpEnabled: false, createdAt: input.createdAt });
      expect(replayed).toBe(false);
      expect(events).toEqual([]);
      expect(await s.users.byId(input.id)).toEqual(value);
      const creds = await s.users.credentialsById(input.id);
      expect(creds?.passwordHash).toBe(input.passwordHash);
      expect(creds?.totpSecret).toBeNull();
      expect(await s.users.byId("missing")).toBeNull();
      expect(await s.users.credentialsById("missing")).toBeNull();
    });

    test("usernames are unique case-insensitively and looked up case-insensitively", async () => {
      const s = get();
      const u = await addUser(s, { username: "Bob_Smith" });
      await expectCode(s.users.create(newUser({ username: "bob_smith" })), "username_taken");
      await expectCode(s.users.create(newUser({ username: "BOB_SMITH" })), "username_taken");
      expect((await s.users.credentialsByUsername("BOB_smith"))?.id).toBe(u.id);
      expect((await s.users.credentialsByUsername("Bob_Smith"))?.username).toBe("Bob_Smith");
      expect(await s.users.credentialsByUsername("nobody")).toBeNull();
      expect(await s.users.count()).toBe(1);
    });

    test("a duplicate id is a conflict", async () => {
      const s = get();
      const u = await addUser(s);
      await expectCode(s.users.create(newUser({ id: u.id })), "conflict");
    });

    test("list pages by username, count and ownerExists", async () => {
      const s = get();
      for (const name of ["delta", "Alpha", "charlie", "Bravo", "echo"]) await addUser(s, { username: name });
      const first = await s.users.list({ limit: 2 });
      expect(first.map((u) => u.username)).toEqual(["Alpha", "Bravo"]);
      const next = await s.users.list({ afterUsername: "bravo", limit: 10 });
      expect(next.map((u) => u.username)).toEqual(["charlie", "delta", "echo"]);
      expect(await s.users.count()).toBe(5);
      expect(await s.users.ownerExists()).toBe(false);
      await addUser(s, { role: "owner" });
      expect(await s.users.ownerExists()).toBe(true);
    });

    test("updateProfile patches only the given fields; unknown user is not_found", async () => {
      const s = get();
      const u = await addUser(s, { displayName: "Old" });
      const { value } = await s.users.updateProfile(u.id, { bio: "hello" });
      expect(value.displayName).toBe("Old");
      expect(value.bio).toBe("hello");
      const again = await s.users.updateProfile(u.id, { displayName: "New" });
      expect(again.value).toMatchObject({ displayName: "New", bio: "hello" });
      await expectCode(s.users.updateProfile("missing", { bio: "x" }), "not_found");
    });

    test("setRole changes the role; unknown user is not_found", async () => {
      const s = get();
      const u = await addUser(s);
      expect((await s.users.setRole(u.id, "admin")).value.role).toBe("admin");
      expect((await s.users.byId(u.id))?.role).toBe("admin");
      await expectCode(s.users.setRole("missing", "admin"), "not_found");
    });

    test("setTotp stores the secret and recovery codes; each code works once", async () => {
      const s = get();
      const u = await addUser(s);
      await s.users.setTotp(u.id, { secret: "SECRET", recoveryCodeHashes: ["c1", "c2"] });
      expect((await s.users.byId(u.id))?.totpEnabled).toBe(true);
      expect((await s.users.credentialsById(u.id))?.totpSecret).toBe("SECRET");
      expect(await s.users.consumeRecoveryCode(u.id, "c1", Date.now())).toBe(true);
      expect(await s.users.consumeRecoveryCode(u.id, "c1", Date.now())).toBe(false);
      expect(await s.users.consumeRecoveryCode(u.id, "nope", Date.now())).toBe(false);
      const other = await addUser(s);
      expect(await s.users.consumeRecoveryCode(other.id, "c2", Date.now())).toBe(false);
      await s.users.setTotp(u.id, null);
      expect((await s.users.byId(u.id))?.totpEnabled).toBe(false);
      expect(await s.users.consumeRecoveryCode(u.id, "c2", Date.now())).toBe(false); // codes go with the secret
      await expectCode(s.users.setTotp("missing", null), "not_found");
    });

    test("useTotpStep takes each step once and only newer ones; setTotp records the confirming step", async () => {
      const s = get();
      const u = await addUser(s);
      await s.users.setTotp(u.id, { secret: "SECRET", recoveryCodeHashes: [], usedStep: 100 });
      expect((await s.users.credentialsById(u.id))?.totpLastStep).toBe(100);
      expect(await s.users.useTotpStep(u.id, 100)).toBe(false);
      expect(await s.users.useTotpStep(u.id, 101)).toBe(true);
      expect(await s.users.useTotpStep(u.id, 101)).toBe(false);
      expect(await s.users.useTotpStep(u.id, 99)).toBe(false);
      const racing = await Promise.all([102, 102, 102].map((step) => s.users.useTotpStep(u.id, step)));
      expect(racing.filter(Boolean).length).toBe(1);
      await s.users.setTotp(u.id, null);
      expect((await s.users.credentialsById(u.id))?.totpLastStep).toBe(-1);
      expect(await s.users.useTotpStep("missing", 1)).toBe(false);
    });
  });

  describe("finding people", () => {
    test("list filters by username or display-name word prefix, LIKE wildcards literal", async () => {
      const s = get();
      await addUser(s, { username: "fp_alpha", displayName: "Ana María Lopez 🌻" });
      await addUser(s, { username: "fp_beta", displayName: "Bob Baker" });
      const names = async (query: string) => (await s.users.list({ limit: 10, query })).map((u) => u.username);
      expect(await names("fp_")).toEqual(["fp_alpha", "fp_beta"]);
      expect(await names("LOP")).toEqual(["fp_alpha"]);
      expect(await names("ana mar")).toEqual(["fp_alpha"]);
      expect(await names("%")).toEqual([]);
      expect(await names("fp%")).toEqual([]);
    });

    test("search: shared direct chats and groups first, the directory widens, never the viewer or disabled users, channels do not count", async () => {
      const s = get();
      const [me, friend, stranger, gone, subscriber] = await Promise.all(
        ["sx_me", "sx_friend", "sx_stranger", "sx_gone", "sx_sub"].map((username) => addUser(s, { username })),
      );
      const now = Date.now();
      await s.chats.create({ id: newId(), kind: "group", title: "G", description: "", ownerId: me!.id, memberIds: [friend!.id, gone!.id], now }, anyone);
      await s.chats.create({ id: newId(), kind: "channel", title: "C", description: "", ownerId: me!.id, memberIds: [subscriber!.id], now }, anyone);
      await s.users.setDisabled(gone!.id, true);
      const ids = async (directory: boolean) => (await s.users.search({ viewerId: me!.id, query: "sx_", directory, limit: 10 })).map((u) => u.id);
      expect(await ids(false)).toEqual([friend!.id]);
      expect(await ids(true)).toEqual([friend!.id, stranger!.id, subscriber!.id]);
      expect((await s.users.search({ viewerId: me!.id, query: "sx_", directory: true, limit: 2 })).length).toBe(2);
    });
  });
}
