// Sessions are devices. Each holds one live refresh token (random, stored as a sha-256
// hash, single-use); access tokens are signed per request by the HTTP routes. A
// refresh token presented twice means it was copied: storage revokes the whole session
// in the same transaction and we close its sockets (theft detection).
import { AppError } from "../errors.ts";
import { hashToken, newId, randomToken } from "../ids.ts";
import { limits } from "../limits.ts";
import type { Authenticate } from "../core/module.ts";
import type { Deps } from "../core/deps.ts";
import type { Session } from "../storage/port.ts";
import { draft, publish, revokedDrafts, sessionsRevoked } from "./notify.ts";
import { verifyAccessToken } from "./tokens.ts";

/** A session's refresh half; the route adds the access token. */
export interface Issued {
  userId: string;
  sessionId: string;
  refreshToken: string;
  refreshExpiresAt: number;
}

export async function startSession(deps: Deps, userId: string, deviceName: string, ip: string): Promise<Issued> {
  const now = deps.now();
  const refreshToken = randomToken();
  const refreshExpiresAt = now + limits.refreshTokenTtlMs;
  const session = await deps.storage.sessions.create({
    id: newId(now),
    userId,
    deviceName,
    ip,
    createdAt: now,
    refreshHash: hashToken(refreshToken),
    refreshExpiresAt,
  });
  // The user's other devices refresh their device lists. Appended after the session's own
  // commit: the event is only a hint to re-read session.list, so a crash in between loses
  // nothing stored (the list is read from storage either way).
  const events = await deps.storage.events.append([draft([userId], "session.created", { sessionId: session.id, deviceName })]);
  await publish(deps, events);
  return { userId, sessionId: session.id, refreshToken, refreshExpiresAt };
}

export async function refreshSession(deps: Deps, presented: string, ip: string): Promise<Issued> {
  const now = deps.now();
  const refreshToken = randomToken();
  const refreshExpiresAt = now + limits.refreshTokenTtlMs;
  const next = { hash: hashToken(refreshToken), expiresAt: refreshExpiresAt };
  const committed = await deps.storage.sessions.rotateRefresh(hashToken(presented), next, now, ip, {
    emit: (o) => (o.kind === "reused" ? revokedDrafts(o.session.userId, [o.session.id]) : []),
  });
  const outcome = committed.value;
  if (outcome.kind === "reused") {
    const { session } = outcome;
    deps.log.warn("refresh token reused: session revoked", { userId: session.userId, sessionId: session.id, ip });
    await sessionsRevoked(deps, session.userId, [session.id], committed.events);
    throw new AppError("session_revoked", "This refresh token was already used; the session is revoked");
  }
  if (outcome.kind === "invalid") throw new AppError("unauthenticated", "Unknown or expired refresh token");
  const user = await deps.storage.users.byId(outcome.session.userId);
  if (!user || user.disabled) throw new AppError("account_disabled", "The account is disabled");
  return { userId: user.id, sessionId: outcome.session.id, refreshToken, refreshExpiresAt };
}

/** Revokes one of the user's sessions; not_found when it is not theirs or already gone. */
export async function revokeSession(deps: Deps, userId: string, sessionId: string): Promise<void> {
  const revoked = await deps.storage.sessions.revoke(userId, sessionId, deps.now(), {
    emit: (done) => (done ? revokedDrafts(userId, [sessionId]) : []),
  });
  if (!revoked.value) throw new AppError("not_found", "No such session");
  await sessionsRevoked(deps, userId, [sessionId], revoked.events);
}

/**
 * The live session behind a token, checked against storage on every call (no cache).
 * Disabling an account also revokes its sessions, so the user is looked at before the
 * session's revocation: the answer names the real reason, `account_disabled`.
 */
export async function liveSession(deps: Deps, userId: string, sessionId: string): Promise<Session> {
  const session = await deps.storage.sessions.byId(sessionId);
  if (!session || session.userId !== userId) throw new AppError("unauthenticated", "Unknown session");
  const user = await deps.storage.users.byId(userId);
  if (!user) throw new AppError("unauthenticated", "Unknown user");
  if (user.disabled) throw new AppError("account_disabled", "The account is disabled");
  if (session.revokedAt !== null) throw new AppError("session_revoked", "This session was revoked");
  return session;
}

export function makeAuthenticate(deps: Deps): Authenticate {
  return {
    token: async (accessToken) => {
      const claims = await verifyAccessToken(accessToken, deps.secrets, deps.now());
      await liveSession(deps, claims.sub, claims.sid);
      return { userId: claims.sub, sessionId: claims.sid };
    },
    live: async ({ userId, sessionId }) => void (await liveSession(deps, userId, sessionId)),
  };
}
