// The scheduler's own run on a real SQLite database: a snapshot that is damaged on its way
// to disk is caught by verification, removed, and reported; the next good run is kept.
import { Database } from "bun:sqlite";
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createLogger } from "../log/logger.ts";
import { createMetrics } from "../metrics/registry.ts";
import { snapshotWithCounts, verifySnapshot } from "../storage/sqlite/backup.ts";
import { migrate } from "../storage/sqlite/migrate.ts";
import { createBackupScheduler } from "./scheduler.ts";

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function setup() {
  const root = mkdtempSync(join(tmpdir(), "hearth-sched-"));
  dirs.push(root);
  const dbFile = join(root, "hearth.sqlite");
  migrate({ file: dbFile });
  const db = new Database(dbFile);
  db.run("INSERT INTO settings (key, value) VALUES ('a', '1'), ('b', '2')");
  return { root, dbFile, db };
}

const parts = (root: string, dbFile: string, snapshot = snapshotWithCounts) => ({
  settings: { enabled: true, dir: join(root, "backups"), at: "03:30", intervalMs: 60_000, keepDaily: 7, keepWeekly: 4 },
  dataDir: root,
  dbFile,
  log: createLogger({ level: "error", format: "json", stream: { write() {} } }),
  metrics: createMetrics(),
  now: Date.now,
  snapshot,
  verify: verifySnapshot,
});

describe("backup scheduler", () => {
  test("a snapshot damaged after writing fails verification and leaves nothing; a good one is kept with its manifest", async () => {
    const { root, dbFile, db } = setup();
    const damaging = (src: string, target: string) => {
      const r = snapshotWithCounts(src, target);
      const copy = new Database(target);
      copy.run("DELETE FROM settings WHERE key = 'b'"); // the copy lost a row on its way to disk
      copy.close();
      return r;
    };
    const bad = createBackupScheduler(parts(root, dbFile, damaging));
    const failed = await bad.runNow();
    expect(failed.ok).toBe(false);
    expect(failed.error).toBe("verification failed: table settings has 1 rows in the backup, 2 in the source");
    expect(readdirSync(join(root, "backups"))).toEqual(["blobs"]);
    expect(bad.status().lastSuccess).toBeNull();

    const good = createBackupScheduler(parts(root, dbFile));
    const ok = await good.runNow();
    expect(ok.ok).toBe(true);
    const files = readdirSync(join(root, "backups")).sort();
    expect(files).toEqual(["blobs", ok.name!, ok.name!.replace(".sqlite", ".json")].sort());
    const manifest = JSON.parse(readFileSync(join(root, "backups", ok.name!.replace(".sqlite", ".json")), "utf8"));
    expect(manifest.counts.settings).toBe(2);
    expect(good.status()).toMatchObject({ enabled: true, kept: 1, last: { ok: true }, lastSuccess: { name: ok.name } });

    // a new scheduler on the same directory knows the last good backup (a restarted server)
    const restarted = createBackupScheduler(parts(root, dbFile));
    expect(restarted.status().lastSuccess?.name).toBe(ok.name);
    db.close();
  });

  test("a bad backup.at or a too-short interval is refused with the key named", () => {
    const { root, dbFile, db } = setup();
    const p = parts(root, dbFile);
    expect(() => createBackupScheduler({ ...p, settings: { ...p.settings, at: "25:00" } })).toThrow(/backup.at "25:00" is not a time of day/);
    expect(() => createBackupScheduler({ ...p, settings: { ...p.settings, intervalMs: 10 } })).toThrow(/backup.intervalMs 10 is too short/);
    db.close();
  });
});
