// The bounded in-process push sender. Jobs wait in `ready` (FIFO) or `delayed` (back-off),
// at most limits.pushQueueMax in all; at most limits.pushInFlightMax requests are open.
// A newer job for the same (session, tag) replaces a queued one (its text is newer).
// Outcomes: 2xx done; 404/410 the subscription is deleted; 413 resent once as the
// content-free payload; 429/5xx/network back off (Retry-After honoured, capped) — the
// origin as a whole for 429/503 — up to pushAttemptsMax tries. Anything not sent is
// counted in hearth_push_dropped_total{reason} and logged: never silently dropped.
import { limits } from "../limits.ts";
import type { Logger } from "../log/port.ts";
import type { Counter, Gauge, Metrics } from "../metrics/port.ts";
import type { PushPayload } from "../protocol/methods/push.ts";
import { TokenBucket } from "../events/ratelimit.ts";
import { encrypt } from "./ece.ts";
import type { PushOutcome, PushRequest, Transport } from "./transport.ts";
import type { Vapid } from "./vapid.ts";

export interface PushJob {
  userId: string;
  sessionId: string;
  endpoint: string;
  p256dh: Uint8Array;
  auth: Uint8Array;
  payload: PushPayload;
  /** Sent instead after a 413: no sender, no text. */
  small: PushPayload;
  ttlSec: number;
  urgency: PushRequest["urgency"];
  topic?: string;
}

interface Entry {
  key: string;
  job: PushJob;
  attempts: number;
  useSmall: boolean;
  notBefore: number;
}

export type DropReason = "queue_full" | "user_rate" | "attempts" | "too_large" | "refused" | "rejected" | "bad_key" | "unsubscribed";

export interface QueueDeps {
  transport: Transport;
  vapid: Vapid;
  metrics: Metrics;
  log: Logger;
  now: () => number;
  /** A push service said the subscription is gone (404/410), or it can never work. */
  gone: (sessionId: string, endpoint: string) => Promise<void>;
  /** Re-checked just before sending: a session signed out while its push waited gets nothing. */
  stillSubscribed?: (sessionId: string, endpoint: string) => Promise<boolean>;
}

export interface QueueLimits {
  queueMax: number;
  inFlightMax: number;
  perUserPerMinuteMax: number;
  attemptsMax: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
}

export const defaultQueueLimits = (): QueueLimits => ({
  queueMax: limits.pushQueueMax,
  inFlightMax: limits.pushInFlightMax,
  perUserPerMinuteMax: limits.pushPerUserPerMinuteMax,
  attemptsMax: limits.pushAttemptsMax,
  backoffBaseMs: limits.pushBackoffBaseMs,
  backoffMaxMs: limits.pushBackoffMaxMs,
});

export class PushQueue {
  private readonly ready = new Map<string, Entry>();
  private readonly delayed = new Map<string, Entry>();
  private readonly originUntil = new Map<string, number>();
  private readonly buckets = new Map<string, TokenBucket>();
  private inFlight = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private timerAt = Infinity;
  private stopped = false;
  private idleWaiters: (() => void)[] = [];
  private readonly dropLog = new Map<DropReason, { at: number; since: number }>();
  private readonly m: { sent: Counter; dropped: Counter; queued: Gauge; inFlight: Gauge; coalesced: Counter };

  constructor(
    private readonly deps: QueueDeps,
    private readonly l: QueueLimits = defaultQueueLimits(),
  ) {
    const mm = deps.metrics;
    this.m = {
      sent: mm.counter("hearth_push_requests_total", "Requests to push services by outcome (ok, gone, too_large, retry, rejected)."),
      dropped: mm.counter("hearth_push_dropped_total", "Pushes not sent, by reason (queue_full, user_rate, attempts, too_large, refused, rejected, bad_key, unsubscribed)."),
      queued: mm.gauge("hearth_push_queued", "Pushes waiting to be sent (ready and backing off)."),
      inFlight: mm.gauge("hearth_push_in_flight", "Requests to push services open now."),
      coalesced: mm.counter("hearth_push_replaced_total", "Queued pushes replaced by a newer one for the same device and chat."),
    };
  }

  get size(): number {
    return this.ready.size + this.delayed.size;
  }

  /** False when the push was dropped (counted): queue full or the user's rate exceeded. */
  enqueue(job: PushJob): boolean {
    const key = `${job.sessionId}|${job.payload.tag}`;
    const queued = this.ready.get(key) ?? this.delayed.get(key);
    if (queued) {
      queued.job = job; // same place in line, newer content
      this.m.coalesced.inc();
      return true;
    }
    if (this.size >= this.l.queueMax) return this.drop(job, "queue_full");
    if (!this.takeUserToken(job.userId)) return this.drop(job, "user_rate");
    this.ready.set(key, { key, job, attempts: 0, useSmall: false, notBefore: 0 });
    this.gauges();
    this.pump();
    return true;
  }

  /** Resolves when nothing is queued or in flight (tests, bench, shutdown). */
  idle(): Promise<void> {
    if (this.size === 0 && this.inFlight === 0) return Promise.resolve();
    return new Promise((r) => this.idleWaiters.push(r));
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }

  private takeUserToken(userId: string): boolean {
    const now = this.deps.now();
    let b = this.buckets.get(userId);
    if (!b) {
      if (this.buckets.size >= this.l.queueMax) for (const [id, x] of this.buckets) if (x.full(now)) this.buckets.delete(id);
      b = new TokenBucket(this.l.perUserPerMinuteMax / 60, this.l.perUserPerMinuteMax, now);
      this.buckets.set(userId, b);
    }
    return b.take(now) === 0;
  }

