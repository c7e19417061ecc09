import { expect, test } from "vitest";
import { callRings, chatPrefsOf, type Context, defaultGlobalPrefs, inDnd, inSchedule, localClock, muteForeverMs, muteUntilFor, onMessage, quietChat, titleWithCount, unreadChats } from "./rules.ts";
import { messageNotification } from "./content.ts";

const now = Date.UTC(2026, 11, 2, 12, 0); // a Wednesday, 12:00 UTC
const msg = (over: Partial<{ senderId: string; silent: boolean; entities: { type: string; userId?: string }[] }> = {}) => ({
  chatId: "c1", senderId: "ann", silent: false, entities: [], ...over,
});
const ctx = (over: Partial<Context> = {}): Context => ({
  meId: "me", chat: { level: "all", muteUntil: null }, global: defaultGlobalPrefs(), now, looking: false, openChatId: null, ...over,
});

test("a message notifies unless it is mine, already in front of me, muted, filtered or in do-not-disturb", () => {
  expect(onMessage(msg(), ctx())).toEqual({ sound: true });
  expect(onMessage(msg({ silent: true }), ctx())).toEqual({ sound: false });
  expect(onMessage(msg({ senderId: "me" }), ctx())).toBeNull();
  expect(onMessage(msg(), ctx({ chat: null }))).toBeNull();
  // looking at that very chat: nothing; at another chat, or the tab hidden with it open: notify
  expect(onMessage(msg(), ctx({ looking: true, openChatId: "c1" }))).toBeNull();
  expect(onMessage(msg(), ctx({ looking: true, openChatId: "c2" }))).toEqual({ sound: true });
  expect(onMessage(msg(), ctx({ looking: false, openChatId: "c1" }))).toEqual({ sound: true });
  expect(onMessage(msg(), ctx({ chat: { level: "all", muteUntil: now + 1 } }))).toBeNull();
  expect(onMessage(msg(), ctx({ chat: { level: "all", muteUntil: now - 1 } }))).toEqual({ sound: true }); // the mute ran out
  expect(onMessage(msg(), ctx({ chat: { level: "none", muteUntil: null } }))).toBeNull();
  expect(onMessage(msg(), ctx({ global: { ...defaultGlobalPrefs(), dnd: { until: now + 60_000, schedule: null } } }))).toBeNull();
  expect(onMessage(msg(), ctx({ global: { ...defaultGlobalPrefs(), dnd: { until: now - 1, schedule: null } } }))).toEqual({ sound: true });
});

test("mentions-only chats notify for mentions of me, and for @all only when that is wanted", () => {
  const mentions = { chat: { level: "mentions" as const, muteUntil: null } };
  expect(onMessage(msg(), ctx(mentions))).toBeNull();
  expect(onMessage(msg({ entities: [{ type: "mention", userId: "bob" }] }), ctx(mentions))).toBeNull();
  expect(onMessage(msg({ entities: [{ type: "mention", userId: "me" }] }), ctx(mentions))).toEqual({ sound: true });
  expect(onMessage(msg({ entities: [{ type: "mention_all" }] }), ctx(mentions))).toEqual({ sound: true });
  expect(onMessage(msg({ entities: [{ type: "mention_all" }] }), ctx({ ...mentions, global: { ...defaultGlobalPrefs(), allMentionsNotify: false } }))).toBeNull();
});

test("the do-not-disturb schedule is read in its own time zone, overnight windows included", () => {
  // 12:00 UTC is 13:00 in Berlin (winter) and 07:00 in New York
  expect(localClock(now, "Europe/Berlin")).toEqual({ day: 3, min: 13 * 60 });
  expect(localClock(now, "America/New_York")).toEqual({ day: 3, min: 7 * 60 });
  const night = { startMin: 22 * 60, endMin: 8 * 60, days: [2], tz: "America/New_York" }; // starts Tuesdays
  expect(inSchedule(night, now)).toBe(true); // Wednesday 07:00 belongs to Tuesday's night
  expect(inSchedule({ ...night, days: [3] }, now)).toBe(false);
  expect(inSchedule({ ...night, tz: "Europe/Berlin" }, now)).toBe(false);
  const lunch = { startMin: 12 * 60 + 30, endMin: 14 * 60, days: [1, 2, 3, 4, 5], tz: "Europe/Berlin" };
  expect(inSchedule(lunch, now)).toBe(true);
  expect(inSchedule({ ...lunch, days: [0, 6] }, now)).toBe(false);
  expect(inSchedule({ ...lunch, startMin: 600, endMin: 600 }, now)).toBe(false); // empty window
  expect(inSchedule({ ...lunch, days: [] }, now)).toBe(true); // no days listed: every day
  expect(inDnd({ ...defaultGlobalPrefs(), dnd: { until: null, schedule: lunch } }, now)).toBe(true);
  expect(localClock(now, "Not/AZone").min).toBeGreaterThanOrEqual(0); // a bad zone falls back, never throws
});

