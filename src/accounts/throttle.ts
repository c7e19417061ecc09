// Login throttling: failed attempts counted per key (an account, a client IP) in a fixed
// window. The check happens BEFORE the password is verified, so a locked key cannot be
// brute-forced and costs no argon2 time. Memory is bounded by `keysMax`: beyond it the
// entries untouched the longest are dropped (Map keeps insertion order; every update
// re-inserts). State is per process: with several processes each counts on its own,
// which multiplies the allowance by the process count but never disables it.
import { AppError } from "../errors.ts";

interface Entry {
  failures: number;
  windowStart: number;
}

export class Throttle {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly windowMs: number,
    private readonly keysMax: number,
  ) {}

  /** Milliseconds until `key` may try again, 0 if it may try now. */
  retryAfterMs(key: string, limit: number, now: number): number {
    const entry = this.live(key, now);
    if (!entry || entry.failures < limit) return 0;
    return Math.max(1, entry.windowStart + this.windowMs - now);
  }

  fail(key: string, now: number): void {
    const entry = this.live(key, now) ?? { failures: 0, windowStart: now };
    entry.failures += 1;
    this.entries.delete(key);
    this.entries.set(key, entry);
    while (this.entries.size > this.keysMax) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
  }

  reset(key: string): void {
    this.entries.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }

  private live(key: string, now: number): Entry | undefined {
    const entry = this.entries.get(key);
    if (entry && now - entry.windowStart >= this.windowMs) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }
}

export interface LoginLimits {
  perAccount: number;
  perIp: number;
}

/** Throws rate_limited when either the account or the IP is over its limit. */
export function checkLogin(throttle: Throttle, limits: LoginLimits, accountKey: string, ip: string, now: number): void {
  const wait = Math.max(
    throttle.retryAfterMs(`a:${accountKey}`, limits.perAccount, now),
    throttle.retryAfterMs(`i:${ip}`, limits.perIp, now),
  );
  if (wait > 0) {
    throw new AppError("rate_limited", "Too many failed sign-in attempts; try again later", { retryAfterMs: wait });
  }
}

export function recordLoginFailure(throttle: Throttle, accountKey: string, ip: string, now: number): void {
  throttle.fail(`a:${accountKey}`, now);
  throttle.fail(`i:${ip}`, now);
}

/** A success clears the account's count (its owner got in); the IP's count stays. */
export function recordLoginSuccess(throttle: Throttle, accountKey: string): void {
  throttle.reset(`a:${accountKey}`);
}
