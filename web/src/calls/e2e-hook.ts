// For the browser end-to-end test only: with `?e2e` in the page's URL, window.__hearthCall
// reads the bytes each consumer has received (WebRTC inbound-rtp stats) and the call state.
// Without the flag nothing is installed.
import { unwrap } from "solid-js/store";
import { calls, local, mediaNow } from "./store.ts";

export function installE2eHook(): void {
  if (typeof location === "undefined" || !new URLSearchParams(location.search).has("e2e")) return;
  (window as unknown as Record<string, unknown>).__hearthCall = {
    received: () => mediaNow()?.received() ?? Promise.resolve([]),
    state: () => JSON.parse(JSON.stringify(unwrap(calls))),
    local: () => ({ muted: local().muted, camera: !!local().camera, screen: !!local().screen, deafened: local().deafened }),
  };
}
