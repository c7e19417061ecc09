// Members of the open chat (member.list), a page at a time: the first page when the chat
// opens, the next on "Show more" until hasMore is false. Only where the caller may list
// them (groups; channels for admins): a channel subscriber's request would be `forbidden`.
import { createStore } from "solid-js/store";
import type { WireMember } from "../../../src/protocol/methods/chats.ts";
import { request } from "../net/connection.ts";
import { onChatReset, onEvent, state } from "../sync/store.ts";
import { appendMemberPage } from "./member-pages.ts";

const [members, setMembers] = createStore<Record<string, WireMember[]>>({});
const [moreMembers, setMoreMembers] = createStore<Record<string, boolean>>({});
export { members, moreMembers };

/** Mirrors the server's list_members right (src/chats/access.ts): groups, and channels for their admins. */
export function mayListMembers(chatId: string): boolean {
  const e = state.chats[chatId];
  if (!e) return false;
  if (e.chat.kind === "group") return true;
  return e.chat.kind === "channel" && (e.me.role === "owner" || e.me.role === "admin");
}

const fetchPage = (p: { chatId: string; afterUserId?: string; limit: number }) => request("member.list", p);

/** (Re)loads the first page. */
export async function loadMembers(chatId: string): Promise<void> {
  if (!mayListMembers(chatId)) return;
  const r = await appendMemberPage(fetchPage, chatId, []);
  setMembers(chatId, r.members);
  setMoreMembers(chatId, r.hasMore);
}

/** Appends the next page to what is shown. */
export async function loadMoreMembers(chatId: string): Promise<void> {
  if (!mayListMembers(chatId) || !moreMembers[chatId]) return;
  const r = await appendMemberPage(fetchPage, chatId, members[chatId] ?? []);
  setMembers(chatId, r.members);
  setMoreMembers(chatId, r.hasMore);
}

onEvent((type, data) => {
  if (!type.startsWith("chat.member_")) return;
  const d = data as { chat?: { id: string }; chatId?: string };
  const chatId = d.chat?.id ?? d.chatId;
  if (chatId && members[chatId]) void loadMembers(chatId).catch(() => undefined);
});

// too far behind: member changes may have been missed
onChatReset((chatId) => void (members[chatId] && loadMembers(chatId).catch(() => undefined)));

export const roleOf = (chatId: string, userId: string | undefined) => members[chatId]?.find((m) => m.userId === userId)?.role;
