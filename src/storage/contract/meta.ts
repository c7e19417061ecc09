import { describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { addUser, expectCode, type GetStorage } from "./fixtures.ts";

export function metaContract(get: GetStorage): void {
  describe("meta", () => {
    test("ready, integrity check and schema of a fresh store", async () => {
      const s = get();
      expect(await s.ready()).toBe(true);
      expect(await s.meta.integrityCheck()).toEqual([]);
      const schema = await s.meta.schema();
      expect(schema.applied).toBeGreaterThan(0);
      expect(schema.applied).toBe(schema.known);
    });

    test("backupTo writes a new file and refuses an existing one", async () => {
      const s = get();
      await addUser(s);
      const dir = mkdtempSync(join(tmpdir(), "hearth-contract-"));
      try {
        const target = join(dir, "backup.db");
        const { bytes } = await s.meta.backupTo(target);
        expect(bytes).toBeGreaterThan(0);
        expect(existsSync(target)).toBe(true);
        await expectCode(s.meta.backupTo(target), "conflict");
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    test("pruneIdempotency forgets old results, so the key acts again", async () => {
      const s = get();
      const u = await addUser(s);
      const key = { userId: u.id, key: "k", method: "events.append" };
      await s.users.updateProfile(u.id, { bio: "1" }, { idempotency: key });
      expect(await s.meta.pruneIdempotency(0)).toBe(0);
      expect((await s.users.updateProfile(u.id, { bio: "2" }, { idempotency: key })).replayed).toBe(true);
      expect(await s.meta.pruneIdempotency(Date.now() + 60_000)).toBe(1);
      expect((await s.users.updateProfile(u.id, { bio: "3" }, { idempotency: key })).value.bio).toBe("3");
    });
  });
}
