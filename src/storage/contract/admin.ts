// Contract of the admin console's store: IP blocks (expired ones leave the list and are
// dropped before the bound is checked; one CIDR once) and the audit log (newest first,
// paged by id, bounded by count and age in the write that appends).
import { describe, expect, test } from "bun:test";
import type { IpBlock } from "../admin-port.ts";
import { expectCode, type GetStorage } from "./fixtures.ts";

const block = (id: string, cidr: string, expiresAt: number | null = null): IpBlock => ({ id, cidr, note: "n", createdBy: null, createdAt: 1000, expiresAt });
const entry = (at: number, action: string) => ({ at, actorId: null, actorName: "cli", action, target: "t", detail: "" });

export function adminContract(get: GetStorage): void {
  describe("admin store", () => {
    test("IP blocks: read back while in force, one per CIDR, bounded after expired ones are dropped, removable", async () => {
      const s = get();
      await s.admin.addIpBlock(block("b1", "203.0.113.0/24", 5000), 2, 1000);
      await s.admin.addIpBlock(block("b2", "2001:db8::/32"), 2, 1000);
      expect((await s.admin.ipBlocks(1000)).map((b) => b.id).sort()).toEqual(["b1", "b2"]);
      expect((await s.admin.ipBlocks(5000)).map((b) => b.id)).toEqual(["b2"]);
      await expectCode(s.admin.addIpBlock(block("b3", "2001:db8::/32"), 5, 1000), "conflict");
      await expectCode(s.admin.addIpBlock(block("b3", "198.51.100.7/32"), 2, 1000), "limit_exceeded");
      await s.admin.addIpBlock(block("b3", "198.51.100.7/32"), 2, 6000); // b1 has expired: room again
      expect(await s.admin.removeIpBlock("b2")).toBe(true);
      expect(await s.admin.removeIpBlock("b2")).toBe(false);
      expect((await s.admin.ipBlocks(6000)).map((b) => b.id)).toEqual(["b3"]);
    });

    test("audit: newest first, paged by id, bounded by count and age on every write", async () => {
      const s = get();
      for (let i = 1; i <= 4; i++) await s.admin.audit(entry(1000 + i, `a${i}`), { keepMax: 100, olderThan: 0 });
      const page = await s.admin.auditPage({ limit: 2 });
      expect(page.map((e) => e.action)).toEqual(["a4", "a3"]);
      expect((await s.admin.auditPage({ beforeId: page[1]!.id, limit: 10 })).map((e) => e.action)).toEqual(["a2", "a1"]);
      await s.admin.audit(entry(1005, "a5"), { keepMax: 3, olderThan: 0 });
      expect((await s.admin.auditPage({ limit: 10 })).map((e) => e.action)).toEqual(["a5", "a4", "a3"]);
      await s.admin.audit(entry(2000, "a6"), { keepMax: 100, olderThan: 1005 });
      expect((await s.admin.auditPage({ limit: 10 })).map((e) => e.action)).toEqual(["a6", "a5"]);
    });
  });
}
