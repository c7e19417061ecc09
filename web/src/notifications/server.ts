// The notification side of the protocol, in one place: the global settings, this
// connection's visibility, and the push subscription calls (push.ts).
import * as net from "../net/connection.ts";
import { setGlobalPrefs } from "./prefs.ts";
import { defaultGlobalPrefs, type GlobalPrefs } from "./rules.ts";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- until the push protocol spec lands
const call = net.call as unknown as (method: string, params: unknown) => Promise<any>;

export function reportVisibility(visible: boolean): void {
  if (net.status() !== "online") return; // sent again after the (re)connection
  void call("client.visibility", { visible }).catch(() => undefined);
}

export async function loadPrefs(): Promise<void> {
  const r = (await call("notify.get", {}).catch(() => null)) as GlobalPrefs | null;
  if (r) setGlobalPrefs({ ...defaultGlobalPrefs(), ...r });
}

export interface PushConfig {
  vapidPublicKey: string;
  available: boolean;
}

export const pushCall = {
  config: () => call("push.config", {}) as Promise<PushConfig>,
  subscribe: (p: { endpoint: string; keys: { p256dh: string; auth: string } }) => call("push.subscribe", p) as Promise<unknown>,
  unsubscribe: () => call("push.unsubscribe", {}) as Promise<unknown>,
  test: () => call("push.test", {}) as Promise<unknown>,
};
