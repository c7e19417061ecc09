// The reader's notification settings as this device knows them: the global ones (from the
// server, see load()) and each chat's (on its chat-list entry). Plain getters over the store.
import { createSignal } from "solid-js";
import { state } from "../sync/store.ts";
import { type ChatPrefs, chatPrefsOf, defaultGlobalPrefs, type GlobalPrefs } from "./rules.ts";

const [globalPrefs, setGlobalPrefs] = createSignal<GlobalPrefs>(defaultGlobalPrefs());
export { globalPrefs, setGlobalPrefs };

export function chatPrefs(chatId: string): ChatPrefs | null {
  const e = state.chats[chatId];
  return e ? chatPrefsOf(e.me) : null;
}
