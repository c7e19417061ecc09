// Reactions on SQLite: one row per (message, emoji, user). Toggling reads the user's
// row, the message's distinct emoji and the user's count in the same transaction, so
// the limits hold under concurrent toggles.
import type { Database } from "bun:sqlite";
import { AppError } from "../../../errors.ts";
import { limits } from "../../../limits.ts";
import type { MessageCheck, ReactionChanged, ReactionCount, ReactionStore } from "../../chats-port.ts";
import { commit, type Ctx } from "../tx.ts";
import { accessContext } from "./access-context.ts";
import { guardMember, messageIn, messageNotFound } from "./queries.ts";

type Toggle = { chatId: string; messageId: string; userId: string; emoji: string; now: number };

const COUNTS = `SELECT emoji, count(*) AS count FROM message_reactions WHERE message_id = ? GROUP BY emoji ORDER BY min(created_at), emoji`;
const counts = (db: Database, messageId: string) => db.query(COUNTS).all(messageId) as { emoji: string; count: number }[];

const full = (limit: "reactionsDistinctPerMessageMax" | "reactionsPerUserPerMessageMax", what: string) =>
  new AppError("limit_exceeded", what, { limit, max: limits[limit] });

function toggleOp(db: Database, t: Toggle, check: MessageCheck): ReactionChanged {
  const { row, chat, actor } = guardMember(db, t.chatId, t.userId);
  const message = messageIn(db, t.chatId, t.messageId);
  if (!message) throw messageNotFound();
  check(chat, actor, message, accessContext(db, row, t.userId));
  if (message.deletedAt !== null) throw messageNotFound(); // a tombstone takes no reactions
  const mine = db.query("SELECT 1 FROM message_reactions WHERE message_id = ? AND emoji = ? AND user_id = ?").get(t.messageId, t.emoji, t.userId);
  if (mine) {
    db.query("DELETE FROM message_reactions WHERE message_id = ? AND emoji = ? AND user_id = ?").run(t.messageId, t.emoji, t.userId);
  } else {
    const before = counts(db, t.messageId);
    if (!before.some((c) => c.emoji === t.emoji) && before.length >= limits.reactionsDistinctPerMessageMax) {
      throw full("reactionsDistinctPerMessageMax", "This message has as many different reactions as it may");
    }
    const { n } = db.query("SELECT count(*) AS n FROM message_reactions WHERE message_id = ? AND user_id = ?").get(t.messageId, t.userId) as { n: number };
    if (n >= limits.reactionsPerUserPerMessageMax) throw full("reactionsPerUserPerMessageMax", "You reacted to this message as often as you may");
    db.query("INSERT INTO message_reactions (message_id, emoji, user_id, chat_id, created_at) VALUES (?, ?, ?, ?, ?)").run(
      t.messageId, t.emoji, t.userId, t.chatId, t.now,
    );
  }
  const { chatId, messageId, userId, emoji } = t;
  return { chatId, messageId, userId, emoji, added: !mine, counts: counts(db, messageId) };
}

// Message pages hold at most limits.pageSizeMax ids: one query per page, not per message.
function reactionsOf(db: Database, ids: readonly string[], userId: string): Map<string, ReactionCount[]> {
  const out = new Map<string, ReactionCount[]>();
  if (ids.length === 0) return out;
  const marks = ids.map(() => "?").join(", ");
  const rows = db
    .query(
      `SELECT message_id, emoji, count(*) AS count, max(user_id = ?) AS mine FROM message_reactions
       WHERE message_id IN (${marks}) GROUP BY message_id, emoji ORDER BY message_id, min(created_at), emoji`,
    )
    .all(userId, ...ids) as { message_id: string; emoji: string; count: number; mine: number }[];
  for (const r of rows) {
    let list = out.get(r.message_id);
    if (!list) out.set(r.message_id, (list = []));
    list.push({ emoji: r.emoji, count: r.count, mine: r.mine === 1 });
  }
  return out;
}

export function reactionStore(ctx: Ctx): ReactionStore {
  const { db } = ctx;
  return {
    toggleReaction: (input, check, opts) => commit(ctx, opts, (tx) => toggleOp(tx, input, check)),
    reactionsOf: async (ids, userId) => reactionsOf(db, ids.slice(0, limits.pageSizeMax), userId),
    async reactors(messageId, emoji, { limit, afterUserId }) {
      const rows = db
        .query("SELECT user_id, created_at FROM message_reactions WHERE message_id = ? AND emoji = ? AND user_id > ? ORDER BY user_id LIMIT ?")
        .all(messageId, emoji, afterUserId ?? "", limit) as { user_id: string; created_at: number }[];
      return rows.map((r) => ({ userId: r.user_id, at: r.created_at }));
    },
  };
}
