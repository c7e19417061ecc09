// The notification side of the protocol, in one place: the global settings (from the
// welcome snapshot's `push` part and notify.updated), this connection's visibility, the
// per-chat level and mute, and the push subscription calls (push.ts).
import * as net from "../net/connection.ts";
import { mutate } from "../sync/store.ts";
import type { NotifySettings, WirePushSubscription } from "../../../src/protocol/methods/push.ts";
import type { PushSnapshot } from "../../../src/protocol/events/push.ts";
import { setGlobalPrefs } from "./prefs.ts";
import type { ChatPrefs } from "./rules.ts";

export function reportVisibility(visible: boolean): void {
  if (net.status() !== "online") return; // sent again after the (re)connection
  void net.request("client.visibility", { visible }).catch(() => undefined);
}

export function fromSnapshot(snap: Record<string, unknown>): void {
  const part = snap.push as PushSnapshot | undefined;
  if (part?.settings) setGlobalPrefs(part.settings);
}

export function fromEvent(type: string, data: unknown): void {
  if (type === "notify.updated") setGlobalPrefs((data as { settings: NotifySettings }).settings);
}

/** Changes global settings; the answer (all of them) replaces ours. */
export async function savePrefs(patch: Partial<NotifySettings>): Promise<void> {
  setGlobalPrefs(await net.request("notify.set", patch));
}

/** A chat's level and/or mute; the membership in the answer replaces the entry's. */
export async function saveChatPrefs(chatId: string, patch: Partial<ChatPrefs>): Promise<void> {
  const { me } = await net.request("chat.notify", { chatId, ...patch });
  mutate((s) => {
    const e = s.chats[chatId];
    if (e) e.me = me;
  });
}

export const pushCall = {
  config: () => net.request("push.config", {}),
  subscribe: (p: WirePushSubscription) => net.request("push.subscribe", p),
  unsubscribe: () => net.request("push.unsubscribe", {}),
  test: (sessionId?: string) => net.request("push.test", sessionId ? { sessionId } : {}),
};
