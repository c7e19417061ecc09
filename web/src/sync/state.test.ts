import { describe, expect, test } from "vitest";
import type { ChatEntry, WireMessage } from "../../../src/protocol/methods/chats.ts";
import type { WireEvent } from "../../../src/protocol/frames.ts";
import type { ClientEvent } from "../../../src/client/index.ts";
import { mergePage, trimWindow } from "./messages.ts";
import { applyChatReset, applyEvent, applySnapshot, applyTyping, emptyState, type LoggedEntry, orderedChats, type State } from "./state.ts";

const me = { id: "u1", username: "ann", displayName: "Ann", bio: "", role: "member" as const, createdAt: 1, totpEnabled: false };

function msg(seq: number, over: Partial<WireMessage> = {}): WireMessage {
  return {
    id: `m${seq}`, chatId: "c1", seq, senderId: "u2", clientId: null, text: `hi ${seq}`, entities: [],
    replyToId: null, forward: null, silent: false, createdAt: 1000 + seq, editedAt: null, deletedAt: null, ...over,
  };
}

function entry(over: Partial<ChatEntry> = {}, readSeq = 0): ChatEntry {
  return {
    chat: { id: "c1", kind: "direct", title: "", description: "", createdBy: "u1", createdAt: 1, memberCount: 2, lastSeq: 0, lastAt: 1, spaceId: null },
    pos: 0,
    me: { role: "member", joinedAt: 1, readSeq, muted: false, notify: { level: "all", muteUntil: null }, archived: false, pinnedAt: null },
    peerId: "u2", unreadCount: 0, unreadMentionCount: 0, lastMessage: null, ...over,
  };
}

const snapshot = (chats: ChatEntry[]) => ({ accounts: { me }, chats: { chats, hasMore: false }, presence: { users: [], privacy: { lastSeen: "everyone", readReceipts: "everyone", groupAdd: "everyone" } } });

function fromSnapshot(chats: ChatEntry[], lastEventId = 10): State {
  const s = emptyState();
  applySnapshot(s, snapshot(chats), lastEventId);
  return s;
}

let nextId = 11;
const ev = (type: string, data: unknown): WireEvent => ({ id: nextId++, type, data, at: 5000 });

