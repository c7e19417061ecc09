// The schema must travel inside the single executable: compile a tiny entry that opens
// a fresh database through openSqliteStorage, run it from an empty directory (no
// migrations folder anywhere near it), and check the tables exist.
import { Database } from "bun:sqlite";
import { expect, test } from "bun:test";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { migrations } from "./migrations.gen.ts";
import { tempDir } from "./test-helpers.ts";

test("a `bun build --compile` executable creates and migrates a fresh database", async () => {
  const t = tempDir();
  try {
    const entry = join(t.dir, "entry.ts");
    await Bun.write(
      entry,
      `import { openSqliteStorage } from ${JSON.stringify(join(import.meta.dir, "storage.ts"))};
       const s = await openSqliteStorage({ file: process.argv[2]!, durability: "normal" });
       console.log(JSON.stringify(await s.meta.schema()));
       await s.close();`,
    );
    const exe = join(t.dir, "hearth-db-probe");
    const build = Bun.spawnSync([process.execPath, "build", "--compile", entry, "--outfile", exe], { stderr: "pipe" });
    expect(build.stderr.toString()).not.toMatch(/error/i);
    expect(build.exitCode).toBe(0);
    const run = join(t.dir, "empty");
    mkdirSync(run);
    const out = Bun.spawnSync([exe, join(run, "hearth.sqlite")], { cwd: run, stdout: "pipe", stderr: "pipe" });
    expect(out.stderr.toString()).toBe("");
    expect(JSON.parse(out.stdout.toString())).toEqual({ applied: migrations.length, known: migrations.length });
    const db = new Database(join(run, "hearth.sqlite"), { readonly: true });
    const tables = (db.query("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").values() as [string][]).map((r) => r[0]);
    db.close();
    expect(tables).toEqual(expect.arrayContaining(["__drizzle_migrations", "users", "sessions", "refresh_tokens", "events", "event_queues", "idempotency", "invites", "settings"]));
  } finally {
    t.done();
  }
}, 60_000);
