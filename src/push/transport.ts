// One RFC 8030 push request: POST the encrypted body to the subscription's endpoint
// with TTL, Urgency, Topic and the VAPID Authorization. node:https rather than fetch so
// the resolved address can be checked before connecting (endpoint.ts) and the extra CA
// of push.caFile trusted for these requests only — verification is never turned off.
import { lookup as dnsLookup } from "node:dns";
import { Agent, request } from "node:https";
import { rootCertificates } from "node:tls";
import ipaddr from "ipaddr.js";
import { limits } from "../limits.ts";
import { addressAllowed, bareHost, type EndpointPolicy } from "./endpoint.ts";

export interface PushRequest {
  endpoint: string;
  body: Uint8Array;
  authorization: string;
  ttlSec: number;
  urgency: "very-low" | "low" | "normal" | "high";
  topic?: string;
}

export type PushOutcome =
  | { kind: "status"; status: number; retryAfterMs: number | null }
  | { kind: "refused"; why: string } // the address is not allowed: never retried
  | { kind: "network"; why: string };

export type Transport = (r: PushRequest) => Promise<PushOutcome>;

export function createTransport(policy: EndpointPolicy, extraCaPem: string | null): Transport {
  const ca = extraCaPem ? [...rootCertificates, extraCaPem] : undefined;
  // Keep-alive: a push service gets many requests; a TLS handshake for each would cost
  // more than the push. A pooled socket keeps the address checked when it was opened.
  const agent = new Agent({ keepAlive: true, maxSockets: limits.pushInFlightMax, maxFreeSockets: limits.pushInFlightMax, ca });
  return (r) =>
    new Promise<PushOutcome>((resolve) => {
      const url = new URL(r.endpoint);
      const host = bareHost(url);
      if (ipaddr.isValid(host) && !addressAllowed(host, host, policy)) return resolve({ kind: "refused", why: "address not allowed" });
      let refused: string | null = null;
      const req = request(
        url,
        {
          method: "POST",
          agent,
          ca,
          timeout: limits.pushRequestTimeoutMs,
          headers: {
            TTL: String(r.ttlSec),
            Urgency: r.urgency,
            ...(r.topic ? { Topic: r.topic } : {}),
            "Content-Encoding": "aes128gcm",
            "Content-Type": "application/octet-stream",
            "Content-Length": String(r.body.length),
            Authorization: r.authorization,
          },
          // Every address the name resolves to must be allowed (no mix of public and private
          // answers to slip through); the socket then connects to a checked one.
          lookup: (hostname, options, cb) =>
            dnsLookup(hostname, { ...(options as object), all: true }, (err, list) => {
              const addrs = (list ?? []) as { address: string; family: number }[];
              if (err || addrs.length === 0) return (cb as (e: Error) => void)(err ?? new Error(`${hostname} has no address`));
              if (!addrs.every((a) => addressAllowed(a.address, host, policy))) {
                refused = `${hostname} resolves to a non-public address`;
                return (cb as (e: Error) => void)(new Error(refused));
              }
              if ((options as { all?: boolean }).all) return (cb as (e: null, l: typeof addrs) => void)(null, addrs);
              (cb as (e: null, a: string, f: number) => void)(null, addrs[0]!.address, addrs[0]!.family);
            }),
        },
        (res) => {
          res.resume(); // the body is not needed; drain it so the socket is released
          res.on("end", () => resolve({ kind: "status", status: res.statusCode ?? 0, retryAfterMs: retryAfter(res.headers["retry-after"]) }));
          res.on("error", (e) => resolve({ kind: "network", why: String(e) }));
        },
      );
      req.on("timeout", () => req.destroy(new Error("timeout")));
      req.on("error", (e) => resolve(refused ? { kind: "refused", why: refused } : { kind: "network", why: e.message }));
      req.end(r.body);
    });
}

/** Retry-After as delay-seconds or an HTTP date; null when absent or unreadable. */
export function retryAfter(v: string | string[] | undefined, now = Date.now()): number | null {
  const s = Array.isArray(v) ? v[0] : v;
  if (!s) return null;
  if (/^\d+$/.test(s.trim())) return Number(s.trim()) * 1000;
  const at = Date.parse(s);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}
