// The app's one state store (Solid), fed by net/connection.ts through the Sink below.
// All changes go through the pure functions of state.ts / messages.ts inside `produce`.
import { noteRetentionChange } from "../retention/notices.ts";
import { batch } from "solid-js";
import { createStore, produce, unwrap } from "solid-js/store";
import * as net from "../net/connection.ts";
import type { AuthTokens } from "../net/http.ts";
import { applyChatReset, applyEvent, applyPresence, applySnapshot, applyTyping, emptyState, type State } from "./state.ts";
import { Outbox, type OutboxItem } from "./outbox.ts";
import { idbOutboxStore } from "./outbox-idb.ts";
import { session, setSession, setSignedOutReason, storedSession } from "./session.ts";
import type { WireMessage } from "../../../src/protocol/methods/chats.ts";
import { insertMessage } from "./messages.ts";
import { type CachedState, fromCache, toCache } from "./cache.ts";
import { run } from "./idb.ts";
import { forgetMediaCookie, requestMediaCookie } from "../net/media-cookie.ts";
import { uploadAttachments } from "../media/outbox-media.ts";
import { attachmentDeps, forgetItem } from "../media/sending.ts";

const [state, setState] = createStore<State>(emptyState());
const [outboxItems, setOutboxItems] = createStore<{ items: OutboxItem[] }>({ items: [] });
export { state, outboxItems };

export function mutate(fn: (s: State) => void): void {
  setState(produce(fn));
  scheduleSave();
}

// the state is saved at most every saveEveryMs, for showing the app offline next time
const saveEveryMs = 3000;
let saveTimer: ReturnType<typeof setTimeout> | null = null;
function scheduleSave(): void {
  saveTimer ??= setTimeout(() => {
    saveTimer = null;
    const c = toCache(unwrap(state), Date.now());
    if (c) void run("cache", "readwrite", (s) => s.put(JSON.parse(JSON.stringify(c)))).catch(() => undefined);
  }, saveEveryMs);
}

async function restoreCache(userId: string): Promise<void> {
  const c = await run("cache", "readonly", (s) => s.get(userId) as IDBRequest<CachedState | undefined>).catch(() => undefined);
  setState(produce((s) => void fromCache(s, c, userId)));
}

/** A message we sent is stored: show it in place of its outbox item. */
function sentMessage(m: WireMessage): void {
  mutate((s) => {
    const w = s.windows[m.chatId];
    if (w && !w.hasAfter) insertMessage(w.items, m);
  });
}

export const outbox = new Outbox(idbOutboxStore(), (items) => setOutboxItems("items", items), sentMessage, forgetItem);
const media = attachmentDeps((item) => outbox.save(item));

/** Uploads the item's files first (resuming), then sends it with their media ids and its preview. */
export const sendOutboxItem = async (item: OutboxItem) => {
  const attachments = await uploadAttachments(item, media);
  const extra = { ...(attachments ? { attachments } : {}), ...(item.preview ? { preview: item.preview } : {}) };
  return net.request("message.send", { chatId: item.chatId, clientId: item.clientId, text: item.text, replyToId: item.replyToId, ...extra }).then((r) => r.message);
};

const sink: net.Sink = {
  snapshot: (snap, w) =>
    batch(() => {
      mutate((s) => applySnapshot(s, snap, w.lastEventId));
      snapshotHooks.forEach((h) => h(snap));
    }),
  event: (e) =>
    batch(() => {
      mutate((s) => void applyEvent(s, e));
      const m = (e.data as { message?: WireMessage }).message;
      if (e.type === "message.created" && m?.clientId && m.senderId === state.me?.id) void outbox.delivered(m.clientId);
      if (e.type === "chat.retention_changed") noteRetentionChange(e.pos ?? e.id, e.at, e.data as Parameters<typeof noteRetentionChange>[2]);
      eventHooks.forEach((h) => h(e.type, e.data));
    }),
  chatReset: (r) =>
    batch(() => {
      mutate((s) => applyChatReset(s, r.chatId, r.pos, r.entry));
      resetHooks.forEach((h) => h(r.chatId));
    }),
  typing: (d) => mutate((s) => applyTyping(s, d, Date.now())),
  presence: (d) => mutate((s) => applyPresence(s, d.users)),
  online: () => {
    mutate((s) => void (s.typing = {})); // typing notices are not replayed after a reconnect
    void outbox.flush(sendOutboxItem);
    const t = storedSession() ?? session();
    if (t) void requestMediaCookie(t.accessToken); // not yet set when sign-in happened offline
    onlineHooks.forEach((h) => h());
  },
  signedOut: (reason) => {
    setSignedOutReason(reason);
    signOutLocally();
  },
};

const eventHooks = new Set<(type: string, data: unknown) => void>();
/** Screens that keep their own lists (members, links) refresh them on these events. */
export function onEvent(h: (type: string, data: unknown) => void): () => void {
  eventHooks.add(h);
  return () => eventHooks.delete(h);
}

const resetHooks = new Set<(chatId: string) => void>();
/** A chat's history was dropped by a chat_reset: an open chat loads it again. */
export function onChatReset(h: (chatId: string) => void): () => void {
  resetHooks.add(h);
  return () => resetHooks.delete(h);
}

const snapshotHooks = new Set<(snapshot: Record<string, unknown>) => void>();
/** Parts with their own stores (calls) read their piece of every welcome snapshot. */
export function onSnapshot(h: (snapshot: Record<string, unknown>) => void): () => void {
  snapshotHooks.add(h);
  return () => snapshotHooks.delete(h);
}

const onlineHooks = new Set<() => void>();
/** Runs after every (re)connection: screens refetch what a resume does not replay. */
export function onOnline(h: () => void): () => void {
  onlineHooks.add(h);
  return () => onlineHooks.delete(h);
}

export function startSync(tokens: AuthTokens): void {
  void outbox.load(tokens.userId);
  void restoreCache(tokens.userId);
  // tokens are read from storage on every use: another tab may have refreshed them
  void requestMediaCookie(tokens.accessToken);
  // every refreshed token gets its media cookie (the server ties it to the session)
  net.start({ get: () => storedSession() ?? session(), set: (t) => { setSession(t); void requestMediaCookie(t.accessToken); } }, sink);
  addEventListener("storage", onStorage);
  document.addEventListener("visibilitychange", reportActivity);
}

// this device is "away" while the app is hidden, "online" when looked at again
function reportActivity(): void {
  if (net.status() !== "online") return;
  void net.request("presence.set", { state: document.visibilityState === "visible" ? "online" : "away" }).catch(() => undefined);
}

// signing out in another tab signs this one out too
function onStorage(e: StorageEvent): void {
  if (e.key === "hearth.session" && e.newValue === null) signOutLocally();
}

export function signOutLocally(): void {
  removeEventListener("storage", onStorage);
  document.removeEventListener("visibilitychange", reportActivity);
  const userId = state.me?.id;
  if (userId) void run("cache", "readwrite", (s) => s.delete(userId)).catch(() => undefined);
  if (saveTimer) clearTimeout(saveTimer);
  saveTimer = null;
  net.stop();
  forgetMediaCookie();
  setState(emptyState());
  setSession(null);
}
