// Blocks between users on SQLite. What a block means for chat writes is read by
// ./access-context.ts and decided by src/chats/access.ts.
import type { Database } from "bun:sqlite";
import { AppError } from "../../../errors.ts";
import { limits } from "../../../limits.ts";
import type { BlockChanged, BlockStore } from "../../chats-port.ts";
import { commit, type Ctx } from "../tx.ts";
import { isBlockedIn } from "./access-context.ts";
import { requireUser } from "./queries.ts";

function blockOp(db: Database, userId: string, blockedId: string, now: number): BlockChanged {
  requireUser(db, blockedId);
  const prior = db.query("SELECT created_at FROM user_blocks WHERE user_id = ? AND blocked_id = ?").get(userId, blockedId) as { created_at: number } | null;
  if (prior) return { userId, blockedId, changed: false, at: prior.created_at };
  const { n } = db.query("SELECT count(*) AS n FROM user_blocks WHERE user_id = ?").get(userId) as { n: number };
  if (n >= limits.blocksPerUserMax) {
    throw new AppError("limit_exceeded", "You blocked too many people", { limit: "blocksPerUserMax", max: limits.blocksPerUserMax });
  }
  db.query("INSERT INTO user_blocks (user_id, blocked_id, created_at) VALUES (?, ?, ?)").run(userId, blockedId, now);
  return { userId, blockedId, changed: true, at: now };
}

function unblockOp(db: Database, userId: string, blockedId: string, now: number): BlockChanged {
  const { changes } = db.query("DELETE FROM user_blocks WHERE user_id = ? AND blocked_id = ?").run(userId, blockedId);
  return { userId, blockedId, changed: changes > 0, at: now };
}

export function blockStore(ctx: Ctx): BlockStore {
  const { db } = ctx;
  return {
    block: (userId, blockedId, now, opts) => commit(ctx, opts, (tx) => blockOp(tx, userId, blockedId, now)),
    unblock: (userId, blockedId, now, opts) => commit(ctx, opts, (tx) => unblockOp(tx, userId, blockedId, now)),
    async blocks(userId, { limit, afterUserId }) {
      const rows = db
        .query("SELECT blocked_id, created_at FROM user_blocks WHERE user_id = ? AND blocked_id > ? ORDER BY blocked_id LIMIT ?")
        .all(userId, afterUserId ?? "", limit) as { blocked_id: string; created_at: number }[];
      return rows.map((r) => ({ userId: r.blocked_id, at: r.created_at }));
    },
    isBlocked: async (userId, blockedId) => isBlockedIn(db, userId, blockedId),
  };
}
