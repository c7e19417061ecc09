// Loading history into a chat's window, a page at a time, and keeping the window bounded
// (windowMax messages): scrolling up drops the newest end, scrolling down the oldest, so
// a 10,000-message chat renders the same few DOM nodes as a short one.
import { request } from "../net/connection.ts";
import { mergePage, trimWindow } from "../sync/messages.ts";
import { mutate, state } from "../sync/store.ts";

export const pageSize = 50;
export const windowMax = 150;
const loading = new Set<string>();
// Window-replacing loads (open, around) on their way, per chat: a reload after a reconnect
// must not land after one of them and replace the window it brought (a message link's).
const replacing = new Map<string, number>();

async function replacingLoad(chatId: string, load: () => Promise<void>): Promise<void> {
  replacing.set(chatId, (replacing.get(chatId) ?? 0) + 1);
  try {
    await load();
  } finally {
    const n = (replacing.get(chatId) ?? 1) - 1;
    if (n > 0) replacing.set(chatId, n);
    else replacing.delete(chatId);
  }
}

async function once(key: string, fn: () => Promise<void>): Promise<void> {
  if (loading.has(key)) return;
  loading.add(key);
  try {
    await fn();
  } finally {
    loading.delete(key);
  }
}

/** Opens at your first unread message when there is one, else at the newest. */
export function openHistory(chatId: string): Promise<void> {
  const unread = (state.chats[chatId]?.unreadCount ?? 0) > 0;
  return once(`${chatId}:open`, () =>
    replacingLoad(chatId, async () => {
      const page = await request("message.list", { chatId, anchor: unread ? "first_unread" : "latest", direction: unread ? "around" : "before", limit: pageSize });
      mutate((s) => mergePage(s, chatId, page, "replace"));
    }),
  );
}

/**
 * After a (re)connection whose snapshot dropped the windows: the open chat's history again,
 * unless it has a window or a load that brings one is already on its way.
 */
export function reopenHistory(chatId: string): Promise<void> {
  if (state.windows[chatId] || replacing.has(chatId)) return Promise.resolve();
  return openHistory(chatId);
}

export function loadOlder(chatId: string): Promise<void> {
  const w = state.windows[chatId];
  const first = w?.items[0];
  if (!w || !first || !w.hasBefore) return Promise.resolve();
  return once(`${chatId}:older`, async () => {
    const page = await request("message.list", { chatId, anchor: { seq: first.seq }, direction: "before", limit: pageSize });
    mutate((s) => {
      if (mergePage(s, chatId, page, "before", first.seq)) trimWindow(s, chatId, windowMax, "start");
    });
  });
}

export function loadNewer(chatId: string): Promise<void> {
  const w = state.windows[chatId];
  const last = w?.items[w.items.length - 1];
  if (!w || !last || !w.hasAfter) return Promise.resolve();
  return once(`${chatId}:newer`, async () => {
    const page = await request("message.list", { chatId, anchor: { seq: last.seq }, direction: "after", limit: pageSize });
    mutate((s) => {
      if (mergePage(s, chatId, page, "after", last.seq)) trimWindow(s, chatId, windowMax, "end");
    });
  });
}

/** Replaces the window with the page around seq (jump to a reply, a pin, the first unread). */
export function loadAround(chatId: string, anchor: { seq: number } | "first_unread" | "latest"): Promise<void> {
  return replacingLoad(chatId, async () => {
    const page = await request("message.list", { chatId, anchor, direction: anchor === "latest" ? "before" : "around", limit: pageSize });
    mutate((s) => mergePage(s, chatId, page, "replace"));
  });
}

/** Pins shown in the bar above the history. */
export async function loadPins(chatId: string): Promise<void> {
  const { pins } = await request("message.list_pinned", { chatId });
  mutate((s) => void (s.pins[chatId] = pins.map((p) => ({ messageId: p.message.id, seq: p.message.seq, text: p.message.text }))));
}
