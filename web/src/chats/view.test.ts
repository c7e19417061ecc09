import { expect, test } from "vitest";
import type { ChatEntry } from "../../../src/protocol/methods/chats.ts";
import { chatTitle, filterChats, initialsOf, previewText } from "./view.ts";

function entry(id: string, over: Partial<ChatEntry> & { text?: string; kind?: ChatEntry["chat"]["kind"]; archived?: boolean } = {}): ChatEntry {
  return {
    chat: { id, kind: over.kind ?? "group", title: `Chat ${id}`, description: "", createdBy: "u", createdAt: 1, memberCount: 3, lastSeq: 1, lastAt: 1, spaceId: null },
    pos: 0,
    me: { role: "member", joinedAt: 1, readSeq: 0, muted: false, notify: { level: "all", muteUntil: null }, archived: over.archived ?? false, pinnedAt: null },
    peerId: over.kind === "direct" ? "bob" : null,
    unreadCount: over.unreadCount ?? 0,
    unreadMentionCount: 0,
    lastMessage: over.text ? { id: "m", chatId: id, seq: 1, senderId: "u", clientId: null, text: over.text, entities: [], replyToId: null, forward: null, silent: false, createdAt: 1, editedAt: null, deletedAt: null } : null,
  };
}

test("titles: direct chats show the peer, saved messages a fixed name", () => {
  expect(chatTitle(entry("d", { kind: "direct" }), (id) => id.toUpperCase(), "Saved")).toBe("BOB");
  expect(chatTitle(entry("s", { kind: "saved" }), () => "x", "Saved")).toBe("Saved");
  expect(chatTitle(entry("g"), () => "x", "Saved")).toBe("Chat g");
});

test("previews drop markdown markers and are cut", () => {
  expect(previewText(entry("a", { text: "**hi** `there`" }))).toBe("hi there");
  expect(previewText(entry("a", { text: "x".repeat(100) }), 10)).toBe(`${"x".repeat(10)}…`);
});

test("filters: archived apart, unread, groups, search in title and preview", () => {
  const all = [entry("a", { text: "lunch?" }), entry("b", { archived: true }), entry("c", { unreadCount: 2, kind: "direct" })];
  const title = (e: ChatEntry) => e.chat.title;
  expect(filterChats(all, "all", "", title).map((e) => e.chat.id)).toEqual(["a", "c"]);
  expect(filterChats(all, "archived", "", title).map((e) => e.chat.id)).toEqual(["b"]);
  expect(filterChats(all, "unread", "", title).map((e) => e.chat.id)).toEqual(["c"]);
  expect(filterChats(all, "groups", "", title).map((e) => e.chat.id)).toEqual(["a"]);
  expect(filterChats(all, "all", "LUNCH", title).map((e) => e.chat.id)).toEqual(["a"]);
});

test("initials", () => {
  expect(initialsOf("Ann Lee Smith")).toBe("AS");
  expect(initialsOf("bob")).toBe("B");
  expect(initialsOf("  ")).toBe("?");
  expect(initialsOf("Ann-Sophie Wolkenstein 🌻")).toBe("AW");
  expect(initialsOf("Member 38 🐝 Longname")).toBe("ML");
  expect(initialsOf("🚀")).toBe("🚀");
});

test("the chat list previews the newest unsent message of a chat", async () => {
  const { pendingPreview } = await import("./view.ts");
  const items = [
    { chatId: "a", text: "first", createdAt: 1, state: "pending" },
    { chatId: "a", text: "**second** 🏡", createdAt: 2, state: "failed" },
    { chatId: "b", text: "other", createdAt: 3, state: "pending" },
  ];
  expect(pendingPreview(items, "a")).toEqual({ text: "second 🏡", failed: true, at: 2 });
  expect(pendingPreview(items, "c")).toBeNull();
});
