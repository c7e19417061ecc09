// A fixed-window counter per key (uploads started per user per minute). Bounded: beyond
// `keysMax` keys the oldest windows are dropped (a dropped user simply starts afresh).
import { AppError } from "../errors.ts";

export class WindowLimiter {
  private windows = new Map<string, { start: number; count: number }>();
  constructor(
    private readonly windowMs: number,
    private readonly max: number,
    private readonly keysMax: number,
  ) {}

  /** Counts one event for key, or throws rate_limited with the wait. */
  take(key: string, now: number): void {
    let w = this.windows.get(key);
    if (!w || now - w.start >= this.windowMs) {
      this.windows.delete(key);
      w = { start: now, count: 0 };
      this.windows.set(key, w);
      while (this.windows.size > this.keysMax) this.windows.delete(this.windows.keys().next().value as string);
    }
    if (w.count >= this.max) {
      const retryAfterMs = Math.max(1, w.start + this.windowMs - now);
      throw new AppError("rate_limited", "Too many uploads; wait a moment", { retryAfterMs });
    }
    w.count += 1;
  }
}