  /** Counted always; logged at most once per reason per pushDropLogIntervalMs (with how many since), so an overflow cannot flood the log. */
  private drop(job: PushJob, reason: DropReason, detail?: string): false {
    this.m.dropped.inc({ reason });
    const now = this.deps.now();
    const seen = this.dropLog.get(reason) ?? { at: -Infinity, since: 0 };
    seen.since++;
    if (now - seen.at >= limits.pushDropLogIntervalMs) {
      this.deps.log.warn("push dropped", { reason, userId: job.userId, sessionId: job.sessionId, detail, droppedSinceLastLine: seen.since });
      seen.at = now;
      seen.since = 0;
    }
    this.dropLog.set(reason, seen);
    return false;
  }

  private pump(): void {
    if (this.stopped) return;
    const now = this.deps.now();
    for (const [key, e] of this.ready) {
      if (this.inFlight >= this.l.inFlightMax) break;
      this.ready.delete(key);
      const until = this.originUntil.get(originOf(e.job.endpoint)) ?? 0;
      if (until > now) {
        e.notBefore = until;
        this.delayed.set(key, e);
        continue;
      }
      this.inFlight++;
      void this.send(e).finally(() => {
        this.inFlight--;
        this.gauges();
        this.pump();
      });
    }
    this.schedule();
    this.gauges();
    if (this.size === 0 && this.inFlight === 0) for (const r of this.idleWaiters.splice(0)) r();
  }

  private schedule(): void {
    let next = Infinity;
    for (const e of this.delayed.values()) next = Math.min(next, e.notBefore);
    if (next === Infinity || next >= this.timerAt) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = next;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.timerAt = Infinity;
      const now = this.deps.now();
      for (const [key, e] of this.delayed) {
        if (e.notBefore <= now && !this.ready.has(key)) {
          this.delayed.delete(key);
          this.ready.set(key, e);
        }
      }
      this.pump();
    }, Math.max(0, next - this.deps.now()));
    this.timer.unref?.();
  }

  private async send(e: Entry): Promise<void> {
    const { job } = e;
    e.attempts++;
    let out: PushOutcome;
    try {
      if (this.deps.stillSubscribed && !(await this.deps.stillSubscribed(job.sessionId, job.endpoint))) return void this.drop(job, "unsubscribed");
      const plain = new TextEncoder().encode(JSON.stringify(e.useSmall ? job.small : job.payload));
      let body: Uint8Array;
      try {
        body = await encrypt(plain, job.p256dh, job.auth);
      } catch (err) {
        await this.deps.gone(job.sessionId, job.endpoint);
        this.drop(job, "bad_key", String(err));
        return;
      }
      const authorization = await this.deps.vapid.authorization(originOf(job.endpoint), this.deps.now());
      out = await this.deps.transport({ endpoint: job.endpoint, body, authorization, ttlSec: job.ttlSec, urgency: job.urgency, topic: job.topic });
    } catch (err) {
      out = { kind: "network", why: String(err) };
    }
    await this.settle(e, out);
  }

  private async settle(e: Entry, out: PushOutcome): Promise<void> {
    const { job } = e;
    if (out.kind === "refused") {
      await this.deps.gone(job.sessionId, job.endpoint);
      this.drop(job, "refused", out.why);
      return;
    }
    const status = out.kind === "status" ? out.status : 0;
    if (status >= 200 && status < 300) return this.m.sent.inc({ outcome: "ok" });
    if (status === 404 || status === 410) {
      this.m.sent.inc({ outcome: "gone" });
      await this.deps.gone(job.sessionId, job.endpoint);
      return;
    }
    if (status === 413) {
      this.m.sent.inc({ outcome: "too_large" });
      if (e.useSmall) return void this.drop(job, "too_large");
      e.useSmall = true;
      e.attempts--; // a smaller body is a new try, not a retry
      return this.requeue(e, 0);
    }
    const retryable = out.kind === "network" || status === 429 || status >= 500;
    if (!retryable) {
      this.m.sent.inc({ outcome: "rejected" });
      return void this.drop(job, "rejected", `status ${status}`);
    }
    this.m.sent.inc({ outcome: "retry" });
    if (e.attempts >= this.l.attemptsMax) return void this.drop(job, "attempts", out.kind === "network" ? out.why : `status ${status}`);
    const hinted = out.kind === "status" ? out.retryAfterMs : null;
    const delay = Math.min(this.l.backoffMaxMs, hinted ?? this.l.backoffBaseMs * 2 ** (e.attempts - 1));
    if (status === 429 || status === 503) this.backOffOrigin(originOf(job.endpoint), this.deps.now() + delay);
    this.requeue(e, delay);
  }

  private backOffOrigin(origin: string, until: number): void {
    if (this.originUntil.size >= limits.pushOriginsMax) {
      const now = this.deps.now();
      for (const [o, t] of this.originUntil) if (t <= now) this.originUntil.delete(o);
    }
    if (this.originUntil.size < limits.pushOriginsMax || this.originUntil.has(origin)) {
      this.originUntil.set(origin, Math.max(until, this.originUntil.get(origin) ?? 0));
    }
  }

  private requeue(e: Entry, delayMs: number): void {
    // a newer job for the same key may have arrived meanwhile: it wins
    if (this.ready.has(e.key) || this.delayed.has(e.key)) return;
    e.notBefore = this.deps.now() + delayMs;
    if (delayMs === 0) this.ready.set(e.key, e);
    else this.delayed.set(e.key, e);
  }

  private gauges(): void {
    this.m.queued.set(this.size);
    this.m.inFlight.set(this.inFlight);
  }
}

export const originOf = (endpoint: string) => new URL(endpoint).origin;
