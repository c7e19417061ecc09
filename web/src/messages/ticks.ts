// Delivery state of your own messages: pending (outbox) → sent (stored) → read (a peer's
// read pointer reached it).
import { state } from "../sync/store.ts";

export function isReadByPeers(chatId: string, seq: number): boolean {
  const peers = state.peerRead[chatId];
  if (!peers) return false;
  return Object.entries(peers).some(([userId, readSeq]) => userId !== state.me?.id && readSeq >= seq);
}
