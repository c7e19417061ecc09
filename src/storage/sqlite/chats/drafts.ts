// Drafts on SQLite: one row per membership (chat_drafts, deleted with the membership by
// its foreign key). Saving the text already stored changes nothing and tells nobody.
import type { Database } from "bun:sqlite";
import type { AccessCheck, Draft, DraftSaved, DraftStore } from "../../chats-port.ts";
import { commit, type Ctx } from "../tx.ts";
import { guard } from "./queries.ts";

export function draftOf(db: Database, chatId: string, userId: string): Draft | null {
  const r = db.query("SELECT text, updated_at FROM chat_drafts WHERE chat_id = ? AND user_id = ?").get(chatId, userId) as {
    text: string;
    updated_at: number;
  } | null;
  return r ? { text: r.text, updatedAt: r.updated_at } : null;
}

/** Deletes the member's draft; true if there was one. */
export const clearDraft = (db: Database, chatId: string, userId: string): boolean =>
  db.query("DELETE FROM chat_drafts WHERE chat_id = ? AND user_id = ?").run(chatId, userId).changes > 0;

function saveOp(db: Database, input: { chatId: string; userId: string; text: string | null; now: number }, check: AccessCheck): DraftSaved {
  const { chatId, userId, text, now } = input;
  guard(db, chatId, userId, check);
  const prior = draftOf(db, chatId, userId);
  if (text === null) return { chatId, userId, draft: null, changed: clearDraft(db, chatId, userId) };
  if (prior?.text === text) return { chatId, userId, draft: prior, changed: false };
  db.query(
    "INSERT INTO chat_drafts (chat_id, user_id, text, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT (chat_id, user_id) DO UPDATE SET text = excluded.text, updated_at = excluded.updated_at",
  ).run(chatId, userId, text, now);
  return { chatId, userId, draft: { text, updatedAt: now }, changed: true };
}

export function draftStore(ctx: Ctx): DraftStore {
  return { saveDraft: (input, check, opts) => commit(ctx, opts, (tx) => saveOp(tx, input, check)) };
}
