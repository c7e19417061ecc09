// Web Push for this device: the service worker's push subscription, made with the server's
// VAPID key (push.config) and handed to the server (push.subscribe, bound to this session).
// After every (re)connection sync() checks it again: a rotated server key means a new
// subscription. Signing out removes it on both sides (disable()). Browsers that cannot reach
// their vendor's push service (a LAN without internet) fail the subscribe: state "failed".
import { createSignal } from "solid-js";
import { pushCall } from "./server.ts";
import { permission } from "./permission.ts";
import { sameKey, fromBase64Url } from "./keys.ts";

export type PushState = "unknown" | "unsupported" | "unavailable" | "off" | "on" | "failed";
const [pushState, setPushState] = createSignal<PushState>("unknown");
export { pushState };

const offKey = "hearth.push.off"; // set when the person turned notifications off on this device
const readOff = () => {
  try {
    return localStorage.getItem(offKey) !== null;
  } catch {
    return false;
  }
};
const [deviceOff, setDeviceOff] = createSignal(typeof localStorage === "undefined" ? false : readOff());
/** Turned off on this device (Settings): no pushes, and no notifications or chimes in the open app either. */
export { deviceOff };

function supported(): boolean {
  return typeof navigator !== "undefined" && "serviceWorker" in navigator && typeof PushManager !== "undefined" && isSecureContext;
}

async function registration(): Promise<ServiceWorkerRegistration | undefined> {
  return (await navigator.serviceWorker.getRegistration().catch(() => undefined)) ?? undefined;
}

/** Subscribes (or keeps a subscription made with the current key) and tells the server. */
export async function enablePush(): Promise<PushState> {
  localStorage.removeItem(offKey);
  setDeviceOff(false);
  return sync(true);
}

export async function sync(asked = false): Promise<PushState> {
  if (!supported()) return set("unsupported");
  const config = await pushCall.config().catch(() => null);
  if (!config?.available) return set("unavailable");
  const wanted = asked || !readOff();
  if (permission() !== "granted" || !wanted) return set("off");
  const reg = await registration();
  if (!reg) return set("unsupported");
  try {
    let sub = await reg.pushManager.getSubscription();
    if (sub && !sameKey(sub.options.applicationServerKey, config.vapidPublicKey)) {
      await sub.unsubscribe().catch(() => undefined); // made for an old (rotated) key
      sub = null;
    }
    sub ??= await reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: fromBase64Url(config.vapidPublicKey) });
    const json = sub.toJSON() as { endpoint: string; keys: { p256dh: string; auth: string } };
    await pushCall.subscribe({ endpoint: json.endpoint, keys: { p256dh: json.keys.p256dh, auth: json.keys.auth } });
    return set("on");
  } catch {
    return set("failed"); // e.g. no route to the browser vendor's push service
  }
}

/** Turned off in settings: the server forgets this device's subscription, the browser too. */
export async function disablePush(): Promise<void> {
  localStorage.setItem(offKey, "1");
  setDeviceOff(true);
  await dropSubscription(true);
  set("off");
}

/** Signing out: before the session ends, so the server call is still authorized. */
export async function dropSubscription(tellServer: boolean): Promise<void> {
  if (!supported()) return;
  if (tellServer) await pushCall.unsubscribe().catch(() => undefined);
  const sub = await (await registration())?.pushManager.getSubscription().catch(() => null);
  await sub?.unsubscribe().catch(() => undefined);
}

function set(s: PushState): PushState {
  setPushState(s);
  return s;
}
