// When the next scheduled backup runs. Daily at backup.at (the server's local time), or
// every backup.intervalMs. A server that starts with no backup younger than one period
// (a new server, or one that was down at the hour) catches up soon after start; after a
// failure the next try comes within limits.backupRetryDelayMs.
import { FatalError } from "../errors.ts";
import { limits } from "../limits.ts";

export interface BackupSettings {
  enabled: boolean;
  dir: string; // resolved: never empty
  at: string; // "HH:MM"
  intervalMs: number; // 0: daily at `at`
  keepDaily: number;
  keepWeekly: number;
}

const DAY_MS = 24 * 60 * 60_000;
const HH_MM = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** FatalError naming the key for a setting the schema's types cannot express. */
export function checkSettings(s: BackupSettings): void {
  if (!HH_MM.test(s.at)) throw new FatalError(`backup.at "${s.at}" is not a time of day; accepted: HH:MM (00:00–23:59), e.g. 03:30`);
  if (s.intervalMs > 0 && s.intervalMs < 1000) throw new FatalError(`backup.intervalMs ${s.intervalMs} is too short; accepted: 0 (daily at backup.at) or at least 1000`);
}

export const periodMs = (s: BackupSettings) => (s.intervalMs > 0 ? s.intervalMs : DAY_MS);
export const describeSchedule = (s: BackupSettings) => (s.intervalMs > 0 ? `every ${s.intervalMs} ms` : `daily at ${s.at}`);

/** The next local `HH:MM` strictly after `now`. */
export function nextDailyAt(now: number, at: string): number {
  const [, hh, mm] = HH_MM.exec(at)!;
  const d = new Date(now);
  d.setHours(Number(hh), Number(mm), 0, 0);
  if (d.getTime() <= now) d.setDate(d.getDate() + 1); // setDate keeps the local time across DST
  return d.getTime();
}

/** When to run next, given the last good backup's time and whether the last run failed. */
export function nextRunAt(s: BackupSettings, now: number, lastGoodAt: number | null, lastFailed: boolean): number {
  const regular = s.intervalMs > 0 ? now + s.intervalMs : nextDailyAt(now, s.at);
  const overdue = lastGoodAt === null || now - lastGoodAt >= periodMs(s);
  let next = regular;
  if (overdue) next = Math.min(next, now + limits.backupCatchUpDelayMs);
  if (lastFailed) next = Math.min(next, now + limits.backupRetryDelayMs);
  return next;
}
