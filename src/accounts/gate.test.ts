import { expect, test } from "bun:test";
import { AppError } from "../errors.ts";
import { Gate } from "./gate.ts";

test("runs at most runningMax at once, queues waitingMax, refuses the rest with unavailable", async () => {
  const gate = new Gate(2, 3, "busy");
  let running = 0;
  let peak = 0;
  const releases: (() => void)[] = [];
  const job = () =>
    new Promise<number>((resolve) => {
      running += 1;
      peak = Math.max(peak, running);
      releases.push(() => {
        running -= 1;
        resolve(running);
      });
    });
  const results = Array.from({ length: 10 }, () => gate.run(job).then(() => "ok", (e: unknown) => (e as AppError).code));
  await Bun.sleep(0);
  expect(gate.active).toBe(2);
  expect(gate.queued).toBe(3);
  while (releases.length > 0 || gate.queued > 0) {
    releases.shift()?.();
    await Bun.sleep(0);
  }
  const codes = await Promise.all(results);
  expect(codes.filter((c) => c === "ok")).toHaveLength(5);
  expect(codes.filter((c) => c === "unavailable")).toHaveLength(5);
  expect(peak).toBe(2);
  expect(gate.started).toBe(5);
  expect(gate.active).toBe(0);
});

test("a failing job frees its slot", async () => {
  const gate = new Gate(1, 0, "busy");
  await expect(gate.run(async () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
  expect(await gate.run(async () => 7)).toBe(7);
  expect(gate.active).toBe(0);
});
