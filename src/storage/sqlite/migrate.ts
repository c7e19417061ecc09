// Schema migrations, applied at start-up (and by `hearth migrate`).
//
// Why our own applier instead of drizzle's migrator: drizzle's reads a folder from disk
// and applies whatever is newer than the last timestamp. We need (1) migrations inlined
// in the executable (migrations.gen.ts), (2) to refuse a database that has migrations
// this binary does not know, untouched, (3) to take a backup before changing an existing
// database, and (4) a foreign-key check before commit. We keep drizzle's bookkeeping table
// `__drizzle_migrations` (same columns, same sha-256 hashes) so drizzle-kit tooling agrees.
import type { Database } from "bun:sqlite";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { FatalError } from "../../errors.ts";
import type { Logger } from "../../log/port.ts";
import { vacuumInto } from "./backup.ts";
import { migrations as bundledMigrations } from "./migrations.gen.ts";
import { applyPragmas, openRaw, quickCheck, type Durability } from "./open.ts";

export interface Migration {
  tag: string;
  when: number; // ms epoch from drizzle's journal; also the bookkeeping created_at
  hash: string; // sha-256 of the SQL file
  sql: string; // statements separated by "--> statement-breakpoint"
}

const TABLE = "__drizzle_migrations";

export function appliedHashes(db: Database): string[] {
  const exists = db.query("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(TABLE);
  if (!exists) return [];
  return (db.query(`SELECT hash FROM ${TABLE} ORDER BY created_at, id`).values() as [string][]).map((r) => r[0]);
}

/** Pending migrations, or FatalError if the database has ones this binary does not know. */
export function planMigrations(applied: string[], known: readonly Migration[], file: string): Migration[] {
  const knownHashes = new Set(known.map((m) => m.hash));
  const unknown = applied.filter((h) => !knownHashes.has(h));
  if (unknown.length > 0) {
    throw new FatalError(
      `${file} has ${unknown.length} schema migration(s) this Hearth version does not know (written by a newer version?); upgrade Hearth or restore a backup — database left untouched`,
    );
  }
  const done = new Set(applied);
  return known.filter((m) => !done.has(m.hash));
}

/** All pending migrations in ONE transaction; foreign keys are checked before commit. */
function applyMigrations(db: Database, pending: readonly Migration[]): void {
  // drizzle-kit's table rebuilds need foreign_keys OFF, which only works outside a transaction.
  db.run("PRAGMA foreign_keys = OFF");
  db.run("BEGIN IMMEDIATE");
  try {
    db.run(`CREATE TABLE IF NOT EXISTS ${TABLE} (id INTEGER PRIMARY KEY, hash text NOT NULL, created_at numeric)`);
    for (const m of pending) {
      for (const stmt of m.sql.split("--> statement-breakpoint")) {
        if (stmt.trim() !== "") db.run(stmt);
      }
      db.run(`INSERT INTO ${TABLE} (hash, created_at) VALUES (?, ?)`, [m.hash, m.when]);
    }
    const broken = db.query("PRAGMA foreign_key_check").all();
    if (broken.length > 0) throw new Error(`foreign key check failed after migration (${broken.length} rows)`);
    db.run("COMMIT");
  } catch (e) {
    db.run("ROLLBACK");
    throw e;
  } finally {
    db.run("PRAGMA foreign_keys = ON");
  }
}

function utcStamp(now = new Date()): string {
  return now.toISOString().replace(/[:.]/g, "-");
}

/** `base + ext`, or `base-2 + ext`, … : a backup never overwrites an older one. */
function freshPath(base: string, ext: string): string {
  let path = base + ext;
  for (let n = 2; existsSync(path); n++) path = `${base}-${n}${ext}`;
  return path;
}

export interface PrepareOpts {
  file: string;
  durability: Durability;
  migrations: readonly Migration[];
  log?: Logger;
}

/**
 * Applied migration hashes; FatalError if SQLite cannot read the schema or the file is
 * some other application's database (tables but no migration history).
 */
function schemaState(db: Database, file: string): string[] {
  try {
    const applied = appliedHashes(db);
    const tables = db.query("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table'").get() as { n: number };
    if (applied.length === 0 && tables.n > 0) {
      throw new FatalError(`${file} is a SQLite database but not Hearth's (no migration history); refusing to touch it`);
    }
    return applied;
  } catch (e) {
    if (e instanceof FatalError) throw e;
    throw new FatalError(`${file} is not a readable SQLite database (${(e as Error).message}); refusing to touch it`);
  }
}

/**
 * Opens `file`, refuses foreign/corrupt/newer databases without modifying them, sets the
 * pragmas, backs up an existing database before migrating it, applies pending migrations.
 *
 * The full page scan (quick_check) runs only before migrating: it costs ~1.4 s warm and
 * ~11 s cold per 300 MB here, too much for every start. Every start still refuses files
 * that are not SQLite, unreadable schemas and foreign databases; `hearth doctor` and
 * meta.integrityCheck() run the full check on demand.
 */
export function openAndMigrate(opts: PrepareOpts): { db: Database; applied: string[]; backup: string | null } {
  const db = openRaw(opts.file);
  try {
    const applied = schemaState(db, opts.file);
    const pending = planMigrations(applied, opts.migrations, opts.file);
    if (pending.length > 0 && applied.length > 0) {
      const problems = quickCheck(db, opts.file);
      if (problems.length > 0) {
        throw new FatalError(`${opts.file} failed its integrity check (${problems[0]}); restore a backup — database left untouched`);
      }
    }
    applyPragmas(db, opts.file, opts.durability);
    let backup: string | null = null;
    if (pending.length > 0 && applied.length > 0) {
      backup = freshPath(join(dirname(opts.file), "backups", `pre-migrate-${utcStamp()}`), ".sqlite");
      vacuumInto(db, backup);
      opts.log?.info("backed up database before migrating", { backup });
    }
    if (pending.length > 0) {
      applyMigrationsOrFail(db, pending, opts.file, backup);
      opts.log?.info("applied schema migrations", { migrations: pending.map((m) => m.tag) });
    }
    return { db, applied: pending.map((m) => m.tag), backup };
  } catch (e) {
    db.close();
    throw e;
  }
}

function applyMigrationsOrFail(db: Database, pending: readonly Migration[], file: string, backup: string | null): void {
  try {
    applyMigrations(db, pending);
  } catch (e) {
    const tags = pending.map((m) => m.tag).join(", ");
    const saved = backup ? `; a pre-migration copy is at ${backup}` : "";
    throw new FatalError(`migrating ${file} failed (${tags}): ${(e as Error).message}; nothing was changed${saved}`);
  }
}

/** For `hearth migrate`: apply pending migrations and close. */
export function migrate(opts: { file: string; durability?: Durability; migrations?: readonly Migration[]; log?: Logger }) {
  const migrations = opts.migrations ?? bundledMigrations;
  const { db, applied, backup } = openAndMigrate({ ...opts, durability: opts.durability ?? "normal", migrations });
  db.close();
  return { applied, backup };
}
