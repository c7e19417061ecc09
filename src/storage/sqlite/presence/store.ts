// SQLite sub-store for last seen and privacy settings (port: ../../presence-port.ts).
// Peer queries run on chat_members' primary key (chat_id, user_id) and its user index.
import type { Database } from "bun:sqlite";
import { DEFAULT_PRIVACY, type PresenceStore, type PrivacySettings, type Visibility } from "../../presence-port.ts";
import { commit, type Ctx } from "../tx.ts";

interface PrivacyRow {
  user_id: string;
  last_seen_visibility: Visibility;
  read_receipts_visibility: Visibility;
  group_add_visibility: Visibility;
}

const PRIVACY_COLS = "user_id, last_seen_visibility, read_receipts_visibility, group_add_visibility";
const placeholders = (n: number) => Array.from({ length: n }, () => "?").join(",");
const toPrivacy = (r: PrivacyRow | null): PrivacySettings =>
  r ? { lastSeen: r.last_seen_visibility, readReceipts: r.read_receipts_visibility, groupAdd: r.group_add_visibility } : { ...DEFAULT_PRIVACY };

// SQLite allows many more bound parameters, but chunking keeps each statement small and cacheable.
const CHUNK = 200;
function chunked<T>(ids: readonly string[], f: (part: string[]) => T[]): T[] {
  const out: T[] = [];
  for (let i = 0; i < ids.length; i += CHUNK) out.push(...f(ids.slice(i, i + CHUNK)));
  return out;
}

function setPrivacyOp(db: Database, userId: string, patch: Partial<PrivacySettings>): PrivacySettings {
  // a user that does not exist inserts nothing (the SELECT finds no row)
  db.query(
    `INSERT INTO user_presence (user_id, last_seen_visibility, read_receipts_visibility, group_add_visibility)
     SELECT id, coalesce(?2, 'everyone'), coalesce(?3, 'everyone'), coalesce(?4, 'everyone') FROM users WHERE id = ?1
     ON CONFLICT (user_id) DO UPDATE SET
       last_seen_visibility = coalesce(?2, last_seen_visibility),
       read_receipts_visibility = coalesce(?3, read_receipts_visibility),
       group_add_visibility = coalesce(?4, group_add_visibility)`,
  ).run(userId, patch.lastSeen ?? null, patch.readReceipts ?? null, patch.groupAdd ?? null);
  const row = db.query(`SELECT ${PRIVACY_COLS} FROM user_presence WHERE user_id = ?`).get(userId) as PrivacyRow | null;
  return toPrivacy(row);
}

const SHARED_CHATS = `
  SELECT DISTINCT o.user_id FROM chat_members m
  JOIN chats c ON c.id = m.chat_id
  JOIN chat_members o ON o.chat_id = m.chat_id AND o.user_id != m.user_id
  WHERE m.user_id = ?`;

export function presenceStore(ctx: Ctx): PresenceStore {
  const { db } = ctx;
  return {
    async setLastSeen(userId, at) {
      await ctx.writer.run((tx) =>
        tx
          .query(
            `INSERT INTO user_presence (user_id, last_seen_at) SELECT id, ?2 FROM users WHERE id = ?1
             ON CONFLICT (user_id) DO UPDATE SET last_seen_at = max(coalesce(last_seen_at, 0), excluded.last_seen_at)`,
          )
          .run(userId, at),
      );
    },
    async lastSeen(userIds) {
      const rows = chunked(userIds, (part) =>
        db.query(`SELECT user_id, last_seen_at FROM user_presence WHERE last_seen_at IS NOT NULL AND user_id IN (${placeholders(part.length)})`).all(...part),
      ) as { user_id: string; last_seen_at: number }[];
      return new Map(rows.map((r) => [r.user_id, r.last_seen_at]));
    },
    async privacy(userIds) {
      const rows = chunked(userIds, (part) =>
        db
          .query(`SELECT ${PRIVACY_COLS} FROM user_presence WHERE user_id IN (${placeholders(part.length)})`)
          .all(...part),
      ) as PrivacyRow[];
      const found = new Map(rows.map((r) => [r.user_id, r]));
      return new Map(userIds.map((id) => [id, toPrivacy(found.get(id) ?? null)]));
    },
    setPrivacy(userId, patch, opts) {
      return commit(ctx, opts, (tx) => setPrivacyOp(tx, userId, patch));
    },
    async pushPeers(userId, groupMembersMax, limit) {
      const rows = db
        .query(`${SHARED_CHATS} AND (c.kind = 'direct' OR (c.kind = 'group' AND c.member_count <= ?)) LIMIT ?`)
        .values(userId, groupMembersMax, limit) as [string][];
      return rows.map((r) => r[0]);
    },
    async sharingChat(userId, candidates) {
      const rows = chunked(candidates, (part) =>
        db.query(`${SHARED_CHATS} AND c.kind IN ('direct', 'group') AND o.user_id IN (${placeholders(part.length)})`).values(userId, ...part),
      ) as [string][];
      return new Set(rows.map((r) => r[0]));
    },
  };
}
