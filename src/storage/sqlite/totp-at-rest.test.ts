// TOTP secrets at rest in the SQLite adapter: sealed in the column, opened on read,
// plaintext rows from older versions and rows under a retired key re-sealed at open.
import { Database } from "bun:sqlite";
import { describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FatalError } from "../../errors.ts";
import { newId } from "../../ids.ts";
import { createTotpBox } from "../../secrets/totp-box.ts";
import { runStorageContract } from "../contract/index.ts";
import { openSqliteStorage } from "./storage.ts";

// The whole contract with sealing on: the port's semantics do not change.
runStorageContract("sqlite, TOTP secrets sealed", async () => {
  const dir = mkdtempSync(join(tmpdir(), "hearth-sqlite-sealed-"));
  const storage = await openSqliteStorage({ file: join(dir, "hearth.sqlite"), durability: "normal", totpBox: createTotpBox("C".repeat(43)) });
  return {
    storage,
    async cleanup() {
      await storage.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

const KEY_A = "A".repeat(43);
const KEY_B = "B".repeat(43);
const SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
const fresh = () => join(mkdtempSync(join(tmpdir(), "hearth-totp-")), "h.sqlite");
const column = (file: string, id: string) => {
  const db = new Database(file, { readonly: true });
  try {
    return (db.query("SELECT totp_secret AS s FROM users WHERE id = ?").get(id) as { s: string | null }).s;
  } finally {
    db.close();
  }
};

async function userWithTotp(file: string, box?: ReturnType<typeof createTotpBox>) {
  const s = await openSqliteStorage({ file, durability: "normal", totpBox: box });
  const id = newId();
  await s.users.create({ id, username: `u${id.slice(-6)}`, displayName: "U", passwordHash: "x", role: "member", createdAt: 1 });
  await s.users.setTotp(id, { secret: SECRET, recoveryCodeHashes: [], usedStep: 7 });
  await s.close();
  return id;
}

describe("TOTP secrets at rest", () => {
  test("sealed in the column (AES-256-GCM, key id), the plain secret on read", async () => {
    const file = fresh();
    const box = createTotpBox(KEY_A);
    const id = await userWithTotp(file, box);
    const stored = column(file, id)!;
    expect(stored).toStartWith(`v1.${box.currentKid}.`);
    expect(stored).not.toContain(SECRET);
    const s = await openSqliteStorage({ file, durability: "normal", totpBox: box });
    expect((await s.users.credentialsById(id))?.totpSecret).toBe(SECRET);
    expect((await s.users.credentialsById(id))?.totpLastStep).toBe(7);
    await s.close();
    expect(() => box.open("someone-else", stored)).toThrow(FatalError); // bound to its user
  });

  test("a plaintext secret from before encryption is sealed at open, and still opens", async () => {
    const file = fresh();
    const id = await userWithTotp(file); // the old format: stored as given
    expect(column(file, id)).toBe(SECRET);
    const box = createTotpBox(KEY_A);
    const s = await openSqliteStorage({ file, durability: "normal", totpBox: box });
    expect(column(file, id)).toStartWith(`v1.${box.currentKid}.`);
    expect((await s.users.credentialsById(id))?.totpSecret).toBe(SECRET);
    await s.close();
  });

  test("after a rotation, rows under the retired key are re-sealed with the new one", async () => {
    const file = fresh();
    const id = await userWithTotp(file, createTotpBox(KEY_A));
    const rotated = createTotpBox(KEY_B, [KEY_A]);
    const s = await openSqliteStorage({ file, durability: "normal", totpBox: rotated });
    await s.close();
    expect(column(file, id)).toStartWith(`v1.${rotated.currentKid}.`);
    const onlyB = await openSqliteStorage({ file, durability: "normal", totpBox: createTotpBox(KEY_B) });
    expect((await onlyB.users.credentialsById(id))?.totpSecret).toBe(SECRET);
    await onlyB.close();
  });

  test("a secret under a key this server lacks refuses to open the database, and changes nothing", async () => {
    const file = fresh();
    const id = await userWithTotp(file, createTotpBox(KEY_A));
    const before = column(file, id);
    const err = await openSqliteStorage({ file, durability: "normal", totpBox: createTotpBox(KEY_B) }).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(FatalError);
    expect((err as Error).message).toContain("restore secrets/totp-key");
    expect(column(file, id)).toBe(before);
  });
});
