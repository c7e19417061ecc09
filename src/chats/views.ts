// Port values → wire shapes (src/protocol/methods/chats.ts). The port's Membership
// carries chat and user ids; on the wire "me" is implied by who asks.
import type { ChatEntry, MySettings } from "../protocol/methods/chats.ts";
import type { Chat, ChatListEntry, MemberRole, Membership } from "../storage/chats-port.ts";

export const mySettings = (m: Membership): MySettings => ({
  role: m.role,
  joinedAt: m.joinedAt,
  readSeq: m.readSeq,
  muted: m.muted,
  notify: { level: m.notifyLevel, muteUntil: m.muteUntil },
  archived: m.archived,
  pinnedAt: m.pinnedAt,
});

export const chatEntry = (e: ChatListEntry): ChatEntry => ({
  chat: e.chat,
  me: mySettings(e.membership),
  peerId: e.peerId,
  unreadCount: e.unreadCount,
  unreadMentionCount: e.unreadMentionCount,
  lastMessage: e.lastMessage,
  ...(e.draft ? { draft: e.draft } : {}),
});

/** The entry of someone who just joined: nothing read before joining is unread. */
export function joinedEntry(chat: Chat, role: MemberRole, joinedAt: number, peerId: string | null, lastMessage: ChatEntry["lastMessage"] = null): ChatEntry {
  return {
    chat,
    me: { role, joinedAt, readSeq: chat.lastSeq, muted: false, notify: { level: "all", muteUntil: null }, archived: false, pinnedAt: null },
    peerId,
    unreadCount: 0,
    unreadMentionCount: 0,
    lastMessage,
  };
}
