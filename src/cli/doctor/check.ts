// A doctor check is a small async function that looks at one thing and reports one or
// more lines. Checks never throw: an unexpected error is reported as a FAIL line, so
// one broken check cannot hide the others.
import type { Database } from "bun:sqlite";
import type { Config } from "../../config/schema.ts";

export type Status = "ok" | "warn" | "FAIL";

export interface CheckResult {
  status: Status;
  check: string;
  detail: string;
}

export interface DoctorContext {
  config: Config;
  dataDir: string;
  dbFile: string;
  /** The database, opened once for every check that reads it; throws if absent or unreadable. */
  db(): Database;
}

export type Check = (ctx: DoctorContext) => Promise<CheckResult[]>;

export const ok = (check: string, detail: string): CheckResult => ({ status: "ok", check, detail });
export const warn = (check: string, detail: string): CheckResult => ({ status: "warn", check, detail });
export const fail = (check: string, detail: string): CheckResult => ({ status: "FAIL", check, detail });

export { modeText } from "../data-dir.ts";

export function formatResult(r: CheckResult): string {
  return `${r.status.padEnd(4)}  ${r.check}: ${r.detail}`;
}
