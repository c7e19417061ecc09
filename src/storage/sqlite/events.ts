// Per-user event queues. Each recipient's copy gets that user's next id (exactly +1,
// assigned inside the writer's transaction, so concurrent appends never leave gaps);
// the queue id is created on first use and changes only if the queue is reset.
import type { Database } from "bun:sqlite";
import { newId } from "../../ids.ts";
import type { EventDraft, EventStore, QueueInfo, StoredEvent } from "../port.ts";
import type { Ctx } from "./tx.ts";

const BUMP = "UPDATE event_queues SET last_event_id = last_event_id + 1 WHERE user_id = ? RETURNING last_event_id AS id";
const FIRST = "INSERT INTO event_queues (user_id, queue_id, last_event_id) VALUES (?, ?, 1)";
const INSERT_EVENT = "INSERT INTO events (user_id, id, type, data, at) VALUES (?, ?, ?, ?, ?)";

/** Runs inside a writer op. */
export function appendEvents(db: Database, drafts: readonly EventDraft[], at: number): StoredEvent[] {
  const bump = db.query(BUMP);
  const insert = db.query(INSERT_EVENT);
  const out: StoredEvent[] = [];
  for (const d of drafts) {
    const json = JSON.stringify(d.data ?? null);
    for (const userId of d.to) {
      const row = bump.get(userId) as { id: number } | null;
      const id = row?.id ?? (db.query(FIRST).run(userId, newId(at)), 1);
      insert.run(userId, id, d.type, json, at);
      out.push({ userId, id, type: d.type, data: d.data ?? null, at });
    }
  }
  return out;
}

interface HeadRow {
  queue_id: string;
  last_event_id: number;
  oldest: number | null;
}

const HEAD = `SELECT q.queue_id, q.last_event_id,
  (SELECT min(e.id) FROM events e WHERE e.user_id = q.user_id) AS oldest
  FROM event_queues q WHERE q.user_id = ?`;

function toInfo(h: HeadRow): QueueInfo {
  return { queueId: h.queue_id, lastEventId: h.last_event_id, oldestEventId: h.oldest ?? h.last_event_id + 1 };
}

export function eventStore(ctx: Ctx): EventStore {
  const { db, writer } = ctx;
  const head = db.query(HEAD);
  const after = db.query("SELECT user_id AS userId, id, type, data, at FROM events WHERE user_id = ? AND id > ? ORDER BY id LIMIT ?");
  return {
    append: (drafts) => writer.run((tx) => appendEvents(tx, drafts, ctx.now())),
    async queueInfo(userId) {
      const h = head.get(userId) as HeadRow | null;
      if (h) return toInfo(h);
      // First use: the queue id must be stored so a later resume can match it.
      return writer.run((tx) => {
        tx.query("INSERT OR IGNORE INTO event_queues (user_id, queue_id, last_event_id) VALUES (?, ?, 0)").run(userId, newId(ctx.now()));
        return toInfo(tx.query(HEAD).get(userId) as HeadRow);
      });
    },
    async readAfter(userId, afterId, limit) {
      const rows = after.all(userId, afterId, limit) as (StoredEvent & { data: string })[];
      for (const r of rows) r.data = JSON.parse(r.data);
      return rows;
    },
    prune: (keepMax, olderThan) =>
      writer.run((tx) => {
        const old = tx.query("DELETE FROM events WHERE at < ?").run(olderThan).changes;
        const over = tx
          .query("DELETE FROM events WHERE id <= (SELECT q.last_event_id - ? FROM event_queues q WHERE q.user_id = events.user_id)")
          .run(keepMax).changes;
        return old + over;
      }),
  };
}
