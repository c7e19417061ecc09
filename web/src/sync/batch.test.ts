import { expect, test } from "vitest";
import { batcher } from "./batch.ts";

const turn = () => new Promise((r) => setTimeout(r, 0));

test("keys asked for in one turn go out together, in parts of at most max; the next turn starts a new batch", async () => {
  const parts: string[][] = [];
  const ask = batcher(3, (part) => parts.push(part));
  for (const k of ["a", "b", "c", "d", "e"]) ask(k);
  expect(parts).toEqual([]); // nothing within the turn
  await turn();
  expect(parts).toEqual([["a", "b", "c"], ["d", "e"]]);
  ask("f");
  await turn();
  expect(parts).toEqual([["a", "b", "c"], ["d", "e"], ["f"]]);
});