describe("snapshot + events == fresh snapshot", () => {
  test("draft.updated sets and clears your draft in the chat entry", () => {
    const s = fromSnapshot([entry()]);
    applyEvent(s, ev("draft.updated", { chatId: "c1", draft: { text: "unsent 🏡", updatedAt: 7 } }));
    expect(s.chats.c1).toEqual(fromSnapshot([entry({ draft: { text: "unsent 🏡", updatedAt: 7 } })]).chats.c1);
    applyEvent(s, ev("draft.updated", { chatId: "c1", draft: null }));
    expect(s.chats.c1).toEqual(fromSnapshot([entry()]).chats.c1);
  });

  test("messages from others count as unread, mentions as mentions; your own do not", () => {
    const s = fromSnapshot([entry()]);
    const mention = msg(2, { entities: [{ type: "mention", offset: 0, length: 4, userId: "u1" }] });
    for (const m of [msg(1), mention, msg(3, { senderId: "u1" })]) applyEvent(s, ev("message.created", { message: m }));
    const last = msg(3, { senderId: "u1" });
    const fresh = fromSnapshot([entry({ chat: { ...entry().chat, lastSeq: 3, lastAt: last.createdAt }, unreadCount: 2, unreadMentionCount: 1, lastMessage: last })]);
    expect(s.chats).toEqual(fresh.chats);
  });

  test("a delete for everyone takes back the unread and mention it added", () => {
    const s = fromSnapshot([entry()]);
    const m = msg(1, { entities: [{ type: "mention_all", offset: 0, length: 4 }] });
    applyEvent(s, ev("message.created", { message: m }));
    applyEvent(s, ev("message.deleted", { chatId: "c1", messageId: "m1", seq: 1, forEveryone: true, senderId: "u2", mentions: { userIds: [], all: true } }));
    const fresh = fromSnapshot([entry({ chat: { ...entry().chat, lastSeq: 1, lastAt: m.createdAt } })]);
    expect(s.chats).toEqual(fresh.chats);
  });

  test("a message you hid, before the snapshot or since: its later edit and deletion for everyone leave the counts alone", () => {
    const none = { userIds: [], all: false };
    const mention = [{ type: "mention" as const, offset: 0, length: 4, userId: "u1" }];
    const chat = { ...entry().chat, lastSeq: 3 };
    // m2 was hidden before the snapshot (listed by seq); m3 is hidden now, on another device
    const s = fromSnapshot([entry({ chat, unreadCount: 2, hiddenUnread: [2] })]);
    applyEvent(s, ev("message.deleted", { chatId: "c1", messageId: "m3", seq: 3, forEveryone: false, senderId: "u2", mentions: none }));
    expect([s.chats.c1!.unreadCount, s.chats.c1!.hiddenUnread]).toEqual([1, [2, 3]]);
    applyEvent(s, ev("message.edited", { message: msg(2, { entities: mention, editedAt: 9 }), mentionsBefore: none }));
    applyEvent(s, ev("message.deleted", { chatId: "c1", messageId: "m2", seq: 2, forEveryone: true, senderId: "u2", mentions: { userIds: ["u1"], all: false } }));
    applyEvent(s, ev("message.deleted", { chatId: "c1", messageId: "m3", seq: 3, forEveryone: true, senderId: "u2", mentions: none }));
    expect(s.chats).toEqual(fromSnapshot([entry({ chat, unreadCount: 1 })]).chats);
    // reading past a hidden one drops it from the list
    const r = fromSnapshot([entry({ chat, unreadCount: 1, hiddenUnread: [2, 3] })]);
    applyEvent(r, ev("read.updated", { chatId: "c1", userId: "u1", readSeq: 2, unreadCount: 1, unreadMentionCount: 0 }));
    expect(r.chats.c1!.hiddenUnread).toEqual([3]);
  });

  test("an edit that adds or removes a mention of you moves the badge only while unread", () => {
    const s = fromSnapshot([entry({}, 1)]);
    const mention = [{ type: "mention" as const, offset: 0, length: 4, userId: "u1" }];
    const none = { userIds: [], all: false };
    for (const m of [msg(1), msg(2), msg(3)]) applyEvent(s, ev("message.created", { message: m }));
    applyEvent(s, ev("message.edited", { message: msg(2, { entities: mention, editedAt: 9 }), mentionsBefore: none }));
    applyEvent(s, ev("message.edited", { message: msg(1, { entities: mention, editedAt: 9 }), mentionsBefore: none })); // already read
    expect(s.chats.c1!.unreadMentionCount).toBe(1);
    applyEvent(s, ev("message.edited", { message: msg(3, { entities: [{ type: "mention_all", offset: 0, length: 4 }], editedAt: 9 }), mentionsBefore: none }));
    applyEvent(s, ev("message.edited", { message: msg(2, { editedAt: 10 }), mentionsBefore: { userIds: ["u1"], all: false } }));
    applyEvent(s, ev("message.edited", { message: msg(3, { entities: mention, editedAt: 10 }), mentionsBefore: { userIds: [], all: true } }));
    const last = msg(3, { entities: mention, editedAt: 10 });
    const fresh = fromSnapshot([entry({ chat: { ...entry().chat, lastSeq: 3, lastAt: last.createdAt }, unreadCount: 2, unreadMentionCount: 1, lastMessage: last }, 1)]);
    expect(s.chats).toEqual(fresh.chats);
  });

  test("your read pointer and exact counts come from read.updated", () => {
    const s = fromSnapshot([entry({ unreadCount: 3, unreadMentionCount: 1 })]);
    applyEvent(s, ev("read.updated", { chatId: "c1", userId: "u1", readSeq: 3, unreadCount: 0, unreadMentionCount: 0 }));
    expect(s.chats).toEqual(fromSnapshot([entry({}, 3)]).chats);
  });

  test("new chats, renames, your own flags and removal", () => {
    const s = fromSnapshot([]);
    applyEvent(s, ev("chat.created", { entry: entry() }));
    const renamed = { ...entry().chat, title: "Team" };
    applyEvent(s, ev("chat.updated", { chat: renamed }));
    const flags = { ...entry().me, muted: true, pinnedAt: 9 };
    applyEvent(s, ev("chat.member_updated", { chatId: "c1", member: { userId: "u1", role: "member", joinedAt: 1 }, me: flags }));
    expect(s.chats).toEqual(fromSnapshot([entry({ chat: renamed, me: flags })]).chats);
    applyEvent(s, ev("chat.member_removed", { chat: renamed, userIds: ["u1"] }));
    expect(s.chats).toEqual({});
  });

  test("an event is applied once: a replayed id changes nothing", () => {
    const s = fromSnapshot([entry()]);
    const e = ev("message.created", { message: msg(1) });
    expect(applyEvent(s, e)).toBe(true);
    expect(applyEvent(s, e)).toBe(false);
    expect(s.chats.c1!.unreadCount).toBe(1);
  });
});

