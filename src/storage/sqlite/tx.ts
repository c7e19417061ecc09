// One mutating use case = one writer op. This wraps the op with what every mutation
// may carry (WriteOpts): the idempotency record and the emitted events, both written in
// the SAME savepoint as the change, so they commit or vanish together. Chat-log drafts
// are appended before user-log drafts (see EventDraft.chatPos).
import type { Database } from "bun:sqlite";
import type { TotpBox } from "../../secrets/totp-box.ts";
import type { ChatLogDraft, Committed, EventDraft, WriteOpts } from "../port.ts";
import { storeConflict } from "../errors.ts";
import { appendChatLog, fillChatPos } from "./chat-log.ts";
import { appendEvents } from "./events.ts";
import type { Writer } from "./writer.ts";

export interface Ctx {
  db: Database;
  writer: Writer;
  now: () => number;
  /** TOTP secrets at rest (users.ts); absent in tests that store them as given. */
  totpBox?: TotpBox;
}

/**
 * `current` re-reads, on a replay, the state of what the first request made (an invite
 * revoked since is returned revoked, not as it was); without it the first result is returned.
 */
export function commit<R>(ctx: Ctx, opts: WriteOpts<R> | undefined, change: (db: Database) => R, current?: (db: Database, first: R) => R): Promise<Committed<R>> {
  return ctx.writer.run((db) => {
    const idem = opts?.idempotency;
    if (idem) {
      const row = db
        .query("SELECT method, result FROM idempotency WHERE user_id = ? AND key = ?")
        .get(idem.userId, idem.key) as { method: string; result: string } | null;
      if (row) {
        // The same key for another method is a client bug, not a retry.
        if (row.method !== idem.method) throw storeConflict("idempotency key");
        const first = JSON.parse(row.result) as R;
        return { value: current ? current(db, first) : first, events: [], replayed: true };
      }
    }
    const value = change(db);
    const drafts = opts?.emit ? opts.emit(value) : [];
    // Chat logs first: a user event with chatPos (chat.joined, chat.left…) then carries the
    // chat's pos after this transaction's own chat-log events.
    const chatDrafts = drafts.filter((d): d is ChatLogDraft => "chat" in d);
    const chatEvents = chatDrafts.length > 0 ? appendChatLog(db, chatDrafts, ctx.now()) : undefined;
    const userDrafts = drafts.filter((d): d is EventDraft => "to" in d);
    for (const d of userDrafts) if (d.chatPos !== undefined) fillChatPos(db, d);
    const events = appendEvents(db, userDrafts, ctx.now());
    if (idem) {
      db.query("INSERT INTO idempotency (user_id, key, method, result, created_at) VALUES (?, ?, ?, ?, ?)").run(
        idem.userId,
        idem.key,
        idem.method,
        JSON.stringify(value),
        ctx.now(),
      );
    }
    return { value, events, ...(chatEvents ? { chatEvents } : {}), replayed: false };
  });
}
