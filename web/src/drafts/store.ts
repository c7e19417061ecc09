// The app's drafts: pending texts (DraftSync, in localStorage per user) saved to the
// server debounced while online, again after every reconnect; the server's copy comes
// with chat entries and draft.updated. draftOf() is what this device shows.
import { createEffect, createRoot, on } from "solid-js";
import { createStore, reconcile } from "solid-js/store";
import { request, status } from "../net/connection.ts";
import { onOnline, state } from "../sync/store.ts";
import { DraftSync, type DraftPort } from "./sync.ts";

const saveAfterMs = 700;
const [pending, setPending] = createStore<Record<string, string>>({});

const keyOf = (userId: string) => `hearth.drafts.${userId}`;

const localPort = (userId: string): DraftPort => {
  const key = keyOf(userId);
  return {
    load: () => {
      try {
        return JSON.parse(localStorage.getItem(key) ?? "{}") as Record<string, string>;
      } catch {
        return {};
      }
    },
    store: (p) => (Object.keys(p).length ? localStorage.setItem(key, JSON.stringify(p)) : localStorage.removeItem(key)),
  };
};

let sync: DraftSync | null = null;
let syncUser = "";
let timer: ReturnType<typeof setTimeout> | null = null;

function current(): DraftSync | null {
  const userId = state.me?.id;
  if (!userId) return null;
  if (!sync || syncUser !== userId) {
    syncUser = userId;
    sync = new DraftSync(localPort(userId), (p) => setPending(reconcile(p)));
    setPending(reconcile(localPort(userId).load()));
  }
  return sync;
}

const save = (chatId: string, text: string) => request("draft.save", { chatId, text });

function flushNow(): void {
  if (timer) clearTimeout(timer);
  timer = null;
  if (status() === "online") void current()?.flush(save);
}

onOnline(() => flushNow());

// signing out forgets this device's unsaved drafts, as it forgets the cached state
createRoot(() =>
  createEffect(
    on(() => state.me?.id, (id, prev) => {
      if (id || !prev) return;
      localStorage.removeItem(keyOf(prev));
      sync = null;
      setPending(reconcile({}));
    }),
  ),
);

/** What this device shows as the chat's draft: its own unsaved text, else the server's. */
export function draftOf(chatId: string): string {
  current();
  return pending[chatId] ?? state.chats[chatId]?.draft?.text ?? "";
}

/** True while this device has a text for the chat the server has not stored yet. */
export const hasPendingDraft = (chatId: string) => pending[chatId] !== undefined;

export function editDraft(chatId: string, text: string): void {
  const s = current();
  if (!s) return;
  s.edit(chatId, text);
  if (timer) clearTimeout(timer);
  timer = setTimeout(flushNow, saveAfterMs);
}

/** The composer's text was sent: the draft is empty now (the server clears it too). */
export function draftSent(chatId: string): void {
  current()?.edit(chatId, "");
  flushNow();
}
