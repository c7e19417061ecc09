import { expect, test } from "vitest";
import { noticeOfEnd } from "./notice.ts";

test("an unanswered 1:1 call: the caller hears declined / no answer, the callee missed; nothing otherwise", () => {
  // u1 is me, u2 the other person of the direct chat
  expect(noticeOfEnd({ reason: "declined" }, "u1", "u1", "u2")).toEqual({ key: "callDeclinedBy", userId: "u2" });
  expect(noticeOfEnd({ reason: "declined" }, "u2", "u1", "u2")).toBeNull(); // I declined it myself
  expect(noticeOfEnd({ reason: "missed" }, "u1", "u1", "u2")).toEqual({ key: "callNoAnswer", userId: "u2" });
  expect(noticeOfEnd({ reason: "missed" }, "u2", "u1", "u2")).toEqual({ key: "callMissedFrom", userId: "u2" });
  expect(noticeOfEnd({ reason: "ended" }, "u1", "u1", "u2")).toBeNull();
  expect(noticeOfEnd({ reason: "missed" }, undefined, "u1", "u2")).toBeNull(); // unknown caller: say nothing wrong
});
