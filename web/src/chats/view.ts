// What the chat list shows of a chat: title, preview, filters. Plain functions of the store.
import type { ChatEntry } from "../../../src/protocol/methods/chats.ts";
import { plainText } from "../messages/markdown.ts";
import { initials, truncate } from "../ui/text.ts";

export type ChatFilter = "all" | "unread" | "groups" | "archived";

export function chatTitle(e: ChatEntry, nameOf: (id: string) => string, savedTitle: string): string {
  if (e.chat.kind === "saved") return savedTitle;
  if (e.chat.kind === "direct") return e.peerId ? nameOf(e.peerId) : "…";
  return e.chat.title;
}

export function previewText(e: ChatEntry, maxChars = 80): string {
  const m = e.lastMessage;
  if (!m) return "";
  return truncate(plainText(m.text), maxChars);
}

/** The newest message of this chat still in the outbox (written, not yet stored), or null. */
export function pendingPreview(items: readonly { chatId: string; text: string; createdAt: number; state: string }[], chatId: string, maxChars = 80): { text: string; failed: boolean; at: number } | null {
  let newest: (typeof items)[number] | null = null;
  for (const i of items) if (i.chatId === chatId && (!newest || i.createdAt >= newest.createdAt)) newest = i;
  return newest ? { text: truncate(plainText(newest.text), maxChars), failed: newest.state === "failed", at: newest.createdAt } : null;
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
  return initials(name);
}
