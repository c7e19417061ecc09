// Access tokens: short-lived JWTs (HS256) with sub = user id, sid = session id, iat, exp.
// Signed and verified here with jose and the server's clock (deps.now), so iat and exp
// come from the same clock and every token's lifetime is exactly limits.accessTokenTtlMs.
// A client must learn `token_expired` (refresh) apart from `unauthenticated` (sign in).
//
// What verification answers:
//  - verifies under the current key, not expired, claims in shape → the claims;
//  - verifies under the current key, expired → token_expired;
//  - verifies under the current key but lives longer than the access-token TTL, lacks
//    iat or exp, or was issued in the future → unauthenticated (we never issue such a token);
//  - verifies under the key the last rotation replaced (`hearth secrets rotate
//    access-token-key` keeps it as access-token-key.previous) → token_expired, so clients
//    refresh instead of being signed out. That answer is given only for a signature that
//    really checks out under that key: an unknown `kid`, or a known one with a bad
//    signature, is a forgery → unauthenticated.
// Each token names its key in the header (`kid`, a public fingerprint of the key — not a
// secret, nothing can be derived from it), which picks the key to try.
import { createHash } from "node:crypto";
import { SignJWT, compactVerify, decodeProtectedHeader, errors, jwtVerify, type JWTPayload } from "jose";
import { AppError } from "../errors.ts";
import { limits } from "../limits.ts";
import type { Secrets } from "../secrets/secrets.ts";

export const ACCESS_ALG = "HS256";

/** 64 bits of sha-256 over the key: tells keys apart, reveals nothing usable about them. */
export const accessKeyId = (key: string) => createHash("sha256").update(`hearth access-token-key id\0${key}`).digest("hex").slice(0, 16);

// The HMAC key as a CryptoKey, imported once per key rather than by jose on every sign and
// verify (a hello verifies one token; importing each time was most of its garbage). Keys
// change only on rotation: the current and the previous one, so the cache stays tiny.
const imported = new Map<string, Promise<CryptoKey>>();
const KEYS_CACHED_MAX = 4;
function hmacKey(key: string): Promise<CryptoKey> {
  let k = imported.get(key);
  if (!k) {
    if (imported.size >= KEYS_CACHED_MAX) imported.clear();
    k = crypto.subtle.importKey("raw", new TextEncoder().encode(key), { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]);
    imported.set(key, k);
  }
  return k;
}

export interface AccessClaims {
  sub: string;
  sid: string;
}

/** A token for `claims`, issued at nowMs and valid limits.accessTokenTtlMs; returns it with its expiry (ms). */
export async function signAccessToken(secrets: Secrets, claims: AccessClaims, nowMs: number): Promise<{ token: string; expiresAt: number }> {
  const key = secrets.get("access-token-key");
  const iat = Math.floor(nowMs / 1000);
  const exp = iat + Math.floor(limits.accessTokenTtlMs / 1000);
  const token = await new SignJWT({ sub: claims.sub, sid: claims.sid })
    .setProtectedHeader({ alg: ACCESS_ALG, typ: "JWT", kid: accessKeyId(key) })
    .setIssuedAt(iat)
    .setExpirationTime(exp)
    .sign(await hmacKey(key));
  return { token, expiresAt: exp * 1000 };
}

const forged = () => new AppError("unauthenticated", "Invalid access token");

export async function verifyAccessToken(token: string, secrets: Secrets, nowMs: number): Promise<AccessClaims> {
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, await hmacKey(secrets.get("access-token-key")), {
      algorithms: [ACCESS_ALG],
      currentDate: new Date(nowMs),
      requiredClaims: ["sub", "sid", "iat", "exp"],
    }));
  } catch (err) {
    // jose checks the signature before the claims: an expiry here is a real token's.
    if (err instanceof errors.JWTExpired) throw new AppError("token_expired", "The access token expired; refresh it");
    if (await signedWithPreviousKey(token, secrets)) throw new AppError("token_expired", "The access token was signed with a rotated key; refresh it");
    throw forged();
  }
  return claimsOf(payload, nowMs);
}

/** The lifetime bound and claim shapes, for a token whose signature and expiry already passed. */
function claimsOf(payload: JWTPayload, nowMs: number): AccessClaims {
  const { sub, sid, iat, exp } = payload as { sub?: unknown; sid?: unknown; iat?: unknown; exp?: unknown };
  if (typeof sub !== "string" || typeof sid !== "string" || typeof iat !== "number" || typeof exp !== "number") throw forged();
  if (exp - iat > limits.accessTokenTtlMs / 1000) throw forged(); // longer-lived than we ever issue
  if (iat * 1000 > nowMs + limits.accessTokenClockSkewMs) throw forged(); // issued in the future
  return { sub, sid };
}

/** True only when the token's signature checks out under the key the last rotation replaced. */
async function signedWithPreviousKey(token: string, secrets: Secrets): Promise<boolean> {
  const previous = secrets.previous("access-token-key");
  if (!previous) return false;
  try {
    if (decodeProtectedHeader(token).kid !== accessKeyId(previous)) return false;
    await compactVerify(token, await hmacKey(previous), { algorithms: [ACCESS_ALG] });
    return true;
  } catch {
    return false; // not a JWT, or a bad signature
  }
}
