// Backups and restore. A backup is `VACUUM INTO`: one read transaction, so the copy is
// consistent even while the writer keeps committing (WAL readers see a snapshot), and
// the result is a compact single file. Restore never deletes anything: the current
// database is moved aside to `<db>.before-restore-<ts>`.
import { Database } from "bun:sqlite";
import { chmodSync, copyFileSync, existsSync, fsyncSync, mkdirSync, openSync, closeSync, renameSync, rmSync, statSync } from "node:fs";
import { dirname } from "node:path";
import { AppError, FatalError } from "../../errors.ts";
import { storeConflict } from "../errors.ts";
import { limits } from "../../limits.ts";
import { appliedHashes, planMigrations, type Migration } from "./migrate.ts";
import { migrations as bundledMigrations } from "./migrations.gen.ts";
import { assertSqliteHeader } from "./open.ts";

/** Consistent copy of `db` to `target` (must not exist). Removes a partial file on failure. */
export function vacuumInto(db: Database, target: string): { bytes: number } {
  if (existsSync(target)) throw storeConflict(`backup file ${target}`);
  mkdirSync(dirname(target), { recursive: true, mode: 0o700 });
  try {
    db.run("VACUUM INTO ?", [target]);
  } catch (e) {
    for (const f of [target, `${target}-journal`, `${target}-wal`]) rmSync(f, { force: true });
    const msg = (e as Error).message;
    const reason = /full/i.test(msg) ? "disk full" : msg;
    throw new AppError("unavailable", `Backup to ${target} failed: ${reason}; the partial file was removed`);
  }
  chmodSync(target, 0o600); // a copy of password hashes and token hashes: owner only
  return { bytes: statSync(target).size };
}

/**
 * Backup from a separate connection (e.g. `hearth backup` while the server runs).
 * Read-write, not read-only: only a read-write connection closing last removes the
 * -wal/-shm files it had to create.
 */
export function backupFile(dbFile: string, target: string): { bytes: number } {
  assertSqliteHeader(dbFile);
  const db = new Database(dbFile, { strict: true, create: false });
  try {
    db.run("PRAGMA busy_timeout = 5000");
    return vacuumInto(db, target);
  } finally {
    db.close();
  }
}

/** FatalError unless `file` is a sound SQLite database whose schema this binary knows. */
export function validateBackup(file: string, migrations: readonly Migration[] = bundledMigrations): void {
  if (!existsSync(file)) throw new FatalError(`Backup ${file} does not exist`);
  assertSqliteHeader(file);
  if (statSync(file).size === 0) throw new FatalError(`Backup ${file} is empty`);
  let db: Database;
  try {
    db = new Database(file, { readonly: true, strict: true });
  } catch (e) {
    throw new FatalError(`Backup ${file} cannot be opened: ${(e as Error).message}`);
  }
  try {
    const rows = db.query("PRAGMA integrity_check").values() as [string][];
    const bad = rows.map((r) => r[0]).filter((r) => r !== "ok");
    if (bad.length > 0) throw new FatalError(`Backup ${file} failed its integrity check: ${bad[0]}`);
    planMigrations(appliedHashes(db), migrations, `Backup ${file}`);
  } catch (e) {
    if (e instanceof FatalError) throw e;
    throw new FatalError(`Backup ${file} is not a readable SQLite database: ${(e as Error).message}`);
  } finally {
    db.close();
  }
}

/**
 * Holds an exclusive lock on `dbFile` (locking_mode=EXCLUSIVE + BEGIN EXCLUSIVE, no
 * busy wait): it fails while any other connection — a running server — has it open.
 * The checkpoint folds the WAL in, and DELETE journal mode means closing this
 * connection later deletes no `-wal` by name (it could belong to the restored file).
 */
function lockForRestore(dbFile: string): Database | null {
  const db = new Database(dbFile, { strict: true });
  try {
    db.run("PRAGMA busy_timeout = 0");
    db.run("PRAGMA locking_mode = EXCLUSIVE");
    db.run("BEGIN EXCLUSIVE");
    db.query("SELECT count(*) FROM sqlite_master").get();
    db.run("COMMIT");
  } catch (e) {
    db.close();
    if (/locked|busy/i.test((e as Error).message)) {
      throw new FatalError(`${dbFile} is in use (is the Hearth server running?); stop it before restoring`);
    }
    return null; // unreadable (corrupt) database: nothing can be serving it; just move it aside
  }
  db.run("PRAGMA wal_checkpoint(TRUNCATE)");
  db.run("PRAGMA journal_mode = DELETE");
  return db;
}

