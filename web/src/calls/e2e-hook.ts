// For the browser end-to-end test only: with `?e2e` in the page's URL, window.__hearthCall
// reads the bytes each consumer has received (WebRTC inbound-rtp stats), the call state and
// which ringtone/ringback plays.
// Without the flag nothing is installed.
import { unwrap } from "solid-js/store";
import { calls, local, mediaNow } from "./store.ts";
import { toneNow } from "./tones.ts";

export function installE2eHook(): void {
  if (typeof location === "undefined" || !new URLSearchParams(location.search).has("e2e")) return;
  (window as unknown as Record<string, unknown>).__hearthCall = {
    received: () => mediaNow()?.received() ?? Promise.resolve([]),
    state: () => JSON.parse(JSON.stringify(unwrap(calls))),
    tone: () => toneNow(),
    local: () => ({ muted: local().muted, camera: !!local().camera, screen: !!local().screen, deafened: local().deafened }),
  };
}
