import { expect, test } from "bun:test";
import { TokenBucket, burstFor } from "./ratelimit.ts";

test("a bucket allows its burst, then answers the wait until the next token", () => {
  const b = new TokenBucket(10, 3, 0);
  expect([b.take(0), b.take(0), b.take(0)]).toEqual([0, 0, 0]);
  expect(b.take(0)).toBe(100);
  expect(b.take(50)).toBe(50);
  expect(b.take(100)).toBe(0);
  expect(b.full(10_000)).toBe(true);
});

test("burst is two seconds of rate, within the global bound", () => {
  expect(burstFor(5, 100)).toBe(10);
  expect(burstFor(500, 100)).toBe(100);
});
