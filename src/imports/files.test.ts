import { expect, test } from "bun:test";
import { KeyedMutex } from "../media/mutex.ts";
import { HeldLocks } from "./files.ts";

test("held blob locks keep the GC's critical section for that blob waiting until they are released together", async () => {
  const locks = new KeyedMutex();
  const held = new HeldLocks(locks);
  await held.hold("a");
  await held.hold("a"); // held already: no wait on itself
  await held.hold("b");
  const order: string[] = [];
  const gcA = locks.run("a", async () => void order.push("gc a"));
  const other = locks.run("c", async () => void order.push("gc c")); // another blob is not held up
  await other;
  expect(order).toEqual(["gc c"]);
  order.push("commit");
  held.releaseAll();
  await gcA;
  expect(order).toEqual(["gc c", "commit", "gc a"]);
});
