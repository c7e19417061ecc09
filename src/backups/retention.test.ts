import { describe, expect, test } from "bun:test";
import { seededRng } from "../../tests/support/seed.ts";
import { backupsToKeep, isoWeek } from "./retention.ts";

const DAY = 86_400_000;
const at = (iso: string) => Date.parse(iso);
const b = (iso: string) => ({ name: iso, at: at(iso) });

describe("backup retention: 7 daily + 4 weekly", () => {
  test("ISO weeks, across a year boundary", () => {
    expect(isoWeek(at("2026-12-02T12:00:00Z"))).toBe("2026-W49");
    expect(isoWeek(at("2026-12-28T00:00:00Z"))).toBe("2026-W53"); // 2026 has 53 weeks
    expect(isoWeek(at("2027-01-03T23:59:00Z"))).toBe("2026-W53"); // a Sunday: still 2026's last week
    expect(isoWeek(at("2027-01-04T00:00:00Z"))).toBe("2027-W01");
    expect(isoWeek(at("2024-12-30T00:00:00Z"))).toBe("2025-W01");
  });

  test("one backup a day for 60 days: the last 7 days plus the newest of 4 weeks", () => {
    const start = at("2026-10-01T03:30:00Z");
    const all = Array.from({ length: 60 }, (_, i) => ({ name: `d${i}`, at: start + i * DAY }));
    const kept = backupsToKeep(all, 7, 4);
    // 2026-11-29 (d59) is a Sunday: days d53..d59 are the dailies; the weeklies are the
    // newest of the weeks of d59 (already kept), d52 (Sun 11-22), d45 (11-15), d38 (11-08).
    expect(kept).toEqual(["d59", "d58", "d57", "d56", "d55", "d54", "d53", "d52", "d45", "d38"]);
  });

  test("many backups on one day: only the newest of that day counts as its daily", () => {
    const kept = backupsToKeep([b("2026-12-02T01:00:00Z"), b("2026-12-02T02:00:00Z"), b("2026-12-02T03:00:00Z"), b("2026-12-01T03:00:00Z")], 7, 4);
    expect(kept).toEqual(["2026-12-02T03:00:00Z", "2026-12-01T03:00:00Z"]);
  });

  test("days without a backup do not use up a daily slot; weekly 0 keeps dailies only", () => {
    const list = ["2026-11-02", "2026-11-09", "2026-11-16", "2026-11-30", "2026-12-01"].map((d) => b(`${d}T03:30:00Z`));
    expect(backupsToKeep(list, 2, 0)).toEqual(["2026-12-01T03:30:00Z", "2026-11-30T03:30:00Z"]);
    expect(backupsToKeep(list, 7, 0)).toHaveLength(5);
    expect(backupsToKeep(list, 1, 3)).toEqual(["2026-12-01T03:30:00Z", "2026-11-16T03:30:00Z", "2026-11-09T03:30:00Z"]);
  });

  test("random sets: the kept ones are exactly the newest per day (7) and per week (4)", () => {
    const rng = seededRng("backup retention");
    for (let round = 0; round < 200; round++) {
      const n = Math.floor(rng() * 80);
      const list = Array.from({ length: n }, (_, i) => ({ name: `b${i}`, at: at("2026-06-01T00:00:00Z") + Math.floor(rng() * 120 * DAY) }));
      const kept = new Set(backupsToKeep(list, 7, 4));
      const newest = (key: (t: number) => string) => {
        const m = new Map<string, { name: string; at: number }>();
        for (const x of list) if (!m.has(key(x.at)) || m.get(key(x.at))!.at < x.at) m.set(key(x.at), x);
        return [...m.values()].sort((p, q) => q.at - p.at);
      };
      const expected = new Set([...newest((t) => new Date(t).toISOString().slice(0, 10)).slice(0, 7), ...newest(isoWeek).slice(0, 4)].map((x) => x.name));
      expect(kept).toEqual(expected);
    }
  });
});
