// VAPID (RFC 8292): the server's P-256 key (secret `vapid-key`, the private scalar) signs
// a JWT per push-service origin: { aud: origin, exp: now + pushVapidTtlMs, sub: contact },
// ES256 (WebCrypto returns the raw r||s signature JWS wants). A token is reused per origin
// for limits.pushVapidReuseMs, so signing costs little per push.
import { createECDH, createHash } from "node:crypto";
import { FatalError } from "../errors.ts";
import { limits } from "../limits.ts";
import { b64u, fromB64u } from "./b64.ts";

export interface Vapid {
  /** base64url of the uncompressed public point: push.config's vapidPublicKey and the `k` parameter. */
  readonly publicKey: string;
  /** Short id of the public key; subscriptions record it, so a rotation can drop the old ones. */
  readonly keyId: string;
  /** The Authorization header value for a request to `origin`. */
  authorization(origin: string, now: number): Promise<string>;
}

export function createVapid(secret: string, contact: string): Vapid {
  const d = fromB64u(secret);
  let pub: Uint8Array;
  try {
    if (!d || d.length !== 32) throw new Error("not 32 bytes");
    const ecdh = createECDH("prime256v1");
    ecdh.setPrivateKey(d);
    pub = new Uint8Array(ecdh.getPublicKey());
  } catch (err) {
    throw new FatalError(`secret vapid-key is not a P-256 private key (${(err as Error).message}); rotate it: hearth secrets rotate vapid-key`);
  }
  const jwk = { kty: "EC", crv: "P-256", d: secret, x: b64u(pub.subarray(1, 33)), y: b64u(pub.subarray(33)), ext: false };
  let key: Promise<CryptoKey> | null = null; // imported on first use, so creating a Vapid stays synchronous
  const signingKey = () => (key ??= crypto.subtle.importKey("jwk", jwk, { name: "ECDSA", namedCurve: "P-256" }, false, ["sign"]));
  const publicKey = b64u(pub);
  const cache = new Map<string, { header: string; renewAt: number }>();
  const header = b64u(new TextEncoder().encode(JSON.stringify({ typ: "JWT", alg: "ES256" })));
  return {
    publicKey,
    keyId: createHash("sha256").update(pub).digest("base64url").slice(0, 16),
    async authorization(origin, now) {
      const hit = cache.get(origin);
      if (hit && hit.renewAt > now) return hit.header;
      const claims = { aud: origin, exp: Math.floor((now + limits.pushVapidTtlMs) / 1000), sub: contact };
      const input = `${header}.${b64u(new TextEncoder().encode(JSON.stringify(claims)))}`;
      const sig = new Uint8Array(await crypto.subtle.sign({ name: "ECDSA", hash: "SHA-256" }, await signingKey(), new TextEncoder().encode(input)));
      const value = `vapid t=${input}.${b64u(sig)}, k=${publicKey}`;
      if (cache.size >= limits.pushOriginsMax) cache.clear();
      cache.set(origin, { header: value, renewAt: now + limits.pushVapidReuseMs });
      return value;
    },
  };
}

/** push.contact, or mailto:hearth@<public host>. */
export function vapidContact(contact: string, publicUrl: string): string {
  if (contact) return contact;
  let host = "localhost";
  try {
    if (publicUrl) host = new URL(publicUrl).hostname || host;
  } catch {
    // an unparsable publicUrl is reported elsewhere; the contact just falls back
  }
  return `mailto:hearth@${host}`;
}
