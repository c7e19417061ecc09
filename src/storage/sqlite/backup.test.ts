// Backups (online, consistent, clean failure on a full disk) and restore (validated,
// never deletes, refuses while a server holds the database).
import { Database } from "bun:sqlite";
import { describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { AppError, FatalError } from "../../errors.ts";
import { backupFile, restoreDatabase } from "./backup.ts";
import { migrate } from "./migrate.ts";
import { openSqliteStorage } from "./storage.ts";
import { sha, spawnBun, tempDir, withFuture } from "./test-helpers.ts";

const STORAGE = join(import.meta.dir, "storage.ts");

/** Every queue head matches its events exactly: what a torn copy would break. */
function assertConsistent(file: string): number {
  const db = new Database(file, { readonly: true });
  try {
    expect(db.query("PRAGMA integrity_check").values()).toEqual([["ok"]]);
    const heads = db.query("SELECT q.last_event_id AS last, count(e.id) AS n, max(e.id) AS top FROM event_queues q LEFT JOIN events e USING (user_id) GROUP BY q.user_id").all() as { last: number; n: number; top: number }[];
    for (const h of heads) expect([h.n, h.top]).toEqual([h.last, h.last]);
    return heads.reduce((sum, h) => sum + h.n, 0);
  } finally {
    db.close();
  }
}

async function readLine(stream: ReadableStream<Uint8Array>): Promise<string> {
  const reader = stream.getReader();
  const { value } = await reader.read();
  reader.releaseLock();
  return new TextDecoder().decode(value);
}

function fatal(fn: () => unknown): FatalError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(FatalError);
    return e as FatalError;
  }
  throw new Error("expected a FatalError");
}

const users = Array.from({ length: 10 }, (_, i) => `u${i}`);
const burst = (s: Awaited<ReturnType<typeof openSqliteStorage>>, n: number) =>
  Array.from({ length: n }, (_, i) => s.events.append([{ to: users.filter((_, j) => (i + j) % 3 === 0), type: "t", data: { i, pad: "x".repeat(200) } }]));

