import { describe, expect, test } from "bun:test";
import { AppError } from "../errors.ts";
import { Throttle, accountKey, reserveLogin } from "./throttle.ts";

const one = (key: string, limit: number) => [{ key, limit }];
const waitOf = (r: ReturnType<Throttle["reserve"]>) => ("retryAfterMs" in r ? r.retryAfterMs : 0);

describe("attempt throttle", () => {
  test("reserves `limit` attempts, then reports the rest of the window", () => {
    const t = new Throttle(1000, 100);
    for (let i = 0; i < 3; i++) expect(waitOf(t.reserve(one("k", 3), 100))).toBe(0);
    expect(waitOf(t.reserve(one("k", 3), 100))).toBe(1000);
    expect(waitOf(t.reserve(one("k", 3), 600))).toBe(500);
    expect(waitOf(t.reserve(one("k", 3), 1100))).toBe(0); // window over
    expect(waitOf(t.reserve(one("other", 3), 600))).toBe(0);
  });

  test("reservations count at once: in-flight attempts fill the budget before any finishes", () => {
    const t = new Throttle(1000, 100);
    const held = Array.from({ length: 200 }, () => t.reserve(one("k", 10), 0)).filter((r) => "held" in r);
    expect(held).toHaveLength(10);
  });

  test("a released reservation frees its slot, but not in a later window", () => {
    const t = new Throttle(1000, 100);
    const first = t.reserve(one("k", 1), 0);
    expect(waitOf(t.reserve(one("k", 1), 0))).toBeGreaterThan(0);
    t.release(("held" in first ? first.held : [])[0]!);
    const again = t.reserve(one("k", 1), 10);
    expect("held" in again).toBe(true);
    // a reservation from an earlier window does not free a slot in the new one
    t.reserve(one("k", 1), 1000);
    t.release(("held" in again ? again.held : [])[0]!);
    expect(waitOf(t.reserve(one("k", 1), 1000))).toBeGreaterThan(0);
  });

  test("several budgets are reserved together or not at all", () => {
    const t = new Throttle(1000, 100);
    t.reserve(one("b", 1), 0);
    expect(waitOf(t.reserve([{ key: "a", limit: 5 }, { key: "b", limit: 1 }], 0))).toBe(1000);
    // "a" was not counted by the refused pair
    for (let i = 0; i < 5; i++) expect(waitOf(t.reserve(one("a", 5), 0))).toBe(0);
  });

  test("memory stays bounded: oldest keys are dropped", () => {
    const t = new Throttle(1000, 50);
    for (let i = 0; i < 1000; i++) t.reserve(one(`ip-${i}`, 1), 0);
    expect(t.size).toBe(50);
    expect(waitOf(t.reserve(one("ip-999", 1), 0))).toBeGreaterThan(0);
    expect(waitOf(t.reserve(one("ip-0", 1), 0))).toBe(0);
  });

  test("login: account and IP limits apply independently; reset clears only the account", () => {
    const t = new Throttle(60_000, 100);
    const limits = { perAccount: 2, perIp: 3 };
    reserveLogin(t, limits, "alice", "10.0.0.1", 0);
    reserveLogin(t, limits, "alice", "10.0.0.2", 0);
    let err: AppError<"rate_limited"> | undefined;
    try {
      reserveLogin(t, limits, "alice", "10.0.0.3", 0);
    } catch (e) {
      err = e as AppError<"rate_limited">;
    }
    expect(err?.code).toBe("rate_limited");
    expect(err?.data.retryAfterMs).toBe(60_000);
    t.reset(accountKey("alice"));
    expect(() => reserveLogin(t, limits, "alice", "10.0.0.3", 0)).not.toThrow();
    for (const name of ["bob", "carol", "dave"]) reserveLogin(t, limits, name, "10.0.0.9", 0);
    expect(() => reserveLogin(t, limits, "erin", "10.0.0.9", 0)).toThrow(AppError);
  });
});
