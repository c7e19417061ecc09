import type { Database } from "bun:sqlite";
import { limits } from "../../limits.ts";
import type { RefreshOutcome, Session, SessionStore, WriteOpts } from "../port.ts";
import { sessionLimitExceeded, storeConflict, storeNotFound } from "../errors.ts";
import { SESSION_COLS, toSession, type SessionRow } from "./rows.ts";
import { commit, type Ctx } from "./tx.ts";

/** Runs inside a writer op: revokes the user's live sessions except one; returns their ids. */
export function revokeSessions(db: Database, userId: string, exceptId: string | null, now: number): string[] {
  const rows = db
    .query("UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL AND id IS NOT ? RETURNING id")
    .values(now, userId, exceptId) as [string][];
  return rows.map((r) => r[0]);
}

function sessionById(db: Database, id: string): Session | null {
  const r = db.query(`SELECT ${SESSION_COLS} FROM sessions WHERE id = ?`).get(id) as SessionRow | null;
  return r ? toSession(r) : null;
}

interface TokenRow {
  session_id: string;
  expires_at: number;
  used_at: number | null;
}

function rotate(db: Database, presented: string, next: { hash: string; expiresAt: number }, now: number, ip: string): RefreshOutcome {
  const t = db.query("SELECT session_id, expires_at, used_at FROM refresh_tokens WHERE hash = ?").get(presented) as TokenRow | null;
  if (!t) return { kind: "invalid" };
  const s = sessionById(db, t.session_id);
  if (!s || s.revokedAt !== null) return { kind: "invalid" };
  if (t.used_at !== null) {
    // A used token presented again means it was copied: end the session for everyone holding it.
    db.query("UPDATE sessions SET revoked_at = ? WHERE id = ?").run(now, s.id);
    return { kind: "reused", session: sessionById(db, s.id)! };
  }
  if (t.expires_at <= now) return { kind: "invalid" };
  db.query("UPDATE refresh_tokens SET used_at = ? WHERE hash = ?").run(now, presented);
  db.query("INSERT INTO refresh_tokens (hash, session_id, created_at, expires_at, used_at) VALUES (?, ?, ?, ?, NULL)").run(
    next.hash,
    s.id,
    now,
    next.expiresAt,
  );
  db.query("UPDATE sessions SET last_seen_at = ?, ip = ? WHERE id = ?").run(now, ip, s.id);
  return { kind: "rotated", session: sessionById(db, s.id)! };
}

// Live = not revoked and still refreshable: sessions abandoned until their refresh
// token expired must not lock a user out of signing in ever again.
const LIVE_COUNT = `SELECT count(*) AS n FROM sessions s WHERE s.user_id = ?1 AND s.revoked_at IS NULL
  AND EXISTS (SELECT 1 FROM refresh_tokens r WHERE r.session_id = s.id AND r.used_at IS NULL AND r.expires_at > ?2)`;

export function sessionStore(ctx: Ctx): SessionStore {
  const { db, writer } = ctx;
  const byId = db.query(`SELECT ${SESSION_COLS} FROM sessions WHERE id = ?`);
  return {
    create: (n) =>
      writer.run((tx) => {
        if (!tx.query("SELECT 1 FROM users WHERE id = ?").get(n.userId)) throw storeNotFound("User");
        if (tx.query("SELECT 1 FROM sessions WHERE id = ?").get(n.id)) throw storeConflict("session id");
        const live = tx.query(LIVE_COUNT).get(n.userId, n.createdAt) as { n: number };
        if (live.n >= limits.sessionsPerUserMax) throw sessionLimitExceeded();
        tx.query(
          "INSERT INTO sessions (id, user_id, device_name, ip, created_at, last_seen_at, revoked_at, last_acked_event_id) VALUES (?, ?, ?, ?, ?, ?, NULL, 0)",
        ).run(n.id, n.userId, n.deviceName, n.ip, n.createdAt, n.createdAt);
        if (tx.query("SELECT 1 FROM refresh_tokens WHERE hash = ?").get(n.refreshHash)) throw storeConflict("refresh token");
        tx.query("INSERT INTO refresh_tokens (hash, session_id, created_at, expires_at, used_at) VALUES (?, ?, ?, ?, NULL)").run(
          n.refreshHash,
          n.id,
          n.createdAt,
          n.refreshExpiresAt,
        );
        return sessionById(tx, n.id)!;
      }),
    byId: async (id) => {
      const r = byId.get(id) as SessionRow | null;
      return r ? toSession(r) : null;
    },
    listForUser: async (userId) =>
      (
        db
          .query(`SELECT ${SESSION_COLS} FROM sessions WHERE user_id = ? AND revoked_at IS NULL ORDER BY created_at DESC, id DESC`)
          .all(userId) as SessionRow[]
      ).map(toSession),
    rotateRefresh: (presented, next, now, ip, opts) => commit(ctx, opts, (tx) => rotate(tx, presented, next, now, ip)),
    revoke: (userId, sessionId, now, opts) =>
      commit(
        ctx,
        opts,
        (tx) =>
          tx.query("UPDATE sessions SET revoked_at = ? WHERE id = ? AND user_id = ? AND revoked_at IS NULL").run(now, sessionId, userId)
            .changes === 1,
      ),
    revokeAllForUser: (userId, exceptId, now) => writer.run((tx) => revokeSessions(tx, userId, exceptId, now)),
    touch: (sessionId, now, ip) =>
      writer.run((tx) => {
        tx.query("UPDATE sessions SET last_seen_at = max(last_seen_at, ?), ip = ? WHERE id = ?").run(now, ip, sessionId);
      }),
    ack: (sessionId, lastEventId) =>
      writer.run((tx) => {
        // Acks only move forward: a late duplicate must not rewind the resume point.
        tx.query("UPDATE sessions SET last_acked_event_id = max(last_acked_event_id, ?) WHERE id = ?").run(lastEventId, sessionId);
      }),
  };
}
