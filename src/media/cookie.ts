// The hearth_media cookie: how a browser's <img>/<video> authenticate to /media/*. Its
// value names the session and an expiry, MACed with the access-token key under a label
// of its own ("hearth-media-cookie|…" can never be a JWT's signing input, so neither can
// stand in for the other); it is NOT an access token and opens nothing but /media.
// Every request re-checks the session in storage, so revoking the session (logout,
// password change, admin) ends the cookie with it.
import { timingSafeEqual } from "node:crypto";
import { liveSession } from "../accounts/sessions.ts";
import { verifyAccessToken } from "../accounts/tokens.ts";
import { AppError } from "../errors.ts";
import { limits } from "../limits.ts";
import { MEDIA_COOKIE_NAME } from "../protocol/media.ts";
import type { Deps } from "../core/deps.ts";

export interface MediaReader {
  userId: string;
  sessionId: string;
}

function mac(deps: Deps, body: string): string {
  return new Bun.CryptoHasher("sha256", deps.secrets.get("access-token-key")).update(`hearth-media-cookie|${body}`).digest("base64url");
}

/** A cookie value for the session, valid until `expiresAt` (ms). */
export function mediaCookieValue(deps: Deps, reader: MediaReader, expiresAt: number): string {
  const body = `${reader.userId}.${reader.sessionId}.${expiresAt}`;
  return `${body}.${mac(deps, body)}`;
}

function readCookie(deps: Deps, value: string): MediaReader | null {
  if (value.length > limits.mediaCookieValueBytesMax) return null;
  const parts = value.split(".");
  if (parts.length !== 4) return null;
  const [userId, sessionId, exp, given] = parts as [string, string, string, string];
  const want = mac(deps, `${userId}.${sessionId}.${exp}`);
  if (given.length !== want.length || !timingSafeEqual(Buffer.from(given), Buffer.from(want))) return null;
  if (!(Number(exp) > deps.now())) return null;
  return { userId, sessionId };
}

export function cookieFrom(request: Request): string | null {
  const header = request.headers.get("cookie");
  if (!header) return null;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === MEDIA_COOKIE_NAME) return part.slice(eq + 1).trim();
  }
  return null;
}

export function bearerFrom(request: Request): string | null {
  const m = /^Bearer\s+(\S+)$/i.exec(request.headers.get("authorization") ?? "");
  return m ? m[1]! : null;
}

/** Bearer token or media cookie → the live session behind it; unauthenticated otherwise. */
export async function mediaReader(deps: Deps, request: Request): Promise<MediaReader> {
  const bearer = bearerFrom(request);
  if (bearer) {
    const claims = await verifyAccessToken(bearer, deps.secrets, deps.now());
    await liveSession(deps, claims.sub, claims.sid);
    return { userId: claims.sub, sessionId: claims.sid };
  }
  const cookie = cookieFrom(request);
  const reader = cookie ? readCookie(deps, cookie) : null;
  if (!reader) throw new AppError("unauthenticated", "Sign in (Authorization: Bearer, or the hearth_media cookie)");
  await liveSession(deps, reader.userId, reader.sessionId);
  return reader;
}

/** Bearer only (uploads and the cookie endpoint): the live session. */
export async function bearerSession(deps: Deps, request: Request): Promise<MediaReader> {
  const bearer = bearerFrom(request);
  if (!bearer) throw new AppError("unauthenticated", "Missing Authorization: Bearer <access token>");
  const claims = await verifyAccessToken(bearer, deps.secrets, deps.now());
  await liveSession(deps, claims.sub, claims.sid);
  return { userId: claims.sub, sessionId: claims.sid };
}
