// A clock far off breaks token expiry and message order. Two cheap signs: a year
// before Hearth existed, and "now" earlier than something already stored.
import type { Database } from "bun:sqlite";
import { type Check, type CheckResult, fail, ok } from "../check.ts";

const YEAR_MIN = 2025;

/** Newest stored millisecond timestamp, from small or indexed columns only; null if none. */
function newestStored(db: Database): number | null {
  let newest: number | null = null;
  for (const sql of ["SELECT max(created_at) FROM users", "SELECT max(at) FROM events"]) {
    try {
      const v = (db.query(sql).values()[0] ?? [])[0];
      if (typeof v === "number" && (newest === null || v > newest)) newest = v;
    } catch {
      // table absent (older or empty schema): nothing to compare with
    }
  }
  return newest;
}

export const clockCheck: Check = async (ctx) => {
  const now = Date.now();
  const iso = new Date(now).toISOString();
  if (new Date(now).getUTCFullYear() < YEAR_MIN) {
    return [fail("clock", `system time is ${iso}, before ${YEAR_MIN}; fix the clock (NTP)`)];
  }
  let db: Database | null = null;
  try {
    db = ctx.db();
  } catch {
    // unreadable database: the database check reports it
  }
  const newest = db ? newestStored(db) : null;
  const results: CheckResult[] = [];
  if (newest !== null && newest > now) {
    results.push(fail("clock", `system time ${iso} is earlier than data already stored (${new Date(newest).toISOString()}); fix the clock (NTP)`));
  } else {
    results.push(ok("clock", `${iso}${newest !== null ? ", after the newest stored data" : ""}`));
  }
  return results;
};