describe("history windows", () => {
  test("live messages append to a window at the newest end, edits and tombstones replace in place", () => {
    const s = fromSnapshot([entry()]);
    mergePage(s, "c1", { messages: [msg(1), msg(2)], hasBefore: false, hasAfter: false }, "replace");
    applyEvent(s, ev("message.created", { message: msg(3) }));
    applyEvent(s, ev("message.edited", { message: msg(2, { text: "edited", editedAt: 9 }) }));
    applyEvent(s, ev("message.deleted", { chatId: "c1", messageId: "m1", seq: 1, forEveryone: true, senderId: "u2", mentions: { userIds: [], all: false } }));
    const w = s.windows.c1!;
    expect(w.items.map((m) => m.seq)).toEqual([1, 2, 3]);
    expect(w.items[0]!.deletedAt).toBe(5000);
    expect(w.items[0]!.text).toBe("");
    expect(w.items[1]!.text).toBe("edited");
  });

  test("a window that does not reach the end ignores live messages; pages merge without duplicates", () => {
    const s = fromSnapshot([entry()]);
    mergePage(s, "c1", { messages: [msg(5), msg(6)], hasBefore: true, hasAfter: true }, "replace");
    applyEvent(s, ev("message.created", { message: msg(9) }));
    mergePage(s, "c1", { messages: [msg(3), msg(4), msg(5)], hasBefore: false, hasAfter: true }, "before");
    expect(s.windows.c1!.items.map((m) => m.seq)).toEqual([3, 4, 5, 6]);
    expect(s.windows.c1!.hasBefore).toBe(false);
  });

  test("a page fetched for a window that was replaced meanwhile is dropped, not merged with a gap", () => {
    const s = fromSnapshot([entry()]);
    mergePage(s, "c1", { messages: [msg(50), msg(51)], hasBefore: true, hasAfter: true }, "replace");
    // an older page is asked from seq 50, then "go to the newest" replaces the window
    mergePage(s, "c1", { messages: [msg(99), msg(100)], hasBefore: true, hasAfter: false }, "replace");
    expect(mergePage(s, "c1", { messages: [msg(48), msg(49)], hasBefore: true, hasAfter: true }, "before", 50)).toBe(false);
    expect(mergePage(s, "c1", { messages: [msg(52)], hasBefore: true, hasAfter: true }, "after", 51)).toBe(false);
    expect(s.windows.c1!.items.map((m) => m.seq)).toEqual([99, 100]);
    expect(s.windows.c1!.hasAfter).toBe(false);
    expect(mergePage(s, "c1", { messages: [msg(98)], hasBefore: false, hasAfter: false }, "before", 99)).toBe(true);
    expect(s.windows.c1!.items.map((m) => m.seq)).toEqual([98, 99, 100]);
  });

  test("reloading the newest page keeps a message that arrived live while the page was on its way", () => {
    const s = fromSnapshot([entry()]);
    mergePage(s, "c1", { messages: [msg(1), msg(2)], hasBefore: false, hasAfter: false }, "replace");
    applyEvent(s, ev("message.created", { message: msg(3) })); // the page below was read before it
    mergePage(s, "c1", { messages: [msg(1), msg(2)], hasBefore: false, hasAfter: false }, "replace");
    expect(s.windows.c1!.items.map((m) => m.seq)).toEqual([1, 2, 3]);
    // a page that does not reach the newest end replaces the window outright
    mergePage(s, "c1", { messages: [msg(1)], hasBefore: false, hasAfter: true }, "replace");
    expect(s.windows.c1!.items.map((m) => m.seq)).toEqual([1]);
  });

  test("trimming keeps the window bounded on the side being read", () => {
    const s = fromSnapshot([entry()]);
    mergePage(s, "c1", { messages: Array.from({ length: 300 }, (_, i) => msg(i + 1)), hasBefore: false, hasAfter: false }, "replace");
    trimWindow(s, "c1", 120, "start");
    expect(s.windows.c1!.items.length).toBe(120);
    expect(s.windows.c1!.hasAfter).toBe(true);
    expect(s.windows.c1!.items[0]!.seq).toBe(1);
  });

  test("reactions keep your own mark from what you did", () => {
    const s = fromSnapshot([entry()]);
    mergePage(s, "c1", { messages: [msg(1, { reactions: [] })], hasBefore: false, hasAfter: false }, "replace");
    applyEvent(s, ev("reaction.changed", { chatId: "c1", messageId: "m1", emoji: "👍", added: true, userId: "u1", counts: [{ emoji: "👍", count: 1 }] }));
    applyEvent(s, ev("reaction.changed", { chatId: "c1", messageId: "m1", emoji: "🎉", added: true, userId: "u2", counts: [{ emoji: "👍", count: 1 }, { emoji: "🎉", count: 1 }] }));
    expect(s.windows.c1!.items[0]!.reactions).toEqual([{ emoji: "👍", count: 1, mine: true }, { emoji: "🎉", count: 1, mine: false }]);
  });
});

