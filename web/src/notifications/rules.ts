// Who gets told about what, from plain data (unit-tested in rules.test.ts): per-chat level
// and mute, do-not-disturb (now/until and a weekly schedule in a time zone), whether the
// message is already in front of the reader. The same rules as the server's push side
// (docs/protocol.md, Notifications), so a device shows in the open app what it would have
// been pushed when closed.

import { MUTE_FOREVER, type NotifyLevel, type NotifySettings } from "../../../src/protocol/methods/push.ts";

export type Level = NotifyLevel;

/** A chat's notification settings (`entry.me.notify`). */
export interface ChatPrefs {
  level: Level;
  /** ms since the epoch; null = not muted; MUTE_FOREVER = until unmuted. */
  muteUntil: number | null;
}

export type DndSchedule = NonNullable<NotifySettings["dnd"]["schedule"]>;
export type GlobalPrefs = NotifySettings;

export const defaultGlobalPrefs = (): GlobalPrefs => ({ dnd: { until: null, schedule: null }, callsBypassDnd: false, allMentionsNotify: true, hideContent: false });

export const muteForeverMs = MUTE_FOREVER;

/** From the entry's `me`: `notify` when the server sends it, else the older `muted` flag (forever). */
export function chatPrefsOf(me: { muted?: boolean; notify?: ChatPrefs }): ChatPrefs {
  if (me.notify) return { level: me.notify.level, muteUntil: me.notify.muteUntil };
  return { level: "all", muteUntil: me.muted ? muteForeverMs : null };
}

export function isMuted(p: ChatPrefs, now: number): boolean {
  return p.muteUntil !== null && p.muteUntil > now;
}

/** Local weekday and minute of the day of `now` in the time zone (the browser's on a bad zone). */
export function localClock(now: number, tz: string): { day: number; min: number } {
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = new Intl.DateTimeFormat("en-US", { timeZone: tz, weekday: "short", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).formatToParts(now);
  } catch {
    const d = new Date(now);
    return { day: d.getDay(), min: d.getHours() * 60 + d.getMinutes() };
  }
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  const day = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"].indexOf(get("weekday"));
  return { day, min: (Number(get("hour")) % 24) * 60 + Number(get("minute")) };
}

/** days: the days a quiet period starts on (0 = Sunday); none listed = every day. */
export function inSchedule(s: DndSchedule, now: number): boolean {
  if (s.startMin === s.endMin) return false;
  const { day, min } = localClock(now, s.tz);
  const starts = (d: number) => s.days.length === 0 || s.days.includes(d);
  if (s.startMin < s.endMin) return starts(day) && min >= s.startMin && min < s.endMin;
  // overnight: the evening part belongs to today, the morning part to yesterday's start
  if (min >= s.startMin) return starts(day);
  return min < s.endMin && starts((day + 6) % 7);
}

export function inDnd(g: GlobalPrefs, now: number): boolean {
  if (g.dnd.until !== null && g.dnd.until > now) return true;
  return !!g.dnd.schedule && inSchedule(g.dnd.schedule, now);
}

interface MessageLike {
  chatId: string;
  senderId: string;
  silent: boolean;
  entities: { type: string; userId?: string }[];
}

export interface Context {
  meId: string | null;
  chat: ChatPrefs | null; // null: not a chat of ours (yet)
  global: GlobalPrefs;
  now: number;
  /** The page is visible and has focus. */
  looking: boolean;
  /** The chat open in this page, if any. */
  openChatId: string | null;
}

/** Whether the message calls for the reader: mentions of them, and @all when they want that. */
export function mentionsReader(m: MessageLike, meId: string | null, allMentionsNotify: boolean): boolean {
  return m.entities.some((e) => (e.type === "mention" && e.userId === meId) || (e.type === "mention_all" && allMentionsNotify));
}

/** What a new message does here: nothing, or a notification (with or without a sound). */
export function onMessage(m: MessageLike, c: Context): null | { sound: boolean } {
  if (!c.chat || m.senderId === c.meId) return null;
  if (c.looking && c.openChatId === m.chatId) return null; // already in front of the reader
  if (isMuted(c.chat, c.now) || c.chat.level === "none") return null;
  if (c.chat.level === "mentions" && !mentionsReader(m, c.meId, c.global.allMentionsNotify)) return null;
  if (inDnd(c.global, c.now)) return null;
  return { sound: !m.silent };
}

/** Whether an incoming call rings here (sound and notification). */
export function callRings(chat: ChatPrefs | null, g: GlobalPrefs, now: number): boolean {
  if (!chat || isMuted(chat, now) || chat.level === "none") return false;
  return !inDnd(g, now) || g.callsBypassDnd;
}

interface EntryLike {
  unreadCount: number;
  unreadMentionCount: number;
  me: { muted?: boolean; notify?: ChatPrefs };
}

/**
 * The number on the title, favicon and app badge: chats with something for the reader —
 * unread messages in a chat that notifies, unread mentions in a mentions-only one. Muted
 * chats (and level "none") are not counted, as in the list where their count is grey.
 */
export function unreadChats(entries: Iterable<EntryLike>, now: number): number {
  let n = 0;
  for (const e of entries) {
    const p = chatPrefsOf(e.me);
    if (isMuted(p, now) || p.level === "none") continue;
    if (p.level === "mentions" ? e.unreadMentionCount > 0 : e.unreadCount > 0) n++;
  }
  return n;
}

/** Whether a chat's unread count shows grey in the list. */
export function quietChat(me: EntryLike["me"], now: number): boolean {
  const p = chatPrefsOf(me);
  return isMuted(p, now) || p.level === "none";
}

export function titleWithCount(n: number, base: string): string {
  return n > 0 ? `(${n}) ${base}` : base;
}

/** When a mute chosen now ends: 1 h, 8 h, 1 week or forever. */
export type MuteChoice = "1h" | "8h" | "1w" | "forever";
export function muteUntilFor(choice: MuteChoice, now: number): number {
  const hour = 3_600_000;
  return choice === "forever" ? muteForeverMs : now + { "1h": hour, "8h": 8 * hour, "1w": 7 * 24 * hour }[choice];
}

/** Do not disturb chosen now: off, for an hour, until the next 8:00 here, or until turned off. */
export type DndChoice = "off" | "1h" | "morning" | "on";
export function dndUntilFor(choice: DndChoice, now: number): number | null {
  if (choice === "off") return null;
  if (choice === "on") return muteForeverMs;
  if (choice === "1h") return now + 3_600_000;
  const d = new Date(now);
  d.setHours(8, 0, 0, 0);
  if (d.getTime() <= now) d.setDate(d.getDate() + 1);
  return d.getTime();
}

/** "22:30" ↔ 1350 for <input type="time">. */
export const minToHhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`;
export function hhmmToMin(s: string): number | null {
  const m = /^(\d{2}):(\d{2})/.exec(s);
  if (!m) return null;
  const v = Number(m[1]) * 60 + Number(m[2]);
  return v >= 0 && v < 1440 ? v : null;
}
