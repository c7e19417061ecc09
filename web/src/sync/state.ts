// The client's state, grouped by domain, and the pure functions that build it from the
// welcome snapshot and change it by protocol events. They mutate a plain draft (Solid's
// `produce` hands them one; tests hand them plain objects), so the same code is used by
// the app and unit-tested without a DOM. Applying the events after a snapshot gives what
// a fresh snapshot would show (for the parts a snapshot carries).
import type { Me, PublicUser } from "../../../src/protocol/methods/accounts.ts";
import type { ChatEntry, WireMessage } from "../../../src/protocol/methods/chats.ts";
import type { WirePresence, WirePrivacy } from "../../../src/protocol/methods/presence.ts";
import type { ClientEvent } from "../../../src/client/index.ts";
import { applyMessageEvent } from "./messages.ts";
import { applyChatEvent } from "./chats.ts";

/** A contiguous, seq-ordered slice of a chat's history (the rest is fetched on scroll). */
export interface MessageWindow {
  items: WireMessage[];
  hasBefore: boolean;
  hasAfter: boolean; // false: the window reaches the newest message, live ones append
}

export interface State {
  lastEventId: number;
  me: Me | null;
  chats: Record<string, ChatEntry>;
  hasMoreChats: boolean;
  windows: Record<string, MessageWindow>;
  users: Record<string, PublicUser>;
  presence: Record<string, WirePresence>;
  privacy: WirePrivacy | null;
  /** Other members' read pointers, chatId → userId → readSeq. */
  peerRead: Record<string, Record<string, number>>;
  /** chatId → userId → when the typing notice expires (ms since the epoch). */
  typing: Record<string, Record<string, number>>;
  pins: Record<string, { messageId: string; seq: number; text: string }[]>;
  blocked: Record<string, boolean>;
  revokedSessionIds: string[];
}

export function emptyState(): State {
  return {
    lastEventId: 0,
    me: null,
    chats: {},
    hasMoreChats: false,
    windows: {},
    users: {},
    presence: {},
    privacy: null,
    peerRead: {},
    typing: {},
    pins: {},
    blocked: {},
    revokedSessionIds: [],
  };
}

interface Snapshot {
  accounts?: { me: Me };
  chats?: { chats: ChatEntry[]; hasMore: boolean };
  presence?: { users: WirePresence[]; privacy: WirePrivacy };
}

/** Replaces everything the snapshot covers; loaded history windows are dropped (they may be stale). */
export function applySnapshot(s: State, raw: Record<string, unknown>, lastEventId: number): void {
  const snap = raw as Snapshot;
  s.lastEventId = lastEventId;
  s.me = snap.accounts?.me ?? null;
  if (s.me) s.users[s.me.id] = publicOf(s.me);
  s.chats = {};
  for (const entry of snap.chats?.chats ?? []) s.chats[entry.chat.id] = entry;
  s.hasMoreChats = snap.chats?.hasMore ?? false;
  s.presence = {};
  for (const p of snap.presence?.users ?? []) s.presence[p.userId] = p;
  s.privacy = snap.presence?.privacy ?? null;
  s.windows = {};
  s.typing = {};
  s.pins = {};
}

function publicOf(me: Me): PublicUser {
  return { id: me.id, username: me.username, displayName: me.displayName, bio: me.bio, role: me.role, createdAt: me.createdAt, ...(me.avatar ? { avatar: me.avatar } : {}) };
}

/** A chat list entry with its chat log position (the state at `pos`; changes follow from pos + 1). */
export type LoggedEntry = ChatEntry & { pos?: number };

/**
 * Applies one event at most once; returns whether it was applied. User-log events (id > 0)
 * count by id; chat log changes (chatId and pos set) by their chat's position, which the
 * entry keeps so the cache saves it with the chat list.
 */
export function applyEvent(s: State, e: ClientEvent): boolean {
  if (e.chatId !== undefined && e.pos !== undefined) {
    const entry = s.chats[e.chatId] as LoggedEntry | undefined;
    if (entry?.pos !== undefined && e.pos <= entry.pos) return false;
    if (!applyData(s, e)) return false;
    const after = s.chats[e.chatId] as LoggedEntry | undefined; // may be gone (you were removed)
    if (after) after.pos = e.pos;
    return true;
  }
  if (e.id <= s.lastEventId) return false;
  s.lastEventId = e.id;
  return applyData(s, e);
}

/**
 * "Too far behind" for one chat: what its log built here (history window, pins, others' read
 * pointers) is dropped, the entry replaced; an open chat reloads its history.
 */
export function applyChatReset(s: State, chatId: string, pos: number, entry: unknown): void {
  const e = entry as LoggedEntry | null;
  if (e?.chat?.id === chatId) s.chats[chatId] = { ...e, pos } as LoggedEntry;
  delete s.windows[chatId];
  delete s.pins[chatId];
  delete s.peerRead[chatId];
}

function applyData(s: State, e: ClientEvent): boolean {
  const data = e.data as Record<string, unknown>;
  if (applyChatEvent(s, e.type, data)) return true;
  if (applyMessageEvent(s, e.type, data, e.at)) return true;
  return applyAccountEvent(s, e.type, data);
}

function applyAccountEvent(s: State, type: string, data: Record<string, unknown>): boolean {
  if (type === "user.updated") {
    const user = data.user as PublicUser;
    s.users[user.id] = user;
    if (s.me?.id === user.id) {
      Object.assign(s.me, user);
      if (!user.avatar) delete s.me.avatar; // removed: absent in the event, so assign alone would keep it
    }
  } else if (type === "twofactor.updated") {
    if (s.me) s.me.totpEnabled = data.enabled as boolean;
  } else if (type === "session.revoked") {
    s.revokedSessionIds.push(data.sessionId as string);
  } else if (type === "user.block_changed") {
    if (data.blocked) s.blocked[data.userId as string] = true;
    else delete s.blocked[data.userId as string];
  } else {
    return false;
  }
  return true;
}

/** Typing notices (ephemeral): kept until they expire or the person stops. */
export function applyTyping(s: State, d: { chatId: string; userId: string; typing: boolean; expiresInMs?: number }, now: number): void {
  const chat = (s.typing[d.chatId] ??= {});
  if (d.typing) chat[d.userId] = now + (d.expiresInMs ?? 6000);
  else delete chat[d.userId];
}

export function applyPresence(s: State, users: WirePresence[]): void {
  for (const p of users) s.presence[p.userId] = p;
}

/** Chats in list order: pinned first (latest pin first), then by last activity. */
export function orderedChats(s: Pick<State, "chats">): ChatEntry[] {
  return Object.values(s.chats).sort((a, b) => {
    const pa = a.me.pinnedAt ?? 0;
    const pb = b.me.pinnedAt ?? 0;
    if (pa !== pb) return pb - pa;
    return b.chat.lastAt - a.chat.lastAt || (a.chat.id < b.chat.id ? 1 : -1);
  });
}
