// The group-commit writer on a real database file: batching, per-op isolation, commit
// failure, refusing async ops, the queue bound.
import { Database } from "bun:sqlite";
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { AppError } from "../../errors.ts";
import { tempDir } from "./test-helpers.ts";
import { Writer, type WriterLimits } from "./writer.ts";

let t: ReturnType<typeof tempDir>;
let db: Database;
const rows = () => (db.query("SELECT v FROM t ORDER BY v").values() as [number][]).map((r) => r[0]);
const insert = (v: number) => (tx: Database) => tx.query("INSERT INTO t (v) VALUES (?)").run(v).changes;
const make = (lim: Partial<WriterLimits> = {}) => new Writer(db, { windowMs: 1, batchOpsMax: 1000, queueOpsMax: 10_000, ...lim });

beforeEach(() => {
  t = tempDir();
  db = new Database(join(t.dir, "w.sqlite"), { strict: true });
  db.run("PRAGMA journal_mode = WAL");
  db.run("PRAGMA foreign_keys = ON");
  db.run("CREATE TABLE t (v INTEGER PRIMARY KEY)");
  // A deferred foreign key is checked only at COMMIT: the way to make COMMIT itself fail.
  db.run("CREATE TABLE parent (id INTEGER PRIMARY KEY)");
  db.run("CREATE TABLE child (pid INTEGER REFERENCES parent(id) DEFERRABLE INITIALLY DEFERRED)");
});
afterEach(() => {
  db.close();
  t.done();
});

describe("writer", () => {
  test("ops arriving together share one transaction, capped at batchOpsMax", async () => {
    const w = make({ batchOpsMax: 10 });
    await Promise.all(Array.from({ length: 25 }, (_, i) => w.run(insert(i))));
    expect(w.stats).toEqual({ batches: 3, ops: 25 });
    expect(rows().length).toBe(25);
    await Promise.all(Array.from({ length: 5 }, (_, i) => w.run(insert(100 + i))));
    expect(w.stats.batches).toBe(4);
  });

  test("a failing op rejects alone; the rest of its batch commits", async () => {
    const w = make();
    const results = await Promise.allSettled([w.run(insert(1)), w.run(insert(1)), w.run(insert(2))]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect(w.stats.batches).toBe(1);
    expect(rows()).toEqual([1, 2]);
  });

  test("a failing COMMIT rejects every op of the batch and keeps none of it", async () => {
    const w = make();
    const results = await Promise.allSettled([
      w.run(insert(1)),
      w.run((tx) => tx.query("INSERT INTO child (pid) VALUES (42)").run()),
      w.run(insert(2)),
    ]);
    expect(results.every((r) => r.status === "rejected")).toBe(true);
    const err = (results[0] as PromiseRejectedResult).reason as AppError;
    expect(err.code).toBe("unavailable");
    expect(err.message).toMatch(/write failed.*FOREIGN KEY/i);
    expect(rows()).toEqual([]);
    expect(db.inTransaction).toBe(false);
    await w.run(insert(3)); // the writer carries on
    expect(rows()).toEqual([3]);
  });

  test("an op that returns a Promise is refused and its writes are undone", async () => {
    const w = make();
    const asyncOp = (async (tx: Database) => insert(7)(tx)) as unknown as (tx: Database) => number;
    await expect(w.run(asyncOp)).rejects.toThrow(/must be synchronous/);
    expect(rows()).toEqual([]);
  });

  test("beyond queueOpsMax, writes fail fast with unavailable", async () => {
    const w = make({ queueOpsMax: 3 });
    const results = await Promise.allSettled([1, 2, 3, 4].map((v) => w.run(insert(v))));
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "fulfilled", "fulfilled", "rejected"]);
    expect(((results[3] as PromiseRejectedResult).reason as AppError).code).toBe("unavailable");
  });

  test("close commits what is queued, then refuses", async () => {
    const w = make();
    const pending = [w.run(insert(1)), w.run(insert(2))];
    await w.close();
    expect(await Promise.all(pending)).toEqual([1, 1]);
    expect(rows()).toEqual([1, 2]);
    await expect(w.run(insert(3))).rejects.toBeInstanceOf(AppError);
  });
});

describe("storage faults (what readiness reads)", () => {
  test("a constraint error is the data's fault: not recorded", async () => {
    const w = make();
    await w.run(insert(1));
    await expect(w.run(insert(1))).rejects.toThrow();
    expect(w.lastStorageFaultAt).toBe(0);
  });

  test("an op failing with a disk or file code is recorded; a batch failing for the data is not", async () => {
    const w = make();
    const before = Date.now();
    const full = Object.assign(new Error("database or disk is full"), { code: "SQLITE_FULL" });
    await expect(w.run(() => { throw full; })).rejects.toBe(full);
    expect(w.lastStorageFaultAt).toBeGreaterThanOrEqual(before);
    const ioerr = make();
    await expect(ioerr.run(() => { throw Object.assign(new Error("disk I/O error"), { code: "SQLITE_IOERR_WRITE" }); })).rejects.toThrow();
    expect(ioerr.lastStorageFaultAt).toBeGreaterThanOrEqual(before);
    const commit = make();
    await expect(commit.run((tx) => tx.query("INSERT INTO child (pid) VALUES (42)").run())).rejects.toThrow(); // COMMIT fails: a foreign key
    expect(commit.lastStorageFaultAt).toBe(0);
  });
});
