// Do-not-disturb: manual (until a time, or MUTE_FOREVER) or a weekly schedule in the
// user's IANA time zone. A period starts on one of `days` (0 = Sunday; empty = every
// day) at startMin and ends at endMin, the next day when endMin <= startMin
// (startMin === endMin: the whole day). Used by push policy and by presence (`dnd`).
import { invalidField } from "../errors.ts";
import { limits } from "../limits.ts";
import type { DndSchedule, NotifySettings } from "../storage/push-port.ts";

const WEEKDAYS: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };
const formats = new Map<string, Intl.DateTimeFormat>();
const FORMATS_MAX = 1000;

function format(tz: string): Intl.DateTimeFormat {
  let f = formats.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", { timeZone: tz, weekday: "short", hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
    if (formats.size >= FORMATS_MAX) formats.clear();
    formats.set(tz, f);
  }
  return f;
}

/** Local weekday (0 = Sunday) and minute of the day at `now` in `tz`. */
export function localTime(now: number, tz: string): { day: number; minute: number } {
  const parts = format(tz).formatToParts(now);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? "";
  return { day: WEEKDAYS[get("weekday")] ?? 0, minute: Number(get("hour")) * 60 + Number(get("minute")) };
}

export function validTimeZone(tz: string): boolean {
  try {
    format(tz);
    return true;
  } catch {
    return false;
  }
}

export function scheduleActive(s: DndSchedule, now: number): boolean {
  const { day, minute } = localTime(now, s.tz);
  const on = (d: number) => s.days.length === 0 || s.days.includes(d);
  if (s.startMin === s.endMin) return on(day);
  if (s.startMin < s.endMin) return on(day) && minute >= s.startMin && minute < s.endMin;
  return (on(day) && minute >= s.startMin) || (on((day + 6) % 7) && minute < s.endMin);
}

export function dndActive(n: NotifySettings, now: number): boolean {
  if (n.dnd.until !== null && n.dnd.until > now) return true;
  return n.dnd.schedule !== null && scheduleActive(n.dnd.schedule, now);
}

export function validateSchedule(s: DndSchedule | null): DndSchedule | null {
  if (!s) return null;
  if (s.tz.length > limits.notifyTzCharsMax || !validTimeZone(s.tz)) throw invalidField("dnd.schedule.tz", "not an IANA time zone");
  return { startMin: s.startMin, endMin: s.endMin, days: [...new Set(s.days)].sort(), tz: s.tz };
}
