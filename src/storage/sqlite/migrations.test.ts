// The embedded schema history must match the migrations folder drizzle-kit writes,
// and each migration must apply cleanly on top of the previous ones.
import { expect, test } from "bun:test";
import { join } from "node:path";
import { GENERATED_FILE, renderMigrations } from "./gen-migrations.ts";
import { migrate } from "./migrate.ts";
import { migrations } from "./migrations.gen.ts";
import { tempDir } from "./test-helpers.ts";

test("migrations.gen.ts is up to date with migrations/sqlite (run gen-migrations.ts after db:generate)", async () => {
  expect(await Bun.file(GENERATED_FILE).text()).toBe(await renderMigrations());
});

test("migrations apply one release at a time, each upgrade backing up first", () => {
  const t = tempDir();
  try {
    const file = join(t.dir, "hearth.sqlite");
    for (let n = 1; n <= migrations.length; n++) {
      const { applied, backup } = migrate({ file, migrations: migrations.slice(0, n) });
      expect(applied).toEqual([migrations[n - 1]!.tag]);
      expect(backup === null).toBe(n === 1);
    }
  } finally {
    t.done();
  }
});
