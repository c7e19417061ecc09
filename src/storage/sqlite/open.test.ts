// Adapter-specific start-up behaviour: pragmas, migrations with their pre-migration
// backup, and refusal of databases we must not touch (newer schema, not SQLite, corrupt).
import { Database } from "bun:sqlite";
import { describe, expect, test } from "bun:test";
import { existsSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { FatalError } from "../../errors.ts";
import { limits } from "../../limits.ts";
import { migrate, openAndMigrate } from "./migrate.ts";
import { migrations } from "./migrations.gen.ts";
import { readPragma } from "./open.ts";
import { openSqliteStorage } from "./storage.ts";
import { sha, tempDir, withFuture } from "./test-helpers.ts";

function expectFatal(fn: () => unknown, pattern: RegExp): FatalError {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(FatalError);
  const msg = (caught as FatalError).message;
  expect(msg).toMatch(pattern);
  expect(msg.includes("\n")).toBe(false); // one clear line
  return caught as FatalError;
}

describe("sqlite open", () => {
  test("every pragma is set explicitly: WAL, synchronous per durability, busy timeout, foreign keys", () => {
    const t = tempDir();
    try {
      for (const [durability, sync] of [["normal", 1], ["full", 2]] as const) {
        const { db } = openAndMigrate({ file: join(t.dir, `${durability}.sqlite`), durability, migrations });
        expect(readPragma(db, "journal_mode")).toBe("wal");
        expect(readPragma(db, "synchronous")).toBe(sync);
        expect(readPragma(db, "busy_timeout")).toBe(limits.busyTimeoutMs);
        expect(readPragma(db, "foreign_keys")).toBe(1);
        db.close();
      }
    } finally {
      t.done();
    }
  });

  test("close checkpoints and leaves only the database file", async () => {
    const t = tempDir();
    try {
      const file = join(t.dir, "hearth.sqlite");
      const s = await openSqliteStorage({ file, durability: "normal" });
      await s.events.append([{ to: ["u1"], type: "t", data: 1 }]);
      expect(await s.users.byId("nobody")).toBeNull();
      await s.close();
      expect(readdirSync(t.dir)).toEqual(["hearth.sqlite"]);
    } finally {
      t.done();
    }
  });

  test("a fresh database gets every migration and no pre-migration backup", async () => {
    const t = tempDir();
    try {
      const file = join(t.dir, "hearth.sqlite");
      expect(migrate({ file })).toEqual({ applied: migrations.map((m) => m.tag), backup: null });
      expect(existsSync(join(t.dir, "backups"))).toBe(false);
      expect(migrate({ file })).toEqual({ applied: [], backup: null }); // nothing pending
      const s = await openSqliteStorage({ file, durability: "normal" });
      expect(await s.meta.schema()).toEqual({ applied: migrations.length, known: migrations.length });
      await s.close();
    } finally {
      t.done();
    }
  });

  test("migrating an existing database first writes a consistent backup of it", async () => {
    const t = tempDir();
    try {
      const file = join(t.dir, "hearth.sqlite");
      const s = await openSqliteStorage({ file, durability: "normal" });
      await s.events.append([{ to: ["u1"], type: "kept", data: { n: 1 } }]);
      await s.close();
      const { applied, backup } = migrate({ file, migrations: withFuture() });
      expect(applied).toEqual(["9999_future"]);
      expect(backup).toMatch(/backups\/pre-migrate-\d{4}-\d\d-\d\dT[\d-]+Z\.sqlite$/);
      expect(readdirSync(join(t.dir, "backups")).length).toBe(1);
      expect(statSync(backup!).mode & 0o777).toBe(0o600);
      const old = new Database(backup!, { readonly: true });
      expect(old.query("SELECT count(*) AS n FROM events").get()).toEqual({ n: 1 });
      expect(old.query("SELECT name FROM sqlite_master WHERE name = 'future_things'").get()).toBeNull();
      old.close();
      const now = new Database(file, { readonly: true });
      expect(now.query("SELECT name FROM sqlite_master WHERE name = 'future_things'").get()).toEqual({ name: "future_things" });
      now.close();
    } finally {
      t.done();
    }
  });

  test("a failing migration is rolled back whole and reported in one line", () => {
    const t = tempDir();
    try {
      const file = join(t.dir, "hearth.sqlite");
      migrate({ file });
      const sql = "CREATE TABLE `ok_part` (`id` text);\n--> statement-breakpoint\nCREATE TABLE `users` (`id` text);";
      const broken = { tag: "9999_broken", when: Date.now(), hash: "broken", sql };
      expectFatal(() => migrate({ file, migrations: [...migrations, broken] }), /migrating .* failed \(9999_broken\).*already exists; nothing was changed; a pre-migration copy is at/);
      const db = new Database(file, { readonly: true });
      expect(db.query("SELECT name FROM sqlite_master WHERE name = 'ok_part'").get()).toBeNull();
      expect(db.query("SELECT count(*) AS n FROM __drizzle_migrations").get()).toEqual({ n: migrations.length });
      db.close();
    } finally {
      t.done();
    }
  });

  test("a database with migrations this binary does not know is refused and left byte-identical", async () => {
    const t = tempDir();
    try {
      const file = join(t.dir, "hearth.sqlite");
      migrate({ file, migrations: withFuture() });
      const before = sha(file);
      expectFatal(() => migrate({ file }), /does not know.*newer/);
      await expect(openSqliteStorage({ file, durability: "normal" })).rejects.toBeInstanceOf(FatalError);
      expect(sha(file)).toBe(before);
      expect(existsSync(join(t.dir, "backups"))).toBe(false);
    } finally {
      t.done();
    }
  });

  test("a file that is not SQLite is refused and left byte-identical", () => {
    const t = tempDir();
    try {
      const file = join(t.dir, "hearth.sqlite");
      writeFileSync(file, "this is a text file, not a database\n".repeat(20));
      const before = sha(file);
      expectFatal(() => migrate({ file }), /not a SQLite database/);
      expect(sha(file)).toBe(before);
      expect(readdirSync(t.dir)).toEqual(["hearth.sqlite"]);
    } finally {
      t.done();
    }
  });

  test("another application's SQLite database is refused and left byte-identical", () => {
    const t = tempDir();
    try {
      const file = join(t.dir, "hearth.sqlite");
      const other = new Database(file);
      other.run("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)");
      other.close();
      const before = sha(file);
      expectFatal(() => migrate({ file }), /not Hearth's/);
      expect(sha(file)).toBe(before);
    } finally {
      t.done();
    }
  });

  test("a SQLite file with corrupted pages is refused before migrating and left byte-identical", async () => {
    const t = tempDir();
    try {
      const file = join(t.dir, "hearth.sqlite");
      const s = await openSqliteStorage({ file, durability: "normal" });
      for (let i = 0; i < 50; i++) await s.events.append([{ to: [`u${i}`], type: "t", data: "x".repeat(500) }]);
      await s.close();
      const bytes = await Bun.file(file).bytes();
      bytes.fill(0xa5, 4096 * 2, 4096 * 2 + 3000); // scribble over an interior page
      writeFileSync(file, bytes);
      const before = sha(file);
      expectFatal(() => migrate({ file, migrations: withFuture() }), /integrity|not a readable/);
      expect(sha(file)).toBe(before);
    } finally {
      t.done();
    }
  });
});