test("others' read pointers only move forward; typing expires by time", () => {
  const s = fromSnapshot([entry()]);
  applyEvent(s, ev("read.updated", { chatId: "c1", userId: "u2", readSeq: 5 }));
  applyEvent(s, ev("read.updated", { chatId: "c1", userId: "u2", readSeq: 3 }));
  expect(s.peerRead.c1!.u2).toBe(5);
  applyTyping(s, { chatId: "c1", userId: "u2", typing: true, expiresInMs: 100 }, 1000);
  expect(s.typing.c1!.u2).toBe(1100);
  applyTyping(s, { chatId: "c1", userId: "u2", typing: false }, 1001);
  expect(s.typing.c1!.u2).toBeUndefined();
});

test("pinned chats come first, then the most recently active", () => {
  const a = entry({ chat: { ...entry().chat, id: "a", lastAt: 10 } });
  const b = entry({ chat: { ...entry().chat, id: "b", lastAt: 30 } });
  const c = entry({ chat: { ...entry().chat, id: "c", lastAt: 20 }, me: { ...entry().me, pinnedAt: 1 } });
  expect(orderedChats({ chats: { a, b, c } }).map((e) => e.chat.id)).toEqual(["c", "b", "a"]);
});

describe("chat logs", () => {
  const change = (pos: number, type: string, data: unknown, chatId = "c1"): ClientEvent => ({ id: 0, chatId, pos, type, data, at: 5000 });
  const logged = (pos: number, over: Partial<ChatEntry> = {}): LoggedEntry => ({ ...entry(over), pos });

  test("snapshot + chat log changes == fresh snapshot, the entry's pos included; a change at or below pos is skipped", () => {
    const s = fromSnapshot([logged(4)]);
    expect(applyEvent(s, change(4, "message.created", { message: msg(9) }))).toBe(false); // already in the snapshot
    for (const [pos, m] of [[5, msg(1)], [6, msg(2)]] as const) expect(applyEvent(s, change(pos, "message.created", { message: m }))).toBe(true);
    expect(applyEvent(s, change(6, "message.created", { message: msg(2) }))).toBe(false);
    const fresh = fromSnapshot([logged(6, { chat: { ...entry().chat, lastSeq: 2, lastAt: msg(2).createdAt }, unreadCount: 2, lastMessage: msg(2) })]);
    expect(s.chats).toEqual(fresh.chats);
    expect(s.lastEventId).toBe(10); // chat changes do not move the user log position
  });

  test("chat.joined adds the entry at its pos, chat.left drops the chat and what was loaded of it", () => {
    const s = fromSnapshot([]);
    applyEvent(s, ev("chat.joined", { entry: entry(), pos: 12 }));
    expect(s.chats).toEqual(fromSnapshot([logged(12)]).chats);
    applyEvent(s, change(13, "message.created", { message: msg(1) }));
    expect((s.chats.c1 as LoggedEntry).pos).toBe(13);
    s.windows.c1 = { items: [msg(1)], hasBefore: false, hasAfter: false };
    applyEvent(s, ev("chat.left", { chatId: "c1", pos: 14 }));
    expect(s.chats).toEqual({});
    expect(s.windows).toEqual({});
  });

  test("a chat_reset drops the chat's history, pins and read pointers and takes the entry; other chats keep theirs", () => {
    const other = { ...entry(), chat: { ...entry().chat, id: "c2" } };
    const s = fromSnapshot([logged(3), logged(7, other)]);
    for (const id of ["c1", "c2"]) {
      s.windows[id] = { items: [msg(1, { chatId: id })], hasBefore: false, hasAfter: false };
      s.pins[id] = [{ messageId: "m1", seq: 1, text: "hi 1" }];
      s.peerRead[id] = { u2: 1 };
    }
    const fresh = logged(900, { chat: { ...entry().chat, lastSeq: 500, lastAt: 9000 }, unreadCount: 498, lastMessage: msg(500) });
    applyChatReset(s, "c1", 900, { ...fresh, pos: undefined });
    expect(s.chats.c1).toEqual(fresh);
    expect([s.windows.c1, s.pins.c1, s.peerRead.c1]).toEqual([undefined, undefined, undefined]);
    expect([s.windows.c2?.items.length, s.pins.c2?.length, s.peerRead.c2]).toEqual([1, 1, { u2: 1 }]);
    expect(applyEvent(s, change(900, "message.created", { message: msg(500) }))).toBe(false);
    expect(applyEvent(s, change(901, "message.created", { message: msg(501) }))).toBe(true);
    expect(s.chats.c1!.unreadCount).toBe(499);
  });

  test("channel reactions: the chat log's copy (no userId) moves the counts, your own copy in the user log your mark, in either order", () => {
    for (const ownFirst of [true, false]) {
      const s = fromSnapshot([logged(3)]);
      mergePage(s, "c1", { messages: [msg(1, { reactions: [{ emoji: "🎉", count: 1, mine: true }] })], hasBefore: false, hasAfter: false }, "replace");
      const counts = [{ emoji: "🎉", count: 1 }, { emoji: "👍", count: 1 }];
      const shared = change(4, "reaction.changed", { chatId: "c1", messageId: "m1", emoji: "👍", added: true, counts });
      const own = ev("reaction.changed", { chatId: "c1", messageId: "m1", emoji: "👍", added: true, userId: "u1", counts });
      for (const e of ownFirst ? [own, shared] : [shared, own]) applyEvent(s, e);
      expect(s.windows.c1!.items[0]!.reactions).toEqual([{ emoji: "🎉", count: 1, mine: true }, { emoji: "👍", count: 1, mine: true }]);
      // someone else's reaction reaches you through the chat log alone and is not yours
      applyEvent(s, change(5, "reaction.changed", { chatId: "c1", messageId: "m1", emoji: "❤️", added: true, counts: [...counts, { emoji: "❤️", count: 1 }] }));
      expect(s.windows.c1!.items[0]!.reactions!.map((r) => r.mine)).toEqual([true, true, false]);
    }
  });
});
