// Shows a system notification: through the service worker's registration when there is one
// (the only way on Android, and the same path push uses, so clicks and actions are handled
// once, in web/public/sw.js), else with `new Notification` whose click we handle here.
// Clicks come back as "hearth.open" messages from the service worker (see listen()).
import { permission } from "./permission.ts";
import { deviceOff } from "./push.ts";
import type { Shown } from "./content.ts";

export interface ShowOptions {
  silent: boolean; // our own sound plays instead of the system's (or none)
}

const recent: Shown[] = []; // for the e2e hook: what this page showed, newest last
const recentMax = 20;
export const shownRecently = (): Shown[] => recent.slice();
let showing = 0; // showNotification() calls not yet settled (the e2e hook reads the list only when 0)
export const showsInFlight = (): number => showing;

async function registration(): Promise<ServiceWorkerRegistration | undefined> {
  if (!("serviceWorker" in navigator)) return undefined;
  return navigator.serviceWorker.getRegistration().catch(() => undefined);
}

export async function show(n: Shown, opts: ShowOptions, onClick: (url: string) => void): Promise<void> {
  if (deviceOff()) return;
  recent.push(n);
  if (recent.length > recentMax) recent.shift();
  if (permission() !== "granted") return;
  const options: NotificationOptions & { renotify?: boolean; actions?: unknown[] } = {
    body: n.body,
    tag: n.tag,
    icon: "/icon-192.png",
    badge: "/icon-192.png",
    silent: opts.silent,
    renotify: true, // a newer message in the same chat alerts again
    data: { url: n.url, chatId: n.chatId, kind: n.kind, seq: n.seq ?? null },
  };
  const reg = await registration();
  if (reg?.active) {
    // the same actions as a pushed one (web/public/sw.js handles both)
    if (n.kind === "message") options.actions = [{ action: "read", title: words.markRead }, { action: "reply", title: words.reply, type: "text", placeholder: words.replyPlaceholder }];
    showing++;
    await reg.showNotification(n.title, options).catch(() => undefined).finally(() => void showing--);
    return;
  }
  try {
    const shown = new Notification(n.title, options);
    shown.onclick = () => {
      focus();
      onClick(n.url);
      shown.close();
    };
  } catch {
    // e.g. Android Chrome without a service worker: nothing to show with
  }
}

let words: WorkerWords = { markRead: "Mark as read", reply: "Reply", replyPlaceholder: "Message", app: "Hearth", newMessage: "New message", incomingCall: "Incoming call", missedCall: "Missed call", test: "Test notification" };
export interface WorkerWords {
  markRead: string;
  reply: string;
  replyPlaceholder: string;
  app: string;
  newMessage: string;
  incomingCall: string;
  missedCall: string;
  test: string;
}
export function setActionWords(w: WorkerWords): void {
  words = w;
  void tellWorkerWords(w);
}

/**
 * Closes the chat's notifications: all of them (the reader has the chat in front), or those
 * about messages up to `readSeq` (read here or elsewhere; a newer one that raced the read stays).
 */
export async function closeFor(tag: string, readSeq?: number): Promise<void> {
  const reg = await registration();
  if (!reg) return;
  for (const n of await reg.getNotifications({ tag }).catch(() => [] as Notification[])) {
    const seq = (n.data as { seq?: number | null } | null)?.seq;
    if (readSeq === undefined || typeof seq !== "number" || seq <= readSeq) n.close();
  }
}

export interface SwMessage {
  type: "hearth.open" | "hearth.read" | "hearth.reply" | "hearth.resubscribe";
  url?: string;
  chatId?: string;
  text?: string;
}

/** Messages from the service worker: a click to open a chat, "Mark as read", an inline reply. */
export function listen(handle: (m: SwMessage) => void): () => void {
  if (!("serviceWorker" in navigator)) return () => undefined;
  const on = (e: MessageEvent) => {
    const m = e.data as SwMessage | null;
    if (m && typeof m === "object" && typeof m.type === "string" && m.type.startsWith("hearth.")) handle(m);
  };
  navigator.serviceWorker.addEventListener("message", on);
  return () => navigator.serviceWorker.removeEventListener("message", on);
}

/** The service worker titles its actions in the app's language (it has no catalogs of its own). */
export async function tellWorkerWords(words: WorkerWords): Promise<void> {
  if (!("serviceWorker" in navigator)) return;
  // ready: once the worker is active (it registers on the page's load event)
  const reg = await navigator.serviceWorker.ready;
  reg.active?.postMessage({ type: "hearth.words", words });
}
