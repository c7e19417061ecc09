import { describe, expect, test } from "vitest";
import { AUTO_DELETE_CHOICES, choicesWith, daysLabel, mergeNotices, type NoticeRow, noticeLines, secondsLabel } from "./retention.ts";

describe("retention labels", () => {
  test("durations: the menu's by name, others in seconds or days", () => {
    expect([30, 300, 3600, 86_400, 604_800, 5, 172_800].map(secondsLabel)).toEqual(["30 seconds", "5 minutes", "1 hour", "1 day", "1 week", "5 seconds", "2 days"]);
    expect([null, 1, 7, 30, 365].map(daysLabel)).toEqual(["Off", "1 day", "1 week", "30 days", "1 year"]);
    expect(secondsLabel(undefined)).toBe("Off");
  });

  test("an announcement says who changed what, one line per setting", () => {
    expect(noticeLines({ key: "k", at: 1, by: "u", disappearSeconds: 86_400 }, "Ada")).toEqual(["Ada set messages to disappear after 1 day"]);
    expect(noticeLines({ key: "k", at: 1, by: "u", disappearSeconds: null, autoDeleteDays: 30 }, "Bo")).toEqual([
      "Bo turned off disappearing messages",
      "Bo set messages older than 30 days to be deleted",
    ]);
    expect(noticeLines({ key: "k", at: 1, by: "u", autoDeleteDays: null }, "Cy")).toEqual(["Cy turned off auto-delete"]);
  });

  test("a value set elsewhere joins the choices, in order", () => {
    expect(choicesWith(AUTO_DELETE_CHOICES, 14)).toEqual([null, 1, 7, 14, 30, 90, 365]);
    expect(choicesWith(AUTO_DELETE_CHOICES, 7)).toBe(AUTO_DELETE_CHOICES);
  });
});

describe("mergeNotices", () => {
  const rows = [10, 20, 30].map((at) => ({ kind: "msg", at }));
  const n = (at: number) => ({ key: `n${at}`, at, by: "u", disappearSeconds: 30 });
  // message rows as their time, announcements as minus theirs
  const order = (out: ({ kind: string; at: number } | NoticeRow)[]) => out.map((r) => (r.kind === "notice" ? -(r as NoticeRow).notice.at : (r as { at: number }).at));

  test("placed among rows by time; after equal times", () => {
    expect(order(mergeNotices(rows, [n(20), n(35)], (r) => r.at, false))).toEqual([10, 20, -20, 30, -35]);
  });

  test("one older than the loaded rows shows only at the start of history", () => {
    expect(order(mergeNotices(rows, [n(5)], (r) => r.at, true))).toEqual([10, 20, 30]);
    expect(order(mergeNotices(rows, [n(5)], (r) => r.at, false))).toEqual([-5, 10, 20, 30]);
  });
});
