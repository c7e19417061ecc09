// What is kept of the state between visits: your profile, chat list, known people and the
// newest part of each open history — enough to show the app while offline. The next welcome
// snapshot replaces it all; signing out deletes it.
import type { State } from "./state.ts";

export const cachedMessagesMax = 50;
const cacheVersion = 2; // 2: chat entries carry their chat log pos

export interface CachedState {
  v: number;
  userId: string;
  savedAt: number;
  me: NonNullable<State["me"]>;
  chats: State["chats"];
  users: State["users"];
  windows: State["windows"];
}

export function toCache(s: State, now: number): CachedState | null {
  if (!s.me) return null;
  const windows: State["windows"] = {};
  for (const [chatId, w] of Object.entries(s.windows)) {
    if (w.hasAfter) continue; // only windows at the newest end stay meaningful later
    const items = w.items.slice(-cachedMessagesMax);
    windows[chatId] = { items, hasBefore: w.hasBefore || items.length < w.items.length, hasAfter: false };
  }
  return { v: cacheVersion, userId: s.me.id, savedAt: now, me: s.me, chats: s.chats, users: s.users, windows };
}

/** Fills a state that has no snapshot yet; false when the cache does not fit (other user, old version). */
export function fromCache(s: State, c: CachedState | undefined, userId: string): boolean {
  if (!c || c.v !== cacheVersion || c.userId !== userId || s.me) return false;
  s.me = c.me;
  s.chats = c.chats;
  s.users = c.users;
  s.windows = c.windows;
  return true;
}
