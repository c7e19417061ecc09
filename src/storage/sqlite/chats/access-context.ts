// What every chat write hands its AccessCheck besides the memberships, read in the same
// transaction: whether the other person of a direct chat blocked the actor; and for
// adds, what each person to be added allows (block, privacy setting, shared chats).
import type { Database } from "bun:sqlite";
import type { AccessContext, AddCandidate } from "../../chats-port.ts";
import type { Visibility } from "../../presence-port.ts";
import { type ChatRow, peerOf } from "./rows.ts";

export const isBlockedIn = (db: Database, userId: string, blockedId: string): boolean =>
  db.query("SELECT 1 FROM user_blocks WHERE user_id = ? AND blocked_id = ?").get(userId, blockedId) !== null;

export function accessContext(db: Database, row: Pick<ChatRow, "kind" | "pair_key">, actorId: string): AccessContext {
  if (row.kind !== "direct") return { blockedByPeer: false };
  const peer = peerOf(row, actorId);
  return { blockedByPeer: peer !== null && peer !== actorId && isBlockedIn(db, peer, actorId) };
}

// A shared chat counts as for presence "contacts": a direct chat or a group, not a channel.
const CANDIDATE = `SELECT
    coalesce((SELECT group_add_visibility FROM user_presence WHERE user_id = ?1), 'everyone') AS setting,
    EXISTS (SELECT 1 FROM user_blocks WHERE user_id = ?1 AND blocked_id = ?2) AS blocked,
    EXISTS (SELECT 1 FROM chat_members m JOIN chats c ON c.id = m.chat_id AND c.kind IN ('direct', 'group')
            JOIN chat_members o ON o.chat_id = m.chat_id AND o.user_id = ?2 WHERE m.user_id = ?1) AS shares`;

export function addCandidates(db: Database, actorId: string, userIds: readonly string[]): AddCandidate[] {
  const q = db.query(CANDIDATE);
  return userIds.map((userId) => {
    const r = q.get(userId, actorId) as { setting: Visibility; blocked: number; shares: number };
    return { userId, blockedActor: r.blocked === 1, groupAdd: r.setting, sharesChat: r.shares === 1 };
  });
}
