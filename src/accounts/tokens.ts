// Access tokens: short-lived JWTs (HS256) with sub = user id, sid = session id, iat, exp.
// HTTP routes sign them with the @elysiajs/jwt plugin; authenticate() (WS hello, Bearer)
// verifies them with jose, the library that plugin uses, with the same key bytes (the
// plugin UTF-8-encodes a string secret) and algorithm, so the two paths always agree.
// jose is used directly here because the plugin's verify() folds "expired" into false,
// and a client must learn `token_expired` (refresh) apart from `unauthenticated`.
//
// Rotation (`hearth secrets rotate access-token-key`): each token names its key in the
// header (`kid`, a public fingerprint of the key — not a secret, nothing can be derived
// from it). A token whose kid is not the current key's was signed before a rotation: it
// gets `token_expired`, so clients refresh instead of being signed out. A bad signature
// under the current kid stays `unauthenticated`.
import { createHash } from "node:crypto";
import { jwt } from "@elysiajs/jwt";
import { decodeProtectedHeader, errors, jwtVerify } from "jose";
import { AppError } from "../errors.ts";
import type { Secrets } from "../secrets/secrets.ts";

export const ACCESS_ALG = "HS256";
export const ACCESS_JWT = "accessJwt"; // the decorator name routes use: ctx.accessJwt.sign(...)

/** 64 bits of sha-256 over the key: tells keys apart, reveals nothing usable about them. */
export const accessKeyId = (key: string) => createHash("sha256").update(`hearth access-token-key id\0${key}`).digest("hex").slice(0, 16);

export const accessJwtPlugin = (secrets: Secrets) => {
  const secret = secrets.get("access-token-key");
  return jwt({ name: ACCESS_JWT, secret, alg: ACCESS_ALG, kid: accessKeyId(secret) });
};

/** Signed, but not with the current key: a key id that is present and not ours. */
function signedWithRotatedKey(token: string, key: string): boolean {
  try {
    const { kid } = decodeProtectedHeader(token);
    return typeof kid === "string" && kid !== accessKeyId(key);
  } catch {
    return false; // not even a JWT header
  }
}

export interface AccessClaims {
  sub: string;
  sid: string;
}

/** What the plugin's sign() takes: exp in seconds since the epoch. */
export const accessPayload = (claims: AccessClaims, expiresAtMs: number) => ({
  sub: claims.sub,
  sid: claims.sid,
  exp: Math.floor(expiresAtMs / 1000),
});

export async function verifyAccessToken(token: string, secrets: Secrets, nowMs: number): Promise<AccessClaims> {
  const secret = secrets.get("access-token-key");
  const key = new TextEncoder().encode(secret);
  try {
    const { payload } = await jwtVerify(token, key, {
      algorithms: [ACCESS_ALG],
      currentDate: new Date(nowMs),
      requiredClaims: ["sub", "sid", "exp"],
    });
    if (typeof payload.sub !== "string" || typeof payload.sid !== "string") throw new Error("claims");
    return { sub: payload.sub, sid: payload.sid };
  } catch (err) {
    if (err instanceof errors.JWTExpired) throw new AppError("token_expired", "The access token expired; refresh it");
    if (signedWithRotatedKey(token, secret)) throw new AppError("token_expired", "The access token was signed with a rotated key; refresh it");
    throw new AppError("unauthenticated", "Invalid access token");
  }
}
