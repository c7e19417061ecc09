// Slots: at most runningMax at once, at most waitingMax waiting, the rest refused at once;
// a finished job hands its slot to the oldest waiter.
import { expect, test } from "bun:test";
import { Slots } from "./slots.ts";

test("running and waiting are bounded; beyond both a caller is refused without running", async () => {
  const slots = new Slots(2, 1);
  const gates: (() => void)[] = [];
  let running = 0;
  let peak = 0;
  const job = () =>
    slots.run(async () => {
      running++;
      peak = Math.max(peak, running);
      await new Promise<void>((r) => gates.push(r));
      running--;
      return "done";
    });
  const a = job();
  const b = job();
  const c = job(); // waits
  let refusedRan = false;
  const d = await slots.run(async () => (refusedRan = true));
  expect(d).toBeNull();
  expect(refusedRan).toBe(false);
  await Bun.sleep(0);
  expect(running).toBe(2);
  gates.shift()!(); // a finishes: c takes its slot
  expect(await a).toEqual({ value: "done" });
  await Bun.sleep(0);
  expect(running).toBe(2);
  for (const g of gates.splice(0)) g();
  await Bun.sleep(0);
  for (const g of gates.splice(0)) g();
  expect([await b, await c]).toEqual([{ value: "done" }, { value: "done" }]);
  expect(peak).toBe(2);
  expect(await slots.run(async () => 1)).toEqual({ value: 1 }); // all slots free again
});

test("a job that throws gives its slot back", async () => {
  const slots = new Slots(1, 0);
  await expect(slots.run(async () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
  expect(await slots.run(async () => "next")).toEqual({ value: "next" });
});