test("calls ring unless the chat is muted or off, or do-not-disturb holds and calls may not pass it", () => {
  const g = defaultGlobalPrefs();
  const dnd = { ...g, dnd: { until: now + 1000, schedule: null } };
  expect(callRings({ level: "all", muteUntil: null }, g, now)).toBe(true);
  expect(callRings({ level: "mentions", muteUntil: null }, g, now)).toBe(true);
  expect(callRings({ level: "none", muteUntil: null }, g, now)).toBe(false);
  expect(callRings({ level: "all", muteUntil: muteForeverMs }, g, now)).toBe(false);
  expect(callRings({ level: "all", muteUntil: null }, dnd, now)).toBe(false);
  expect(callRings({ level: "all", muteUntil: null }, { ...dnd, callsBypassDnd: true }, now)).toBe(true);
  expect(callRings(null, g, now)).toBe(false);
});

test("the count is chats with something for me; muted and silenced chats do not count", () => {
  const e = (unreadCount: number, unreadMentionCount: number, me: object) => ({ unreadCount, unreadMentionCount, me });
  const entries = [
    e(3, 0, { muted: false }),
    e(1, 0, { muted: true }), // old servers: muted = forever
    e(0, 0, { notify: { level: "all", muteUntil: null } }),
    e(5, 0, { notify: { level: "mentions", muteUntil: null } }),
    e(5, 1, { notify: { level: "mentions", muteUntil: null } }),
    e(2, 2, { notify: { level: "none", muteUntil: null } }),
    e(2, 0, { notify: { level: "all", muteUntil: now - 5 } }),
    e(2, 0, { muted: false, notify: { level: "all", muteUntil: now + 5 } }), // a timed mute: muted stays false
  ];
  expect(unreadChats(entries, now)).toBe(3);
  expect(titleWithCount(3, "Hearth")).toBe("(3) Hearth");
  expect(titleWithCount(0, "Hearth")).toBe("Hearth");
  expect(quietChat({ muted: true }, now)).toBe(true);
  expect(quietChat({ notify: { level: "all", muteUntil: now + 1 } }, now)).toBe(true);
  expect(quietChat({ notify: { level: "mentions", muteUntil: null } }, now)).toBe(false);
  expect(chatPrefsOf({ muted: false })).toEqual({ level: "all", muteUntil: null });
});

test("mute choices end 1 hour, 8 hours, a week later or never", () => {
  expect(muteUntilFor("1h", now) - now).toBe(3_600_000);
  expect(muteUntilFor("8h", now) - now).toBe(8 * 3_600_000);
  expect(muteUntilFor("1w", now) - now).toBe(7 * 24 * 3_600_000);
  expect(muteUntilFor("forever", now)).toBe(muteForeverMs);
});

test("a notification names the chat, the sender in groups, and hides the text when asked", () => {
  const words = { newMessage: "New message", attachment: "Attachment" };
  const base = { chatId: "c1", seq: 7, chatTitle: "Family 🏡", senderName: "Ann", text: "**hi** there", hideContent: false, words };
  expect(messageNotification({ ...base, chatKind: "group" })).toEqual({ title: "Family 🏡", body: "Ann: hi there", tag: "chat:c1", url: "/chat/c1", chatId: "c1", kind: "message", seq: 7 });
  expect(messageNotification({ ...base, chatKind: "direct", chatTitle: "Ann" }).body).toBe("hi there");
  expect(messageNotification({ ...base, chatKind: "group", hideContent: true }).body).toBe("New message");
  expect(messageNotification({ ...base, chatKind: "direct", text: "" }).body).toBe("Attachment");
  const long = messageNotification({ ...base, chatKind: "direct", text: "👨‍👩‍👧".repeat(300) }).body;
  expect(long.endsWith("…")).toBe(true);
  expect([...new Intl.Segmenter().segment(long)].length).toBe(181);
});

test("do-not-disturb choices and the time fields of the quiet hours", async () => {
  const { dndUntilFor, hhmmToMin, minToHhmm } = await import("./rules.ts");
  expect(dndUntilFor("off", now)).toBeNull();
  expect(dndUntilFor("on", now)).toBe(muteForeverMs);
  expect(dndUntilFor("1h", now)).toBe(now + 3_600_000);
  const morning = new Date(dndUntilFor("morning", now)!);
  expect(morning.getHours()).toBe(8);
  expect(morning.getMinutes()).toBe(0);
  expect(morning.getTime()).toBeGreaterThan(now);
  expect(morning.getTime() - now).toBeLessThanOrEqual(24 * 3_600_000);
  expect(minToHhmm(22 * 60 + 5)).toBe("22:05");
  expect(hhmmToMin("07:30")).toBe(450);
  expect(hhmmToMin("25:00")).toBeNull();
  expect(hhmmToMin("")).toBeNull();
});
