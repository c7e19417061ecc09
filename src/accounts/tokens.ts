// Access tokens: short-lived JWTs (HS256) with sub = user id, sid = session id, iat, exp.
// HTTP routes sign them with the @elysiajs/jwt plugin; authenticate() (WS hello, Bearer)
// verifies them with jose, the library that plugin uses, with the same key bytes (the
// plugin UTF-8-encodes a string secret) and algorithm, so the two paths always agree.
// jose is used directly here because the plugin's verify() folds "expired" into false,
// and a client must learn `token_expired` (refresh) apart from `unauthenticated`.
import { jwt } from "@elysiajs/jwt";
import { errors, jwtVerify } from "jose";
import { AppError } from "../errors.ts";
import type { Secrets } from "../secrets/secrets.ts";

export const ACCESS_ALG = "HS256";
export const ACCESS_JWT = "accessJwt"; // the decorator name routes use: ctx.accessJwt.sign(...)

export const accessJwtPlugin = (secrets: Secrets) =>
  jwt({ name: ACCESS_JWT, secret: secrets.get("access-token-key"), alg: ACCESS_ALG });

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
  const key = new TextEncoder().encode(secrets.get("access-token-key"));
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
    throw new AppError("unauthenticated", "Invalid access token");
  }
}
