// Which scheduled backups to keep: the newest backup of each of the `daily` most recent
// days that have one, and the newest of each of the `weekly` most recent ISO weeks that
// have one (the two sets overlap; the union is kept). Days and weeks are UTC, so the
// choice does not move with the server's time zone or daylight saving. Pure: the
// scheduler deletes what this does not return.

export interface Dated {
  name: string;
  at: number; // ms epoch, when the backup's snapshot was taken
}

const dayOf = (at: number) => new Date(at).toISOString().slice(0, 10);

/** ISO 8601 week, e.g. "2026-W49" (weeks start on Monday; week 1 holds the year's first Thursday). */
export function isoWeek(at: number): string {
  const d = new Date(at);
  const day = (d.getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
  const thursday = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() - day + 3);
  const year = new Date(thursday).getUTCFullYear();
  const week = 1 + Math.floor((thursday - Date.UTC(year, 0, 1)) / (7 * 86_400_000));
  return `${year}-W${String(week).padStart(2, "0")}`;
}

function newestPerBucket(sorted: readonly Dated[], bucket: (at: number) => string, count: number): string[] {
  const kept: string[] = [];
  let last: string | null = null;
  for (const b of sorted) {
    if (kept.length >= count) break;
    const key = bucket(b.at);
    if (key === last) continue;
    kept.push(b.name);
    last = key;
  }
  return kept;
}

/** The names to keep, newest first. */
export function backupsToKeep(backups: readonly Dated[], daily: number, weekly: number): string[] {
  const sorted = [...backups].sort((a, b) => b.at - a.at || (a.name < b.name ? 1 : -1));
  const keep = new Set([...newestPerBucket(sorted, dayOf, daily), ...newestPerBucket(sorted, isoWeek, weekly)]);
  return sorted.filter((b) => keep.has(b.name)).map((b) => b.name);
}
