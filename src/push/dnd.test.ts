import { expect, test } from "bun:test";
import { localTime, scheduleActive, validTimeZone } from "./dnd.ts";

// 2026-12-02 is a Wednesday. 21:30 UTC = 22:30 in Berlin (UTC+1 in winter).
const at = (iso: string) => Date.parse(iso);

test("local time follows the zone", () => {
  expect(localTime(at("2026-12-02T21:30:00Z"), "Europe/Berlin")).toEqual({ day: 3, minute: 22 * 60 + 30 });
  expect(localTime(at("2026-12-02T21:30:00Z"), "Asia/Tokyo")).toEqual({ day: 4, minute: 6 * 60 + 30 });
});

test("a night schedule spans midnight and belongs to the day it starts", () => {
  const night = { startMin: 22 * 60, endMin: 7 * 60, days: [3], tz: "Europe/Berlin" }; // Wednesday night only
  expect(scheduleActive(night, at("2026-12-02T21:30:00Z"))).toBe(true); // Wed 22:30
  expect(scheduleActive(night, at("2026-12-03T05:00:00Z"))).toBe(true); // Thu 06:00, from Wednesday
  expect(scheduleActive(night, at("2026-12-03T06:30:00Z"))).toBe(false); // Thu 07:30
  expect(scheduleActive(night, at("2026-12-03T21:30:00Z"))).toBe(false); // Thu 22:30: not a listed day
  expect(scheduleActive({ ...night, days: [] }, at("2026-12-03T21:30:00Z"))).toBe(true);
});

test("a daytime schedule; equal start and end is the whole day", () => {
  const work = { startMin: 9 * 60, endMin: 17 * 60, days: [1, 2, 3, 4, 5], tz: "UTC" };
  expect(scheduleActive(work, at("2026-12-02T10:00:00Z"))).toBe(true);
  expect(scheduleActive(work, at("2026-12-02T17:00:00Z"))).toBe(false);
  expect(scheduleActive(work, at("2026-12-06T10:00:00Z"))).toBe(false); // Sunday
  expect(scheduleActive({ startMin: 0, endMin: 0, days: [0], tz: "UTC" }, at("2026-12-06T23:59:00Z"))).toBe(true);
});

test("time zones are validated", () => {
  expect(validTimeZone("America/New_York")).toBe(true);
  expect(validTimeZone("Mars/Olympus")).toBe(false);
  expect(validTimeZone("")).toBe(false);
});
