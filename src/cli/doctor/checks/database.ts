import { existsSync } from "node:fs";
import type { Database } from "bun:sqlite";
import { appliedHashes, planMigrations } from "../../../storage/sqlite/migrate.ts";
import { migrations } from "../../../storage/sqlite/migrations.gen.ts";
import { type Check, type CheckResult, fail, ok, warn } from "../check.ts";

const errText = (err: unknown) => (err instanceof Error ? err.message : String(err)).split("\n")[0]!;

function integrity(db: Database): CheckResult {
  try {
    const rows = db.query("PRAGMA integrity_check").values() as [string][];
    const bad = rows.map((r) => r[0]).filter((r) => r !== "ok");
    return bad.length === 0
      ? ok("database integrity", "PRAGMA integrity_check: ok")
      : fail("database integrity", `${bad.length} problem(s), first: ${bad[0]}; restore a backup (hearth restore)`);
  } catch (err) {
    return fail("database integrity", `cannot check: ${errText(err)}`);
  }
}

function schemaState(db: Database, file: string): CheckResult {
  try {
    const applied = appliedHashes(db);
    const pending = planMigrations(applied, migrations, file);
    if (pending.length === 0) return ok("database schema", `${applied.length} migration(s) applied, up to date`);
    return warn("database schema", `${pending.length} migration(s) pending; applied at next start or by \`hearth migrate\``);
  } catch (err) {
    return fail("database schema", errText(err));
  }
}

function journalMode(db: Database): CheckResult {
  try {
    const mode = String((db.query("PRAGMA journal_mode").values()[0] ?? [])[0]);
    return mode === "wal"
      ? ok("database journal", "journal_mode wal")
      : fail("database journal", `journal_mode ${mode}, expected wal; start the server once to set it`);
  } catch (err) {
    return fail("database journal", `cannot read journal_mode: ${errText(err)}`);
  }
}

export const databaseCheck: Check = async (ctx) => {
  if (!existsSync(ctx.dbFile)) return [warn("database", `${ctx.dbFile} does not exist yet (created on first start)`)];
  let db: Database;
  try {
    db = ctx.db();
  } catch (err) {
    return [fail("database", errText(err))];
  }
  const first = integrity(db);
  if (first.status === "FAIL") return [ok("database", `${ctx.dbFile} opens`), first];
  return [ok("database", `${ctx.dbFile} opens`), first, schemaState(db, ctx.dbFile), journalMode(db)];
};
