// Attempt throttling: attempts counted per key (an account, a client IP) in a fixed
// window. An attempt is RESERVED — counted — synchronously, before anything is awaited
// and before the password is verified; only then does the expensive check run. So a
// burst of parallel attempts cannot all pass a check made before any of them was
// counted: at most `limit` are ever let through per window, and a refused one costs no
// argon2 time. The caller releases a reservation whose outcome was not a failure.
// Memory is bounded by `keysMax`: beyond it the entries untouched the longest are dropped
// (Map keeps insertion order; every update re-inserts). State is per process: with
// several processes each counts on its own, which multiplies the allowance by the
// process count but never disables it.
import { AppError } from "../errors.ts";

interface Entry {
  attempts: number;
  windowStart: number;
}

/** One counted attempt on one key, in the window it was counted in. */
export interface Reservation {
  key: string;
  windowStart: number;
}

export interface Budget {
  key: string;
  limit: number;
}

export class Throttle {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly windowMs: number,
    private readonly keysMax: number,
  ) {}

  /**
   * Counts one attempt on every budget's key, or on none: returns the reservations, or
   * the milliseconds until the fullest key frees up. Synchronous on purpose — it is the
   * atomic step that makes the limit hold under concurrency.
   */
  reserve(budgets: readonly Budget[], now: number): { held: Reservation[] } | { retryAfterMs: number } {
    let wait = 0;
    for (const { key, limit } of budgets) {
      const entry = this.live(key, now);
      if (entry && entry.attempts >= limit) wait = Math.max(wait, Math.max(1, entry.windowStart + this.windowMs - now));
    }
    if (wait > 0) return { retryAfterMs: wait };
    return { held: budgets.map(({ key }) => this.count(key, now)) };
  }

  /** Un-counts an attempt that turned out not to be a failure (same window only). */
  release(held: Reservation): void {
    const entry = this.entries.get(held.key);
    if (entry && entry.windowStart === held.windowStart && entry.attempts > 0) entry.attempts -= 1;
  }

  reset(key: string): void {
    this.entries.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }

  private count(key: string, now: number): Reservation {
    const entry = this.live(key, now) ?? { attempts: 0, windowStart: now };
    entry.attempts += 1;
    this.entries.delete(key);
    this.entries.set(key, entry);
    while (this.entries.size > this.keysMax) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
    return { key, windowStart: entry.windowStart };
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

/** Reserves one attempt on every budget, or throws rate_limited with `message`. */
export function reserveOrRefuse(throttle: Throttle, budgets: readonly Budget[], now: number, message: string): Reservation[] {
  const r = throttle.reserve(budgets, now);
  if ("retryAfterMs" in r) throw new AppError("rate_limited", message, { retryAfterMs: r.retryAfterMs });
  return r.held;
}

export interface LoginLimits {
  perAccount: number;
  perIp: number;
}

export const accountKey = (username: string) => `a:${username}`;
const IP_PREFIX = { login: "i", register: "r", claim: "c" } as const; // one budget per route and IP
export const ipKey = (route: keyof typeof IP_PREFIX, ip: string) => `${IP_PREFIX[route]}:${ip}`;

/** Reserves a login attempt for the account and the IP together; rate_limited when either is full. */
export function reserveLogin(throttle: Throttle, limits: LoginLimits, account: string, ip: string, now: number): Reservation[] {
  const budgets = [
    { key: accountKey(account), limit: limits.perAccount },
    { key: ipKey("login", ip), limit: limits.perIp },
  ];
  return reserveOrRefuse(throttle, budgets, now, "Too many failed sign-in attempts; try again later");
}
