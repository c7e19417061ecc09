// Port values → wire shapes (src/protocol/methods/chats.ts). The port's Membership
// carries chat and user ids; on the wire "me" is implied by who asks.
import type { ChatEntry, MySettings } from "../protocol/methods/chats.ts";
import type { Chat, ChatListEntry, MemberRole, Membership } from "../storage/chats-port.ts";
import type { StoredEvent } from "../storage/port.ts";

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
  pos: e.pos,
  me: mySettings(e.membership),
  peerId: e.peerId,
  unreadCount: e.unreadCount,
  unreadMentionCount: e.unreadMentionCount,
  ...(e.hiddenUnread.length > 0 ? { hiddenUnread: e.hiddenUnread } : {}),
  lastMessage: e.lastMessage,
  ...(e.draft ? { draft: e.draft } : {}),
});

/**
 * The entry of someone who just joined: nothing read before joining is unread. Built
 * inside an emit, before the chat's log moves: pos stays 0 until the store fills it
 * (EventDraft.chatPos, see posDraft in ./drafts.ts).
 */
export function joinedEntry(chat: Chat, role: MemberRole, joinedAt: number, peerId: string | null, lastMessage: ChatEntry["lastMessage"] = null): ChatEntry {
  return {
    chat,
    pos: 0,
    me: { role, joinedAt, readSeq: chat.lastSeq, muted: false, notify: { level: "all", muteUntil: null }, archived: false, pinnedAt: null },
    peerId,
    unreadCount: 0,
    unreadMentionCount: 0,
    lastMessage,
  };
}

/** The entry a committed chat.created / chat.joined carried to this user (its pos filled by the store), if any. */
export function committedEntry(events: readonly StoredEvent[], userId: string, type: "chat.created" | "chat.joined"): ChatEntry | null {
  const e = events.find((x) => x.userId === userId && x.type === type);
  return e ? (e.data as { entry: ChatEntry }).entry : null;
}
