import { Database } from "bun:sqlite";
import { resolveConfig } from "../../config/load.ts";
import { assertSqliteHeader } from "../../storage/sqlite/open.ts";
import type { Command } from "../command.ts";
import { databaseFile } from "../../config/paths.ts";
import { type CheckResult, type DoctorContext, fail, formatResult } from "./check.ts";
import { checks } from "./checks/index.ts";

/** One connection for all checks, opened read-write so closing it leaves no -wal/-shm behind. */
function lazyDb(file: string) {
  let db: Database | null = null;
  let error: unknown = null;
  return {
    get: (): Database => {
      if (db) return db;
      if (error) throw error;
      try {
        assertSqliteHeader(file);
        db = new Database(file, { readwrite: true, create: false, strict: true });
        return db;
      } catch (err) {
        error = err;
        throw err;
      }
    },
    close: () => db?.close(),
  };
}

export const doctorCommand: Command = {
  name: "doctor",
  summary: "Check the installation and print what is wrong and how to fix it",
  details: "Each line reads `ok|warn|FAIL  <check>: <detail>`. Exits 1 if any check FAILs, else 0.",
  examples: ["hearth doctor", "hearth doctor --config /etc/hearth.toml"],
  async run({ globals }) {
    const config = resolveConfig(globals);
    const db = lazyDb(databaseFile(config));
    const ctx: DoctorContext = { config, dataDir: config.data.dir, dbFile: databaseFile(config), db: db.get };
    let failed = false;
    try {
      for (const check of checks) {
        let results: CheckResult[];
        try {
          results = await check(ctx);
        } catch (err) {
          results = [fail("doctor", `a check crashed: ${(err as Error).message.split("\n")[0]}`)];
        }
        for (const r of results) {
          failed ||= r.status === "FAIL";
          process.stdout.write(`${formatResult(r)}\n`);
        }
      }
    } finally {
      db.close();
    }
    return failed ? 1 : 0;
  },
};
