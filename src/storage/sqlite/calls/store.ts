// SQLite sub-store for finished calls (port: ../../calls-port.ts). History pages run on
// the (chat_id, ended_at, id) index, newest first.
import type { CallEndReason, CallRecord, CallStore } from "../../calls-port.ts";
import { storeNotFound } from "../../errors.ts";
import { commit, type Ctx } from "../tx.ts";

interface CallRow {
  id: string;
  chat_id: string;
  started_by: string;
  started_at: number;
  ended_at: number;
  reason: CallEndReason;
  participant_ids: string;
}

const COLS = "id, chat_id, started_by, started_at, ended_at, reason, participant_ids";

const toRecord = (r: CallRow): CallRecord => ({
  id: r.id,
  chatId: r.chat_id,
  startedBy: r.started_by,
  startedAt: r.started_at,
  endedAt: r.ended_at,
  reason: r.reason,
  participantIds: JSON.parse(r.participant_ids) as string[],
});

export function callStore(ctx: Ctx): CallStore {
  const { db } = ctx;
  const newest = db.query(`SELECT ${COLS} FROM call_history WHERE chat_id = ? ORDER BY ended_at DESC, id DESC LIMIT ?`);
  const older = db.query(
    `SELECT ${COLS} FROM call_history WHERE chat_id = ?1 AND (ended_at < ?2 OR (ended_at = ?2 AND id < ?3)) ORDER BY ended_at DESC, id DESC LIMIT ?4`,
  );
  return {
    record: (call, opts) =>
      commit(ctx, opts, (tx) => {
        if (!tx.query("SELECT 1 FROM chats WHERE id = ?").get(call.chatId)) throw storeNotFound("Chat");
        tx.query(`INSERT INTO call_history (${COLS}) VALUES (?, ?, ?, ?, ?, ?, ?)`).run(
          call.id,
          call.chatId,
          call.startedBy,
          call.startedAt,
          call.endedAt,
          call.reason,
          JSON.stringify(call.participantIds),
        );
        return { ...call, participantIds: [...call.participantIds] };
      }),
    history: async (chatId, page) => {
      const rows = page.before
        ? (older.all(chatId, page.before.endedAt, page.before.id, page.limit) as CallRow[])
        : (newest.all(chatId, page.limit) as CallRow[]);
      return rows.map(toRecord);
    },
  };
}
