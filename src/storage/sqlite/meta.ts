import type { MetaStore } from "../port.ts";
import { vacuumInto } from "./backup.ts";
import { appliedHashes, type Migration } from "./migrate.ts";
import type { Ctx } from "./tx.ts";

export function metaStore(ctx: Ctx, known: readonly Migration[]): MetaStore {
  const { db, writer } = ctx;
  return {
    integrityCheck: async () => {
      const rows = db.query("PRAGMA integrity_check").values() as [string][];
      return rows.map((r) => r[0]).filter((r) => r !== "ok");
    },
    // Runs between write batches (never inside one); it blocks this process while it
    // copies — for a large database prefer backupFile() from another process (`hearth backup`).
    backupTo: async (path) => vacuumInto(db, path),
    schema: async () => ({ applied: appliedHashes(db).length, known: known.length }),
    pruneIdempotency: (olderThan) => writer.run((tx) => tx.query("DELETE FROM idempotency WHERE created_at < ?").run(olderThan).changes),
  };
}
