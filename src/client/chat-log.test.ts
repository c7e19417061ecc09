// The per-chat sequencing rule on its own: next applies, duplicates drop, a jump is held
// and asked for once, a bounded hold, left chats take nothing, and resume lists member
// chats most recently changed first.
import { expect, test } from "bun:test";
import { ChatLogPositions } from "./chat-log.ts";

const ev = (...ps: number[]) => ps.map((pos) => ({ pos, type: "x.happened", data: pos, at: 1 }));
const poss = (s: { apply: { pos: number }[] }) => s.apply.map((e) => e.pos);

test("pos = held + 1 applies, pos ≤ held is dropped", () => {
  const c = new ChatLogPositions(10);
  c.seed([{ chatId: "a", pos: 3 }]);
  expect(poss(c.receive("a", ev(2, 3, 4, 5)))).toEqual([4, 5]);
  expect(poss(c.receive("a", ev(5)))).toEqual([]);
  expect(c.pos("a")).toBe(5);
});

test("a jump is held, asked for once, and applied after the difference in order", () => {
  const c = new ChatLogPositions(10);
  c.seed([{ chatId: "a", pos: 1 }]);
  const s1 = c.receive("a", ev(4));
  expect(poss(s1)).toEqual([]);
  expect(s1.askFrom).toBe(1);
  const s2 = c.receive("a", ev(5, 6));
  expect(s2.askFrom).toBeNull(); // already asking: never twice
  expect(c.pos("a")).toBe(1);
  // the difference brings 2..4 (4 again, harmless): then the held 5, 6 follow
  expect(poss(c.receive("a", ev(2, 3, 4)))).toEqual([2, 3, 4, 5, 6]);
  expect(c.answered("a").askFrom).toBeNull();
  expect(c.pos("a")).toBe(6);
});

test("a difference that stops short leaves the gap open: answered() asks again from there", () => {
  const c = new ChatLogPositions(10);
  c.seed([{ chatId: "a", pos: 0 }]);
  expect(c.receive("a", ev(9)).askFrom).toBe(0);
  expect(poss(c.receive("a", ev(1, 2, 3)))).toEqual([1, 2, 3]);
  expect(c.answered("a").askFrom).toBe(3);
});

test("a reset moves the position; held changes after it apply, older ones go", () => {
  const c = new ChatLogPositions(10);
  c.seed([{ chatId: "a", pos: 1 }]);
  c.receive("a", ev(50, 101, 102));
  expect(poss(c.reset("a", 100))).toEqual([101, 102]);
  expect(c.pos("a")).toBe(100 + 2);
});

test("more held changes than the bound is an overflow (the client resumes instead)", () => {
  const c = new ChatLogPositions(3);
  c.seed([{ chatId: "a", pos: 0 }]);
  expect(c.receive("a", ev(5, 6, 7)).overflow).toBe(false);
  expect(c.receive("a", ev(8)).overflow).toBe(true);
  c.dropHeld();
  expect(c.receive("a", ev(1)).apply.length).toBe(1);
});

test("an unknown chat starts where its first change is; a left chat takes nothing until joined again", () => {
  const c = new ChatLogPositions(10);
  expect(poss(c.receive("n", ev(7, 8)))).toEqual([7, 8]);
  c.left("n", 9);
  expect(poss(c.receive("n", ev(9, 10)))).toEqual([]);
  expect(c.list(10)).toEqual([]);
  expect(poss(c.joined("n", 20))).toEqual([]);
  expect(poss(c.receive("n", ev(20, 21)))).toEqual([21]);
});

test("joined at an older pos than held changes nothing; joined past a held change applies it", () => {
  const c = new ChatLogPositions(10);
  c.seed([{ chatId: "a", pos: 5 }]);
  c.joined("a", 3);
  expect(c.pos("a")).toBe(5);
  c.left("a", 5);
  c.joined("a", 8);
  expect(poss(c.receive("a", ev(10)))).toEqual([]);
  expect(poss(c.receive("a", ev(9)))).toEqual([9, 10]);
});

test("resume lists member chats, most recently changed first, at most max", () => {
  const c = new ChatLogPositions(10);
  c.seed([{ chatId: "a", pos: 1 }, { chatId: "b", pos: 1 }, { chatId: "c", pos: 1 }]);
  c.receive("a", ev(2));
  c.left("b", 1);
  expect(c.list(10)).toEqual([{ chatId: "a", pos: 2 }, { chatId: "c", pos: 1 }]);
  expect(c.list(1)).toEqual([{ chatId: "a", pos: 2 }]);
});
