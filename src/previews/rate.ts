// preview.get per user: a token bucket of limits.previewRequestsPerUserPerMinute (that
// many at once, then one every 60/N s). At most previewUsersTrackedMax buckets are kept:
// full ones are forgotten first (that forgets nothing), then the oldest.
import { AppError } from "../errors.ts";
import { TokenBucket } from "../events/ratelimit.ts";
import { limits } from "../limits.ts";

export class UserRate {
  private readonly buckets = new Map<string, TokenBucket>();

  /** Takes one request for userId, or throws rate_limited with the wait. */
  take(userId: string, now: number): void {
    let bucket = this.buckets.get(userId);
    if (!bucket) {
      this.makeRoom(now);
      const perMinute = limits.previewRequestsPerUserPerMinute;
      bucket = new TokenBucket(perMinute / 60, perMinute, now);
      this.buckets.set(userId, bucket);
    }
    const waitMs = bucket.take(now);
    if (waitMs > 0) throw new AppError("rate_limited", "Too many link previews; wait a moment", { retryAfterMs: waitMs });
  }

  private makeRoom(now: number): void {
    if (this.buckets.size < limits.previewUsersTrackedMax) return;
    for (const [key, b] of this.buckets) if (b.full(now)) this.buckets.delete(key);
    while (this.buckets.size >= limits.previewUsersTrackedMax) this.buckets.delete(this.buckets.keys().next().value as string);
  }
}
