// For the browser end-to-end test only: with `?e2e` in the page's URL, window.__hearthNotify
// tells what this page showed (notifications, chimes, the badge number) and whether it
// thinks the reader is looking, the push state and the global settings it has. Without the flag nothing is installed.
import { badgeNow } from "./indicators.ts";
import { shownRecently, showsInFlight } from "./notify.ts";
import { chimesPlayed } from "./sound.ts";
import { looking } from "./visibility.ts";
import { pushState } from "./push.ts";
import { globalPrefs } from "./prefs.ts";
import { inDnd } from "./rules.ts";

export function installNotifyHook(): void {
  if (typeof location === "undefined" || !new URLSearchParams(location.search).has("e2e")) return;
  (window as unknown as Record<string, unknown>).__hearthNotify = {
    shown: () => shownRecently(),
    showing: () => showsInFlight(),
    chimes: () => chimesPlayed(),
    badge: () => badgeNow(),
    looking: () => looking(),
    push: () => pushState(),
    prefs: () => globalPrefs(),
    dnd: () => inDnd(globalPrefs(), Date.now()),
  };
}
