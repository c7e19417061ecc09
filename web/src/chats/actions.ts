// Chat-level actions. Results also arrive as events; the entry is stored at once so the
// new chat opens without waiting for its event.
import type { ChatEntry } from "../../../src/protocol/methods/chats.ts";
import { request } from "../net/connection.ts";
import { mutate, state } from "../sync/store.ts";

function keep(entry: ChatEntry): string {
  mutate((s) => void (s.chats[entry.chat.id] ??= entry));
  return entry.chat.id;
}

/** Usernames (with or without @, separated by commas or spaces) → user ids; unknown names throw not_found. */
export async function resolveUsernames(text: string): Promise<string[]> {
  const names = text.split(/[\s,]+/).map((n) => n.replace(/^@/, "")).filter(Boolean);
  const users = await Promise.all(names.map((username) => request("user.find", { username })));
  mutate((s) => users.forEach((u) => (s.users[u.id] = u)));
  return users.map((u) => u.id);
}

export async function openDirect(username: string): Promise<string> {
  const [userId] = await resolveUsernames(username);
  return keep((await request("chat.create", { kind: "direct", userId: userId! })).entry);
}

export async function openDirectWith(userId: string): Promise<string> {
  return keep((await request("chat.create", { kind: "direct", userId })).entry);
}

export async function openSaved(): Promise<string> {
  return keep((await request("chat.create", { kind: "saved" })).entry);
}

export async function createGroup(kind: "group" | "channel", title: string, description: string, members: string): Promise<string> {
  const memberIds = await resolveUsernames(members);
  const r = await request("chat.create", { kind, clientId: crypto.randomUUID(), title: title.trim(), description: description.trim() || undefined, memberIds });
  return keep(r.entry);
}

export async function joinByLink(code: string): Promise<string> {
  return keep((await request("chat.join_by_link", { code: code.trim() })).entry);
}

export const setArchived = (chatId: string, archived: boolean) => request("chat.archive", { chatId, archived });
export const setPinned = (chatId: string, pinned: boolean) => request("chat.pin", { chatId, pinned });

/** The next page of the chat list (the snapshot holds the most recently active chats only). */
export async function loadMoreChats(): Promise<void> {
  const oldest = Object.values(state.chats).reduce<ChatEntry | null>((o, e) => (!o || e.chat.lastAt < o.chat.lastAt ? e : o), null);
  const r = await request("chat.list", { before: oldest ? { lastAt: oldest.chat.lastAt, chatId: oldest.chat.id } : undefined, limit: 100 });
  mutate((s) => {
    for (const e of r.chats) s.chats[e.chat.id] ??= e;
    s.hasMoreChats = r.hasMore;
  });
}
