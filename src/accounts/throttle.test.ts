import { describe, expect, test } from "bun:test";
import { AppError } from "../errors.ts";
import { Throttle, checkLogin, recordLoginFailure, recordLoginSuccess } from "./throttle.ts";

describe("login throttle", () => {
  test("allows `limit` failures, then reports the rest of the window", () => {
    const t = new Throttle(1000, 100);
    for (let i = 0; i < 3; i++) {
      expect(t.retryAfterMs("k", 3, 100)).toBe(0);
      t.fail("k", 100);
    }
    expect(t.retryAfterMs("k", 3, 100)).toBe(1000);
    expect(t.retryAfterMs("k", 3, 600)).toBe(500);
    expect(t.retryAfterMs("k", 3, 1100)).toBe(0); // window over
    expect(t.retryAfterMs("other", 3, 600)).toBe(0);
  });

  test("memory stays bounded: oldest keys are dropped", () => {
    const t = new Throttle(1000, 50);
    for (let i = 0; i < 1000; i++) t.fail(`ip-${i}`, 0);
    expect(t.size).toBe(50);
    expect(t.retryAfterMs("ip-999", 1, 0)).toBeGreaterThan(0);
    expect(t.retryAfterMs("ip-0", 1, 0)).toBe(0);
  });

  test("account and IP limits apply independently; success clears only the account", () => {
    const t = new Throttle(60_000, 100);
    const limits = { perAccount: 2, perIp: 3 };
    recordLoginFailure(t, "alice", "10.0.0.1", 0);
    recordLoginFailure(t, "alice", "10.0.0.2", 0);
    const err = (() => {
      try {
        checkLogin(t, limits, "alice", "10.0.0.3", 0);
      } catch (e) {
        return e as AppError<"rate_limited">;
      }
    })();
    expect(err?.code).toBe("rate_limited");
    expect(err?.data.retryAfterMs).toBe(60_000);
    recordLoginSuccess(t, "alice");
    expect(() => checkLogin(t, limits, "alice", "10.0.0.3", 0)).not.toThrow();
    for (const name of ["bob", "carol", "dave"]) recordLoginFailure(t, name, "10.0.0.9", 0);
    expect(() => checkLogin(t, limits, "erin", "10.0.0.9", 0)).toThrow(AppError);
  });
});
