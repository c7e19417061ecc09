// The retention announcements (chat.retention_changed) seen since this page loaded, per
// chat, for the timeline; the settings themselves live in the chat (state.chats).
import { createStore, produce } from "solid-js/store";
import type { RetentionNotice } from "./retention.ts";

const NOTICES_PER_CHAT_MAX = 50; // a session's announcements kept per chat

const [notices, setNotices] = createStore<Record<string, RetentionNotice[]>>({});
export { notices };

/**
 * Records an announcement event once: `where` is its place in the chat's log (pos), so a
 * replay after a reconnect is not shown twice.
 */
export function noteRetentionChange(where: number, at: number, d: { chat: { id: string }; by: string; autoDeleteDays?: number | null; disappearSeconds?: number | null }): void {
  const key = `retention:${where}`;
  setNotices(
    produce((s) => {
      const list = (s[d.chat.id] ??= []);
      if (list.some((n) => n.key === key)) return;
      list.push({ key, at, by: d.by, ...("autoDeleteDays" in d ? { autoDeleteDays: d.autoDeleteDays } : {}), ...("disappearSeconds" in d ? { disappearSeconds: d.disappearSeconds } : {}) });
      if (list.length > NOTICES_PER_CHAT_MAX) list.shift();
    }),
  );
}

