// The send queue's decisions, with a scripted transport (the HTTP side is covered against
// the stand-in in tests/push.test.ts): per-user rate, retries given up, other 4xx,
// replacement of a queued push, 404 cleanup.
import { expect, test } from "bun:test";
import { createLogger } from "../log/logger.ts";
import { createMetrics } from "../metrics/registry.ts";
import { newP256PrivateKey } from "../secrets/p256.ts";
import { fromB64u } from "./b64.ts";
import { contentFree, testPayload } from "./payload.ts";
import { type PushJob, PushQueue, type QueueLimits, defaultQueueLimits } from "./queue.ts";
import type { PushOutcome, PushRequest } from "./transport.ts";
import { createVapid } from "./vapid.ts";

const UA = "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4";
const AUTH = "BTBZMqHH6r4Tts7J_aSIgg";

function setup(answers: (r: PushRequest, n: number) => PushOutcome | Promise<PushOutcome>, l: Partial<QueueLimits> = {}) {
  const metrics = createMetrics({ processMetrics: false });
  const sent: PushRequest[] = [];
  const gone: string[] = [];
  const q = new PushQueue(
    {
      transport: async (r) => {
        sent.push(r);
        return answers(r, sent.length);
      },
      vapid: createVapid(newP256PrivateKey(), "mailto:t@hearth.invalid"),
      metrics,
      log: createLogger({ level: "error", format: "json", stream: { write: () => {} } }),
      now: Date.now,
      gone: async (s) => void gone.push(s),
    },
    { ...defaultQueueLimits(), backoffBaseMs: 1, ...l },
  );
  const metric = (name: string) => Number(new RegExp(`${name.replace(/[{}]/g, "\\$&")} (\\d+)`).exec(metrics.render())?.[1] ?? 0);
  return { q, sent, gone, metric };
}

const job = (over: Partial<PushJob> = {}): PushJob => {
  const payload = testPayload(1);
  return { userId: "u1", sessionId: "s1", endpoint: "https://push.example/x", p256dh: fromB64u(UA)!, auth: fromB64u(AUTH)!, payload, small: contentFree(payload), ttlSec: 60, urgency: "normal", ...over };
};
const ok: PushOutcome = { kind: "status", status: 201, retryAfterMs: null };

test("per-user rate: beyond the burst a push is dropped and counted", async () => {
  const { q, sent, metric } = setup(() => ok, { perUserPerMinuteMax: 2 });
  const tags = ["a", "b", "c"].map((t) => ({ ...testPayload(1), tag: t }));
  expect(tags.map((payload) => q.enqueue(job({ payload, small: contentFree(payload) })))).toEqual([true, true, false]);
  expect(q.enqueue(job({ userId: "u2" }))).toBe(true); // another person is not affected
  await q.idle();
  expect(sent.length).toBe(3);
  expect(metric('hearth_push_dropped_total{reason="user_rate"}')).toBe(1);
});

test("5xx until the attempts run out: given up and counted", async () => {
  const { q, sent, metric } = setup(() => ({ kind: "status", status: 500, retryAfterMs: null }), { attemptsMax: 3 });
  q.enqueue(job());
  await q.idle();
  expect(sent.length).toBe(3);
  expect(metric('hearth_push_dropped_total{reason="attempts"}')).toBe(1);
  expect(metric('hearth_push_requests_total{outcome="retry"}')).toBe(3);
});

test("another 4xx is not retried; 404 removes the subscription", async () => {
  const { q, sent, gone, metric } = setup((r) => ({ kind: "status", status: r.endpoint.endsWith("/gone") ? 404 : 400, retryAfterMs: null }));
  q.enqueue(job());
  q.enqueue(job({ sessionId: "s2", endpoint: "https://push.example/gone" }));
  await q.idle();
  expect(sent.length).toBe(2);
  expect(gone).toEqual(["s2"]);
  expect(metric('hearth_push_dropped_total{reason="rejected"}')).toBe(1);
});

test("a newer push for the same device and tag replaces the queued one", async () => {
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  const { q, sent, metric } = setup(async (_r, n) => {
    if (n === 1) await held;
    return ok;
  }, { inFlightMax: 1 });
  q.enqueue(job({ sessionId: "busy" })); // occupies the one slot
  const first = { ...testPayload(1), tag: "chat:1", body: "old" };
  const second = { ...first, body: "new" };
  q.enqueue(job({ payload: first, small: contentFree(first) }));
  q.enqueue(job({ payload: second, small: contentFree(second) }));
  expect(q.size).toBe(1);
  release();
  await q.idle();
  expect(sent.length).toBe(2);
  expect(metric("hearth_push_replaced_total")).toBe(1);
});
