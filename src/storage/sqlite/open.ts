// Opening a SQLite file safely: refuse what is not a SQLite database before SQLite
// touches it, then set EVERY pragma we rely on explicitly and read each one back —
// Bun's build has its own defaults (e.g. synchronous=FULL in WAL), so nothing is assumed.
import { Database } from "bun:sqlite";
import { closeSync, existsSync, openSync, readSync, statSync } from "node:fs";
import { FatalError } from "../../errors.ts";
import { limits } from "../../limits.ts";

export type Durability = "normal" | "full";
const HEADER = "SQLite format 3\0";

/** FatalError unless `file` is absent, empty, or starts with the SQLite header. */
export function assertSqliteHeader(file: string): void {
  if (!existsSync(file)) return;
  const size = statSync(file).size;
  if (size === 0) return; // SQLite treats an empty file as a new database
  const buf = Buffer.alloc(16);
  const fd = openSync(file, "r");
  try {
    readSync(fd, buf, 0, 16, 0);
  } finally {
    closeSync(fd);
  }
  if (size < 100 || buf.toString("latin1") !== HEADER) {
    throw new FatalError(`${file} is not a SQLite database (bad header); refusing to touch it`);
  }
}

/** Opens without changing the file: only busy_timeout is set (it is per-connection). */
export function openRaw(file: string): Database {
  assertSqliteHeader(file);
  const db = new Database(file, { create: true, strict: true });
  db.run(`PRAGMA busy_timeout = ${limits.busyTimeoutMs}`);
  return db;
}

/** Every problem `PRAGMA quick_check` reports; FatalError when SQLite cannot even read it. */
export function quickCheck(db: Database, file: string): string[] {
  try {
    const rows = db.query("PRAGMA quick_check").values() as [string][];
    return rows.map((r) => r[0]).filter((r) => r !== "ok");
  } catch (e) {
    throw new FatalError(`${file} is not a readable SQLite database (${(e as Error).message}); refusing to touch it`);
  }
}

/** The pragmas Hearth runs with, set and verified; FatalError if SQLite disagrees. */
export function applyPragmas(db: Database, file: string, durability: Durability): void {
  const want = {
    busy_timeout: limits.busyTimeoutMs,
    journal_mode: "wal",
    synchronous: durability === "full" ? 2 : 1, // 1 NORMAL: survives process crashes; 2 FULL: also power loss
    foreign_keys: 1,
    cache_size: -limits.sqliteCacheKiB, // negative: KiB, not pages
    wal_autocheckpoint: limits.walAutocheckpointPages,
  } as const;
  db.run(`PRAGMA busy_timeout = ${want.busy_timeout}`);
  db.run("PRAGMA journal_mode = WAL");
  db.run(`PRAGMA synchronous = ${want.synchronous}`);
  db.run("PRAGMA foreign_keys = ON");
  db.run(`PRAGMA cache_size = ${want.cache_size}`);
  db.run(`PRAGMA wal_autocheckpoint = ${want.wal_autocheckpoint}`);
  for (const [name, value] of Object.entries(want)) {
    const got = readPragma(db, name);
    if (String(got).toLowerCase() !== String(value)) {
      throw new FatalError(`SQLite pragma ${name} is ${got}, expected ${value}, on ${file}`);
    }
  }
}

export function readPragma(db: Database, name: string): unknown {
  const row = db.query(`PRAGMA ${name}`).values()[0];
  return row?.[0];
}
