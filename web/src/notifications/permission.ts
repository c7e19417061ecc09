// Permission to show system notifications. The browser prompt is only ever opened from a
// click on our own explanation (the banner), never on page load; "Not now" is remembered
// on this device (localStorage) so the banner does not come back every visit.
import { createSignal } from "solid-js";

export type Permission = "default" | "granted" | "denied" | "unsupported";
const dismissKey = "hearth.notify.dismissed";

const read = (): Permission => (typeof Notification === "undefined" ? "unsupported" : (Notification.permission as Permission));
const [permission, setPermission] = createSignal<Permission>(read());
export { permission };

const stored = (): boolean => {
  try {
    return localStorage.getItem(dismissKey) === "1";
  } catch {
    return false;
  }
};
const [dismissed, setDismissed] = createSignal(stored());

/** The banner shows while the browser could still ask and the person has not said "Not now". */
export const offerPermission = () => permission() === "default" && !dismissed();

export function dismissOffer(): void {
  setDismissed(true);
  try {
    localStorage.setItem(dismissKey, "1");
  } catch {
    // not remembered: the banner comes back next time
  }
}

/** Call from a click handler only (browsers refuse, or penalize, prompts without a gesture). */
export async function askPermission(): Promise<Permission> {
  if (typeof Notification === "undefined") return "unsupported";
  const p = (await Notification.requestPermission().catch(() => Notification.permission)) as Permission;
  setPermission(p);
  return p;
}

/** The permission can change in the browser's site settings: read it again when the page comes back. */
export function refreshPermission(): void {
  setPermission(read());
}