function hasSqliteHeader(file: string): boolean {
  try {
    assertSqliteHeader(file);
    return statSync(file).size > 0;
  } catch {
    return false;
  }
}

function copyDurably(from: string, to: string): void {
  copyFileSync(from, to);
  const fd = openSync(to, "r+");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Replaces `dbFile` with `backupFile`; returns where the previous database was moved. */
export function restoreDatabase(opts: { dbFile: string; backupFile: string; migrations?: readonly Migration[] }): { movedAside: string | null } {
  const { dbFile, backupFile } = opts;
  validateBackup(backupFile, opts.migrations);
  const tmp = `${dbFile}.restore-tmp-${process.pid}`;
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  const aside = `${dbFile}.before-restore-${stamp}`;
  const present = existsSync(dbFile);
  const lock = present && hasSqliteHeader(dbFile) ? lockForRestore(dbFile) : null;
  try {
    copyDurably(backupFile, tmp);
    if (present) {
      for (const suffix of ["", "-wal", "-shm"]) {
        if (existsSync(dbFile + suffix)) renameSync(dbFile + suffix, aside + suffix);
      }
    }
    renameSync(tmp, dbFile);
  } finally {
    rmSync(tmp, { force: true });
    lock?.close();
  }
  return { movedAside: present ? aside : null };
}

/** Rows per table (virtual tables skipped: their shadow tables are counted), by name. */
export function tableCounts(db: Database): Record<string, number> {
  const tables = db.query("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND sql NOT LIKE 'CREATE VIRTUAL TABLE%' ORDER BY name").values() as [string][];
  const out: Record<string, number> = {};
  for (const [name] of tables) out[name] = (db.query(`SELECT count(*) FROM "${name.replaceAll('"', '""')}"`).values() as [number][])[0]![0];
  return out;
}

/**
 * A consistent copy of `dbFile` to `target` with the row counts of the SAME snapshot.
 * VACUUM INTO cannot run inside a transaction, so a second connection holds the write
 * lock (BEGIN IMMEDIATE: no process can commit) while the first counts and copies; all
 * of it is synchronous, so this process's own writer cannot commit in between either.
 * Readers are not blocked (WAL); a writer in another process waits (busy timeout).
 */
export function snapshotWithCounts(dbFile: string, target: string): { bytes: number; counts: Record<string, number> } {
  assertSqliteHeader(dbFile);
  const lock = new Database(dbFile, { strict: true, create: false });
  const reader = new Database(dbFile, { strict: true, create: false });
  try {
    lock.run(`PRAGMA busy_timeout = ${limits.busyTimeoutMs}`);
    reader.run(`PRAGMA busy_timeout = ${limits.busyTimeoutMs}`);
    lock.run("BEGIN IMMEDIATE");
    try {
      const counts = tableCounts(reader);
      const { bytes } = vacuumInto(reader, target);
      return { bytes, counts };
    } finally {
      lock.run("ROLLBACK");
    }
  } finally {
    reader.close();
    lock.close();
  }
}

/**
 * Checks a written snapshot: it opens, `PRAGMA integrity_check` says ok, its schema is one
 * this binary knows, and every table has exactly the rows the source had at snapshot time.
 * Returns the first problem found, or null.
 */
export function verifySnapshot(file: string, expected: Record<string, number>): string | null {
  try {
    validateBackup(file);
  } catch (e) {
    return (e as Error).message;
  }
  let db: Database;
  try {
    db = new Database(file, { readonly: true, strict: true });
  } catch (e) {
    return `cannot open ${file}: ${(e as Error).message}`;
  }
  try {
    const got = tableCounts(db);
    for (const name of new Set([...Object.keys(expected), ...Object.keys(got)])) {
      if (got[name] !== expected[name]) return `table ${name} has ${got[name] ?? "no"} rows in the backup, ${expected[name] ?? "none"} in the source`;
    }
    return null;
  } catch (e) {
    return `cannot read ${file}: ${(e as Error).message}`;
  } finally {
    db.close();
  }
}