describe("backup", () => {
  test("meta.backupTo while writes are queued gives a consistent copy", async () => {
    const t = tempDir();
    try {
      const s = await openSqliteStorage({ file: join(t.dir, "hearth.sqlite"), durability: "normal" });
      await Promise.all(burst(s, 200));
      const more = burst(s, 2000);
      await s.meta.backupTo(join(t.dir, "b.sqlite"));
      await Promise.all(more);
      expect(assertConsistent(join(t.dir, "b.sqlite"))).toBeGreaterThan(0);
      await s.close();
    } finally {
      t.done();
    }
  });

  test("a backup from another process while a server process keeps writing is consistent", async () => {
    const t = tempDir();
    const file = join(t.dir, "hearth.sqlite");
    const writer = spawnBun(t.dir, "writer.ts", `
      import { openSqliteStorage } from ${JSON.stringify(STORAGE)};
      const s = await openSqliteStorage({ file: ${JSON.stringify(file)}, durability: "normal" });
      const users = Array.from({ length: 10 }, (_, i) => "u" + i);
      let i = 0, announced = false;
      while (true) {
        await Promise.all(Array.from({ length: 100 }, () => { i++; return s.events.append([{ to: users.filter((_, j) => (i + j) % 3 === 0), type: "t", data: { i } }]); }));
        if (!announced) { console.log("writing"); announced = true; }
      }`);
    try {
      expect(await readLine(writer.stdout)).toContain("writing");
      for (let k = 0; k < 5; k++) {
        backupFile(file, join(t.dir, `b${k}.sqlite`));
        expect(assertConsistent(join(t.dir, `b${k}.sqlite`))).toBeGreaterThan(0);
        await Bun.sleep(20);
      }
    } finally {
      writer.kill();
      await writer.exited;
      t.done();
    }
  });

  test("a full disk fails the backup with a clear error and leaves no partial file", async () => {
    const t = tempDir();
    const small = join(t.dir, "small");
    mkdirSync(small);
    const mount = Bun.spawnSync(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", small]);
    expect(mount.exitCode).toBe(0);
    try {
      const s = await openSqliteStorage({ file: join(t.dir, "hearth.sqlite"), durability: "normal" });
      await Promise.all(burst(s, 2000)); // well over 256 KiB
      let caught: unknown;
      await s.meta.backupTo(join(small, "b.sqlite")).catch((e) => (caught = e));
      expect(caught).toBeInstanceOf(AppError);
      expect((caught as AppError).message).toMatch(/^Backup to .*b\.sqlite failed: disk full; the partial file was removed$/);
      expect(readdirSync(small)).toEqual([]);
      await s.events.append([{ to: ["u0"], type: "still", data: 1 }]); // the server carries on
      await s.close();
    } finally {
      Bun.spawnSync(["umount", small]);
      t.done();
    }
  });
});

test("writes on a full disk fail with unavailable; what committed stays readable and consistent", async () => {
  const t = tempDir();
  const small = join(t.dir, "small");
  mkdirSync(small);
  expect(Bun.spawnSync(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", small]).exitCode).toBe(0); // room for the migrated schema (it grows with every migration), then little more
  try {
    const s = await openSqliteStorage({ file: join(small, "hearth.sqlite"), durability: "normal" });
    let failure: unknown = null;
    for (let round = 0; round < 200 && failure === null; round++) {
      const results = await Promise.allSettled(burst(s, 20));
      failure = results.find((r) => r.status === "rejected")?.reason ?? null;
    }
    expect(failure).toBeInstanceOf(AppError);
    expect((failure as AppError).code).toBe("unavailable");
    for (const u of users) {
      const info = await s.events.queueInfo(u).catch(() => null);
      if (!info) continue; // a first-use queue id cannot be stored on a full disk
      const ids = (await s.events.readAfter(u, 0, 100_000)).map((e) => e.id);
      expect(ids).toEqual(Array.from({ length: info.lastEventId }, (_, k) => k + 1));
    }
    await s.close();
  } finally {
    Bun.spawnSync(["umount", small]);
    t.done();
  }
});

describe("restore", () => {
  async function dbWith(file: string, names: string[]) {
    const s = await openSqliteStorage({ file, durability: "normal" });
    for (const n of names) await s.users.create({ id: n, username: n, displayName: n, passwordHash: "h", role: "member", createdAt: 1 });
    await s.close();
  }
  const usernames = (file: string) => {
    const db = new Database(file, { readonly: true });
    const names = (db.query("SELECT username FROM users ORDER BY username").values() as [string][]).map((r) => r[0]);
    db.close();
    return names;
  };

  test("replaces the database with the backup and keeps the old one aside", async () => {
    const t = tempDir();
    try {
      const file = join(t.dir, "hearth.sqlite");
      await dbWith(file, ["alice"]);
      backupFile(file, join(t.dir, "b.sqlite"));
      await dbWith(file, ["bob"]);
      const { movedAside } = restoreDatabase({ dbFile: file, backupFile: join(t.dir, "b.sqlite") });
      expect(movedAside).toMatch(/hearth\.sqlite\.before-restore-.*Z$/);
      expect(usernames(file)).toEqual(["alice"]);
      expect(usernames(movedAside!)).toEqual(["alice", "bob"]);
      expect(readdirSync(t.dir).sort()).toEqual(["b.sqlite", "hearth.sqlite", movedAside!.split("/").pop()!].sort());
      const s = await openSqliteStorage({ file, durability: "normal" }); // and it serves again
      expect((await s.users.credentialsByUsername("ALICE"))?.id).toBe("alice");
      await s.close();
    } finally {
      t.done();
    }
  });

  test("refuses while a server process has the database open", async () => {
    const t = tempDir();
    const file = join(t.dir, "hearth.sqlite");
    await dbWith(file, ["alice"]);
    backupFile(file, join(t.dir, "b.sqlite"));
    const server = spawnBun(t.dir, "server.ts", `
      import { openSqliteStorage } from ${JSON.stringify(STORAGE)};
      const s = await openSqliteStorage({ file: ${JSON.stringify(file)}, durability: "normal" });
      console.log("open");
      setInterval(() => s.users.byId("alice"), 1000);`);
    try {
      expect(await readLine(server.stdout)).toContain("open");
      const err = fatal(() => restoreDatabase({ dbFile: file, backupFile: join(t.dir, "b.sqlite") }));
      expect(err.message).toMatch(/in use.*stop it before restoring/);
      expect(readdirSync(t.dir).some((f) => f.includes("before-restore") || f.includes("restore-tmp"))).toBe(false);
    } finally {
      server.kill();
      await server.exited;
      t.done();
    }
  });

  test("refuses a bad backup (not SQLite, corrupt, newer schema) and leaves the database untouched", async () => {
    const t = tempDir();
    try {
      const file = join(t.dir, "hearth.sqlite");
      await dbWith(file, ["alice"]);
      const before = sha(file);
      writeFileSync(join(t.dir, "text.sqlite"), "not a database".repeat(50));
      expect(fatal(() => restoreDatabase({ dbFile: file, backupFile: join(t.dir, "text.sqlite") })).message).toMatch(/not a SQLite database/);
      migrate({ file: join(t.dir, "newer.sqlite"), migrations: withFuture() });
      expect(fatal(() => restoreDatabase({ dbFile: file, backupFile: join(t.dir, "newer.sqlite") })).message).toMatch(/does not know/);
      await dbWith(join(t.dir, "bad.sqlite"), Array.from({ length: 200 }, (_, i) => `user${i}`));
      const bytes = await Bun.file(join(t.dir, "bad.sqlite")).bytes();
      bytes.fill(0x5a, bytes.length - 3000, bytes.length - 100);
      writeFileSync(join(t.dir, "bad.sqlite"), bytes);
      expect(fatal(() => restoreDatabase({ dbFile: file, backupFile: join(t.dir, "bad.sqlite") })).message).toMatch(/integrity|not a readable/);
      expect(fatal(() => restoreDatabase({ dbFile: file, backupFile: join(t.dir, "missing.sqlite") })).message).toMatch(/does not exist/);
      expect(sha(file)).toBe(before);
      expect(readdirSync(t.dir).some((f) => f.includes("before-restore"))).toBe(false);
    } finally {
      t.done();
    }
  });

  test("restores over a database that is not even SQLite any more, keeping it aside", async () => {
    const t = tempDir();
    try {
      const file = join(t.dir, "hearth.sqlite");
      await dbWith(join(t.dir, "b.sqlite"), ["alice"]);
      writeFileSync(file, "garbage".repeat(100));
      const { movedAside } = restoreDatabase({ dbFile: file, backupFile: join(t.dir, "b.sqlite") });
      expect(await Bun.file(movedAside!).text()).toBe("garbage".repeat(100));
      expect(usernames(file)).toEqual(["alice"]);
      expect(existsSync(file)).toBe(true);
    } finally {
      t.done();
    }
  });
});
