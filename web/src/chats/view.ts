// What the chat list shows of a chat: title, preview, filters. Plain functions of the store.
import type { ChatEntry } from "../../../src/protocol/methods/chats.ts";
import { plainText } from "../messages/markdown.ts";

export type ChatFilter = "all" | "unread" | "groups" | "archived";

export function chatTitle(e: ChatEntry, nameOf: (id: string) => string, savedTitle: string): string {
  if (e.chat.kind === "saved") return savedTitle;
  if (e.chat.kind === "direct") return e.peerId ? nameOf(e.peerId) : "…";
  return e.chat.title;
}

export function previewText(e: ChatEntry, maxChars = 80): string {
  const m = e.lastMessage;
  if (!m) return "";
  const text = plainText(m.text);
  return text.length > maxChars ? `${text.slice(0, maxChars)}…` : text;
}

export function filterChats(entries: ChatEntry[], filter: ChatFilter, query: string, title: (e: ChatEntry) => string): ChatEntry[] {
  const q = query.trim().toLowerCase();
  return entries.filter((e) => {
    if (filter === "archived" ? !e.me.archived : e.me.archived) return false;
    if (filter === "unread" && e.unreadCount === 0) return false;
    if (filter === "groups" && e.chat.kind !== "group" && e.chat.kind !== "channel") return false;
    return !q || title(e).toLowerCase().includes(q) || previewText(e, 500).toLowerCase().includes(q);
  });
}

/** A stable hue per id so each person or chat keeps its avatar colour. */
export function hueOf(id: string): number {
  let h = 0;
  for (let i = 0; i < id.length; i++) h = (h * 31 + id.charCodeAt(i)) % 360;
  return h;
}

export function initialsOf(name: string): string {
  // Words that start with a letter or digit: an emoji word ("Ann 🌻") gives no initial, and
  // counting in code points never cuts an emoji in half (which drew "A\uFFFD").
  const all = name.trim().split(/\s+/).filter(Boolean);
  const words = all.filter((w) => /^[\p{L}\p{N}]/u.test(w));
  const parts = words.length ? words : all.slice(0, 1);
  const letters = parts.length > 1 ? [parts[0]!, parts[parts.length - 1]!] : parts;
  return letters.map((p) => [...p][0]!.toUpperCase()).join("") || "?";
}
