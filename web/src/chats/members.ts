// Members of the open chat (member.list), refreshed when membership events arrive.
import { createStore } from "solid-js/store";
import type { WireMember } from "../../../src/protocol/methods/chats.ts";
import { call } from "../net/connection.ts";
import { onEvent } from "../sync/store.ts";

const [members, setMembers] = createStore<Record<string, WireMember[]>>({});
export { members };

const membersPageMax = 1000;

export async function loadMembers(chatId: string): Promise<void> {
  const all: WireMember[] = [];
  let after: string | undefined;
  for (let page = 0; page < 20; page++) {
    const r = await call("member.list", { chatId, afterUserId: after, limit: membersPageMax });
    all.push(...r.members);
    if (!r.hasMore || r.members.length === 0) break;
    after = r.members[r.members.length - 1]!.userId;
  }
  setMembers(chatId, all);
}

onEvent((type, data) => {
  if (!type.startsWith("chat.member_")) return;
  const d = data as { chat?: { id: string }; chatId?: string };
  const chatId = d.chat?.id ?? d.chatId;
  if (chatId && members[chatId]) void loadMembers(chatId).catch(() => undefined);
});

export const roleOf = (chatId: string, userId: string | undefined) => members[chatId]?.find((m) => m.userId === userId)?.role;
