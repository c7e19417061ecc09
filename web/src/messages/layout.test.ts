import { expect, test } from "vitest";
import type { WireMessage } from "../../../src/protocol/methods/chats.ts";
import { dayKey, lastEditable, layoutRows, mentionQuery } from "./layout.ts";

const base = new Date(2026, 0, 10, 12, 0).getTime();
const msg = (seq: number, sender: string, minutes: number, over: Partial<WireMessage> = {}): WireMessage => ({
  id: `m${seq}`, chatId: "c", seq, senderId: sender, clientId: null, text: "x", entities: [], replyToId: null, forward: null,
  silent: false, createdAt: base + minutes * 60_000, editedAt: null, deletedAt: null, ...over,
});

test("day separators and groups of consecutive messages by one sender", () => {
  const rows = layoutRows([msg(1, "a", 0), msg(2, "a", 1), msg(3, "b", 2), msg(4, "b", 20), msg(5, "b", 24 * 60)]);
  expect(rows.map((r) => (r.kind === "day" ? "day" : `${r.m.seq}${r.first ? "F" : ""}${r.last ? "L" : ""}`))).toEqual([
    "day", "1F", "2L", "3FL", "4FL", "day", "5FL",
  ]);
});

test("Up arrow edits your newest own message that is not deleted or forwarded", () => {
  const items = [msg(1, "me", 0), msg(2, "me", 1, { forward: { chatId: "x", messageId: "y", senderId: "z", at: 1 } }), msg(3, "other", 2)];
  expect(lastEditable(items, "me")?.seq).toBe(1);
  expect(lastEditable(items, "nobody")).toBeUndefined();
});

test("mention autocomplete sees the @word at the caret only", () => {
  expect(mentionQuery("hi @Bo", 6)).toEqual({ start: 3, query: "bo" });
  expect(mentionQuery("@", 1)).toEqual({ start: 0, query: "" });
  expect(mentionQuery("mail a@b", 8)).toBeNull();
  expect(mentionQuery("hi @bob there", 13)).toBeNull();
});

test("laying out again keeps the row objects of unchanged messages (the view re-creates only what changed)", () => {
  const items = [msg(1, "a", 0), msg(2, "a", 1)];
  const first = layoutRows(items);
  const edited = { ...items[1]!, text: "edited" };
  const again = layoutRows([msg(0, "a", -1), items[0]!, edited, msg(3, "b", 2)], first);
  const byKey = (rows: typeof first, key: string) => rows.find((r) => r.key === key);
  expect(byKey(again, "m2")).not.toBe(byKey(first, "m2")); // its message changed
  expect(byKey(again, "m1")).not.toBe(byKey(first, "m1")); // no longer first of its group
  const more = again.flatMap((r) => (r.kind === "msg" ? [r.m] : []));
  const third = layoutRows([...more, msg(4, "b", 3)], again);
  expect(byKey(third, `day-${dayKey(base)}`)).toBe(byKey(again, `day-${dayKey(base)}`));
  for (const key of ["m0", "m1", "m2"]) expect(byKey(third, key)).toBe(byKey(again, key));
  expect(byKey(third, "m3")).not.toBe(byKey(again, "m3")); // no longer the last of its group
});
