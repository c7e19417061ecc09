// SQLite sub-store for Web Push subscriptions and notification settings (port:
// ../../push-port.ts). A revoked session's subscription is deleted by the trigger
// `push_subscriptions_session_revoked` (migration 0010) in the revoking transaction;
// reads also join live sessions, so nothing is sent to a session being revoked.
import type { Database } from "bun:sqlite";
import { DEFAULT_NOTIFY, type NotifySettings, type PushAudienceMember, type PushStore, type PushSubscriptionRow } from "../../push-port.ts";
import { storeNotFound } from "../../errors.ts";
import { commit, type Ctx } from "../tx.ts";

interface SubRow {
  session_id: string;
  user_id: string;
  endpoint: string;
  p256dh: string;
  auth: string;
  key_id: string;
  created_at: number;
}

interface SettingsRow {
  user_id: string;
  dnd_until: number | null;
  dnd_schedule: string | null;
  calls_bypass_dnd: number;
  all_mentions_notify: number;
  hide_content: number;
}

const SUB_COLS = "p.session_id, p.user_id, p.endpoint, p.p256dh, p.auth, p.key_id, p.created_at";
const LIVE = "JOIN sessions s ON s.id = p.session_id AND s.revoked_at IS NULL";
const SETTINGS_COLS = "user_id, dnd_until, dnd_schedule, calls_bypass_dnd, all_mentions_notify, hide_content";
const placeholders = (n: number) => Array.from({ length: n }, () => "?").join(",");
const CHUNK = 200;

const toSub = (r: SubRow): PushSubscriptionRow => ({
  sessionId: r.session_id,
  userId: r.user_id,
  endpoint: r.endpoint,
  p256dh: r.p256dh,
  auth: r.auth,
  keyId: r.key_id,
  createdAt: r.created_at,
});

const toSettings = (r: SettingsRow | null): NotifySettings =>
  r
    ? {
        dnd: { until: r.dnd_until, schedule: r.dnd_schedule ? JSON.parse(r.dnd_schedule) : null },
        callsBypassDnd: r.calls_bypass_dnd === 1,
        allMentionsNotify: r.all_mentions_notify === 1,
        hideContent: r.hide_content === 1,
      }
    : structuredClone(DEFAULT_NOTIFY);

function chunked<T>(ids: readonly string[], f: (part: string[]) => T[]): T[] {
  const out: T[] = [];
  for (let i = 0; i < ids.length; i += CHUNK) out.push(...f(ids.slice(i, i + CHUNK)));
  return out;
}

function subscribeOp(db: Database, sub: PushSubscriptionRow): void {
  const live = db.query("SELECT 1 FROM sessions WHERE id = ? AND user_id = ? AND revoked_at IS NULL").get(sub.sessionId, sub.userId);
  if (!live) throw storeNotFound("Session");
  db.query("DELETE FROM push_subscriptions WHERE endpoint = ? AND session_id != ?").run(sub.endpoint, sub.sessionId);
  db.query(
    `INSERT INTO push_subscriptions (session_id, user_id, endpoint, p256dh, auth, key_id, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
     ON CONFLICT (session_id) DO UPDATE SET endpoint = ?3, p256dh = ?4, auth = ?5, key_id = ?6, created_at = ?7`,
  ).run(sub.sessionId, sub.userId, sub.endpoint, sub.p256dh, sub.auth, sub.keyId, sub.createdAt);
}

function setSettingsOp(db: Database, userId: string, patch: Partial<NotifySettings>): NotifySettings {
  if (!db.query("SELECT 1 FROM users WHERE id = ?").get(userId)) throw storeNotFound("User");
  const cur = toSettings(db.query(`SELECT ${SETTINGS_COLS} FROM notify_settings WHERE user_id = ?`).get(userId) as SettingsRow | null);
  const next: NotifySettings = { ...cur, ...patch, dnd: patch.dnd ?? cur.dnd };
  db.query(
    `INSERT INTO notify_settings (user_id, dnd_until, dnd_schedule, calls_bypass_dnd, all_mentions_notify, hide_content) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
     ON CONFLICT (user_id) DO UPDATE SET dnd_until = ?2, dnd_schedule = ?3, calls_bypass_dnd = ?4, all_mentions_notify = ?5, hide_content = ?6`,
  ).run(
    userId,
    next.dnd.until,
    next.dnd.schedule ? JSON.stringify(next.dnd.schedule) : null,
    next.callsBypassDnd ? 1 : 0,
    next.allMentionsNotify ? 1 : 0,
    next.hideContent ? 1 : 0,
  );
  return next;
}

export function pushStore(ctx: Ctx): PushStore {
  const { db, writer } = ctx;
  return {
    async subscribe(sub) {
      await writer.run((tx) => subscribeOp(tx, sub));
    },
    unsubscribe: (sessionId) => writer.run((tx) => tx.query("DELETE FROM push_subscriptions WHERE session_id = ?").run(sessionId).changes > 0),
    removeGone: (sessionId, endpoint) =>
      writer.run((tx) => tx.query("DELETE FROM push_subscriptions WHERE session_id = ? AND endpoint = ?").run(sessionId, endpoint).changes > 0),
    async forUsers(userIds) {
      const rows = chunked(userIds, (part) =>
        db.query(`SELECT ${SUB_COLS} FROM push_subscriptions p ${LIVE} WHERE p.user_id IN (${placeholders(part.length)})`).all(...part),
      ) as SubRow[];
      return rows.map(toSub);
    },
    async bySession(sessionId) {
      const r = db.query(`SELECT ${SUB_COLS} FROM push_subscriptions p ${LIVE} WHERE p.session_id = ?`).get(sessionId) as SubRow | null;
      return r ? toSub(r) : null;
    },
    async sessionsWithPush(userId) {
      const rows = db.query(`SELECT p.session_id FROM push_subscriptions p ${LIVE} WHERE p.user_id = ?`).values(userId) as [string][];
      return new Set(rows.map((r) => r[0]));
    },
    dropOtherKeys: (keyId) => writer.run((tx) => tx.query("DELETE FROM push_subscriptions WHERE key_id != ?").run(keyId).changes),
    async audience(chatId, exceptUserId) {
      const rows = db
        .query(
          `SELECT m.user_id, m.notify_level, m.muted, m.mute_until FROM chat_members m
           WHERE m.chat_id = ? AND m.user_id != ? AND EXISTS (SELECT 1 FROM push_subscriptions p ${LIVE} WHERE p.user_id = m.user_id)`,
        )
        .all(chatId, exceptUserId) as { user_id: string; notify_level: PushAudienceMember["notifyLevel"]; muted: number; mute_until: number | null }[];
      return rows.map((r) => ({ userId: r.user_id, notifyLevel: r.notify_level, muteUntil: r.muted === 1 ? 2 ** 53 - 1 : r.mute_until }));
    },
    async settings(userIds) {
      const rows = chunked(userIds, (part) =>
        db.query(`SELECT ${SETTINGS_COLS} FROM notify_settings WHERE user_id IN (${placeholders(part.length)})`).all(...part),
      ) as SettingsRow[];
      const found = new Map(rows.map((r) => [r.user_id, r]));
      return new Map(userIds.map((id) => [id, toSettings(found.get(id) ?? null)]));
    },
    setSettings: (userId, patch, opts) => commit(ctx, opts, (tx) => setSettingsOp(tx, userId, patch)),
  };
}
