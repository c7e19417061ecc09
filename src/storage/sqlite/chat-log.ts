// Per-chat logs (issue #13). A chat-scoped change is stored once: the chat's counter
// (chats.log_pos) is bumped with UPDATE … RETURNING inside the writer's transaction and
// the row goes in under that pos, so positions are contiguous per chat and commit with
// the change. On PostgreSQL the same UPDATE takes the chats row lock, which serializes
// writers of one chat: no reader can see pos N+1 before N.
import type { Database } from "bun:sqlite";
import { storeNotFound } from "../errors.ts";
import type { ChatFollowed, ChatLogDraft, ChatLogEvent, ChatLogHead, ChatLogStore, EventDraft } from "../port.ts";
import type { Ctx } from "./tx.ts";

const BUMP = "UPDATE chats SET log_pos = log_pos + 1 WHERE id = ? RETURNING log_pos AS pos";
const INSERT = "INSERT INTO chat_log (chat_id, pos, type, data, at) VALUES (?, ?, ?, ?, ?)";

/** Runs inside a writer op; a draft for a chat that does not exist fails the op. */
export function appendChatLog(db: Database, drafts: readonly ChatLogDraft[], at: number): ChatLogEvent[] {
  const bump = db.query(BUMP);
  const insert = db.query(INSERT);
  return drafts.map((d) => {
    const row = bump.get(d.chat) as { pos: number } | null;
    if (!row) throw storeNotFound("chat");
    insert.run(d.chat, row.pos, d.type, JSON.stringify(d.data ?? null), at);
    return { chatId: d.chat, pos: row.pos, type: d.type, data: d.data ?? null, at };
  });
}

/** Sets data.pos (and data.entry.pos) of a user-log draft to its chat's log_pos now; see EventDraft.chatPos. */
export function fillChatPos(db: Database, d: EventDraft): void {
  const row = db.query("SELECT log_pos AS pos FROM chats WHERE id = ?").get(d.chatPos!) as { pos: number } | null;
  if (!row) throw storeNotFound("chat");
  const data = d.data as { pos?: number; entry?: { pos?: number } };
  data.pos = row.pos;
  if (data.entry) data.entry.pos = row.pos;
}

export function chatLogStore(ctx: Ctx): ChatLogStore {
  const { db, writer } = ctx;
  const after = db.query("SELECT chat_id AS chatId, pos, type, data, at FROM chat_log WHERE chat_id = ? AND pos > ? ORDER BY pos LIMIT ?");
  const head = db.query("SELECT c.log_pos AS pos, (SELECT min(l.pos) FROM chat_log l WHERE l.chat_id = c.id) AS oldest FROM chats c WHERE c.id = ?");
  const following = db.query(`SELECT c.id AS chatId, c.log_pos AS pos, c.last_at AS lastAt
    FROM chat_members m JOIN chats c ON c.id = m.chat_id WHERE m.user_id = ? ORDER BY c.last_at DESC, c.id DESC LIMIT ?`);
  return {
    append: (drafts) => writer.run((tx) => appendChatLog(tx, drafts, ctx.now())),
    async read(chatId, afterPos, limit) {
      const rows = after.all(chatId, afterPos, limit) as (ChatLogEvent & { data: string })[];
      for (const r of rows) r.data = JSON.parse(r.data);
      return rows;
    },
    async heads(chatIds) {
      const out = new Map<string, ChatLogHead>();
      for (const id of new Set(chatIds)) {
        const h = head.get(id) as { pos: number; oldest: number | null } | null;
        if (h) out.set(id, { pos: h.pos, oldestPos: h.oldest ?? h.pos + 1 });
      }
      return out;
    },
    following: async (userId, limit) => following.all(userId, limit) as ChatFollowed[],
    prune: (keepMax, olderThan) =>
      writer.run((tx) => {
        const old = tx.query("DELETE FROM chat_log WHERE at < ?").run(olderThan).changes;
        const over = tx.query("DELETE FROM chat_log WHERE pos <= (SELECT c.log_pos - ? FROM chats c WHERE c.id = chat_log.chat_id)").run(keepMax).changes;
        return old + over;
      }),
  };
}
