// The transport against the push-service stand-in: a host name is resolved and every
// address checked before connecting; the extra CA is trusted for push requests only.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { encrypt } from "./ece.ts";
import { fromB64u } from "./b64.ts";
import { type PushService, startPushService } from "../../tests/support/push.ts";
import { createTransport, retryAfter } from "./transport.ts";
import { createVapid } from "./vapid.ts";
import { newP256PrivateKey } from "../secrets/p256.ts";

let ps: PushService;
beforeAll(async () => {
  ps = await startPushService();
});
afterAll(() => ps.stop());

async function request(endpoint: string, sub: { keys: { p256dh: string; auth: string } }) {
  const vapid = createVapid(newP256PrivateKey(), "mailto:t@hearth.invalid");
  const body = await encrypt(new TextEncoder().encode(JSON.stringify({ v: 1, kind: "test" })), fromB64u(sub.keys.p256dh)!, fromB64u(sub.keys.auth)!);
  return { endpoint, body, authorization: await vapid.authorization(new URL(endpoint).origin, Date.now()), ttlSec: 60, urgency: "normal" as const };
}

test("a name that resolves to loopback is refused unless allowlisted; an IP literal likewise", async () => {
  const sub = await ps.subscription();
  const byName = sub.endpoint.replace("127.0.0.1", "localhost");
  const ca = readFileSync(ps.caFile, "utf8");
  expect((await createTransport({ allowPrivateHosts: new Set() }, ca)(await request(byName, sub))).kind).toBe("refused");
  expect((await createTransport({ allowPrivateHosts: new Set() }, ca)(await request(sub.endpoint, sub))).kind).toBe("refused");
  const out = await createTransport({ allowPrivateHosts: new Set(["127.0.0.1"]) }, ca)(await request(sub.endpoint, sub));
  expect(out).toEqual({ kind: "status", status: 201, retryAfterMs: null });
  expect(ps.problems).toEqual([]);
});

test("without the stand-in's CA the certificate is not trusted", async () => {
  const sub = await ps.subscription();
  const out = await createTransport({ allowPrivateHosts: new Set(["127.0.0.1"]) }, null)(await request(sub.endpoint, sub));
  expect(out.kind).toBe("network");
  expect(ps.delivered.filter((d) => d.subscriptionId === sub.id)).toEqual([]);
});

test("Retry-After: seconds or an HTTP date", () => {
  expect(retryAfter("120")).toBe(120_000);
  expect(retryAfter(new Date(10_000).toUTCString(), 4_000)).toBe(6_000);
  expect(retryAfter("soon")).toBeNull();
  expect(retryAfter(undefined)).toBeNull();
});
