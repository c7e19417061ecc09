// Public, unauthenticated lookups (who invited you, whose password a reset link sets):
// each answers only for a code or token the caller already holds, and each client IP gets
// at most publicLookupsPerIpPerMinute of them, so they cannot be used to scan for codes.
import { AppError } from "../errors.ts";
import { TokenBucket } from "../events/ratelimit.ts";
import { limits } from "../limits.ts";
import type { Deps } from "../core/deps.ts";

const buckets = new WeakMap<Deps, Map<string, TokenBucket>>();

export function takeLookup(deps: Deps, ip: string): void {
  let perIp = buckets.get(deps);
  if (!perIp) buckets.set(deps, (perIp = new Map()));
  const now = deps.now();
  let bucket = perIp.get(ip);
  if (!bucket) {
    // Dropping a full bucket forgets nothing; only then do the oldest go.
    if (perIp.size >= limits.publicLookupIpsMax) {
      for (const [key, b] of perIp) if (b.full(now)) perIp.delete(key);
      while (perIp.size >= limits.publicLookupIpsMax) perIp.delete(perIp.keys().next().value as string);
    }
    const perMinute = limits.publicLookupsPerIpPerMinute;
    bucket = new TokenBucket(perMinute / 60, perMinute, now);
    perIp.set(ip, bucket);
  }
  const waitMs = bucket.take(now);
  if (waitMs > 0) throw new AppError("rate_limited", "Too many lookups; wait a moment", { retryAfterMs: waitMs });
}
