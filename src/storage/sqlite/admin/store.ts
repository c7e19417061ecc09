// SQLite adapter of AdminStore (../../admin-port.ts).
import type { AdminStore, AuditRecord, IpBlock, UsageByChat, UsageByUser } from "../../admin-port.ts";
import { AppError } from "../../../errors.ts";
import { storeConflict } from "../../errors.ts";
import type { Ctx } from "../tx.ts";

interface BlockRow {
  id: string;
  cidr: string;
  note: string;
  created_by: string | null;
  created_at: number;
  expires_at: number | null;
}

const toBlock = (r: BlockRow): IpBlock => ({ id: r.id, cidr: r.cidr, note: r.note, createdBy: r.created_by, createdAt: r.created_at, expiresAt: r.expires_at });

/** A direct chat or saved messages has no title: name it by its people. */
const TITLE = `CASE WHEN c.title = '' AND c.kind IN ('direct', 'saved') THEN coalesce((SELECT group_concat(u.display_name, ' & ')
  FROM (SELECT u.display_name FROM chat_members cm JOIN users u ON u.id = cm.user_id WHERE cm.chat_id = c.id ORDER BY u.username LIMIT 2) u), '') ELSE c.title END`;

const AUDIT_COLS = "id, at, actor_id AS actorId, actor_name AS actorName, action, target, detail";

export function adminStore({ db, writer }: Ctx): AdminStore {
  return {
    addIpBlock: (b, max, now) =>
      writer.run((tx) => {
        tx.query("DELETE FROM ip_blocks WHERE expires_at IS NOT NULL AND expires_at <= ?").run(now);
        if (tx.query("SELECT 1 FROM ip_blocks WHERE cidr = ?").get(b.cidr)) throw storeConflict("IP block");
        const n = (tx.query("SELECT count(*) AS n FROM ip_blocks").get() as { n: number }).n;
        if (n >= max) throw new AppError("limit_exceeded", `At most ${max} IP blocks are in force at once`, { limit: "ipBlocksMax", max });
        tx.query("INSERT INTO ip_blocks (id, cidr, note, created_by, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)").run(b.id, b.cidr, b.note, b.createdBy, b.createdAt, b.expiresAt);
        return b;
      }),
    removeIpBlock: (id) => writer.run((tx) => tx.query("DELETE FROM ip_blocks WHERE id = ?").run(id).changes > 0),
    ipBlocks: async (now) =>
      (db.query("SELECT * FROM ip_blocks WHERE expires_at IS NULL OR expires_at > ? ORDER BY created_at DESC, id DESC").all(now) as BlockRow[]).map(toBlock),
    audit: (r, keep) =>
      writer.run((tx) => {
        tx.query("INSERT INTO admin_audit (at, actor_id, actor_name, action, target, detail) VALUES (?, ?, ?, ?, ?, ?)").run(r.at, r.actorId, r.actorName, r.action, r.target, r.detail);
        tx.query("DELETE FROM admin_audit WHERE at < ?").run(keep.olderThan);
        tx.query("DELETE FROM admin_audit WHERE id <= (SELECT id FROM admin_audit ORDER BY id DESC LIMIT 1 OFFSET ?)").run(keep.keepMax);
      }),
    auditPage: async ({ beforeId, limit }) =>
      (beforeId === undefined
        ? db.query(`SELECT ${AUDIT_COLS} FROM admin_audit ORDER BY id DESC LIMIT ?`).all(limit)
        : db.query(`SELECT ${AUDIT_COLS} FROM admin_audit WHERE id < ? ORDER BY id DESC LIMIT ?`).all(beforeId, limit)) as AuditRecord[],
    usageByUser: async (limit) =>
      db
        .query(
          `SELECT u.id AS userId, u.username, u.display_name AS displayName, sum(x.size) AS usedBytes, count(*) AS files FROM (
             SELECT owner_id AS user_id, size FROM media WHERE owner_id IS NOT NULL
             UNION ALL SELECT user_id, size FROM media_uploads
           ) x JOIN users u ON u.id = x.user_id GROUP BY u.id ORDER BY usedBytes DESC, u.id LIMIT ?`,
        )
        .all(limit) as UsageByUser[],
    usageByChat: async (limit) =>
      db
        .query(
          `SELECT c.id AS chatId, c.kind, ${TITLE} AS title, sum(md.size) AS usedBytes, count(*) AS files FROM (
             SELECT DISTINCT mm.chat_id, mm.media_id FROM message_media mm JOIN messages m ON m.id = mm.message_id WHERE m.deleted_at IS NULL
           ) x JOIN media md ON md.id = x.media_id JOIN chats c ON c.id = x.chat_id
           GROUP BY c.id ORDER BY usedBytes DESC, c.id LIMIT ?`,
        )
        .all(limit) as UsageByChat[],
  };
}
