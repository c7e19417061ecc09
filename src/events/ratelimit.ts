// Token buckets for request rates: `ratePerSec` tokens refill continuously up to
// `capacity` (the burst). take() answers 0 when allowed, else how long until a token.
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly ratePerSec: number,
    private readonly capacity: number,
    now: number,
  ) {
    this.tokens = capacity;
    this.last = now;
  }

  /** Refills, then takes one token; returns 0, or the wait in ms when empty. */
  take(now: number): number {
    this.refill(now);
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil(((1 - this.tokens) * 1000) / this.ratePerSec));
  }

  /** True when the bucket is full, i.e. forgetting it changes nothing. */
  full(now: number): boolean {
    this.refill(now);
    return this.tokens >= this.capacity;
  }

  private refill(now: number): void {
    const elapsed = Math.max(0, now - this.last);
    this.last = now;
    this.tokens = Math.min(this.capacity, this.tokens + (elapsed * this.ratePerSec) / 1000);
  }
}

/** Burst allowance for a rate: two seconds' worth, capped by the global burst bound. */
export const burstFor = (ratePerSec: number, burstMax: number) => Math.max(1, Math.min(burstMax, 2 * ratePerSec));
