import { describe, expect, test } from "bun:test";
import { generatePassword, hashPassword, verifyDummy, verifyPassword, verifyPasswordOrDummy } from "./passwords.ts";

describe("passwords", () => {
  test("hash is argon2id with the explicit parameters, and verifies", async () => {
    const hash = await hashPassword("correct horse battery");
    expect(hash).toStartWith("$argon2id$v=19$m=65536,t=2,p=1$");
    expect(await verifyPassword("correct horse battery", hash)).toBe(true);
    expect(await verifyPassword("correct horse batterY", hash)).toBe(false);
  });

  test("two hashes of one password differ (salted)", async () => {
    expect(await hashPassword("same password")).not.toBe(await hashPassword("same password"));
  });

  test("a malformed hash verifies false instead of throwing", async () => {
    expect(await verifyPassword("whatever1234", "not-a-hash")).toBe(false);
    expect(await verifyPassword("whatever1234", "")).toBe(false);
  });

  test("dummy verification is always false; OrDummy picks the right path", async () => {
    expect(await verifyDummy("anything at all")).toBe(false);
    expect(await verifyPasswordOrDummy("anything at all", null)).toBe(false);
    const hash = await hashPassword("the real one!");
    expect(await verifyPasswordOrDummy("the real one!", hash)).toBe(true);
  });

  test("generated passwords are long, URL-safe and distinct", () => {
    const a = generatePassword();
    expect(a).toMatch(/^[A-Za-z0-9_-]{20}$/);
    expect(generatePassword()).not.toBe(a);
  });
});
