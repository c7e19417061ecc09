// What every chat write hands its AccessCheck besides the memberships, read in the same
// transaction: whether the other person of a direct chat blocked the actor.
import type { Database } from "bun:sqlite";
import type { AccessContext } from "../../chats-port.ts";
import { type ChatRow, peerOf } from "./rows.ts";

export const isBlockedIn = (db: Database, userId: string, blockedId: string): boolean =>
  db.query("SELECT 1 FROM user_blocks WHERE user_id = ? AND blocked_id = ?").get(userId, blockedId) !== null;

export function accessContext(db: Database, row: Pick<ChatRow, "kind" | "pair_key">, actorId: string): AccessContext {
  if (row.kind !== "direct") return { blockedByPeer: false };
  const peer = peerOf(row, actorId);
  return { blockedByPeer: peer !== null && peer !== actorId && isBlockedIn(db, peer, actorId) };
}
