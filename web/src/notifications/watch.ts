// The open app's notifications, driven by the app's event stream (sync/store.ts onEvent):
// a new message that rules.ts lets through chimes and shows a system notification; reading
// a chat (here or on another device) closes its notifications; a ringing call shows one
// while the page is not looked at. Clicks, "Mark as read" and replies come back from the
// service worker (notify.ts listen()).
import type { WireMessage } from "../../../src/protocol/methods/chats.ts";
import { parseRoute } from "../home/routes.ts";
import { openChat, selectedChat, setSettingsOpen } from "../home/nav.ts";
import { t } from "../i18n/index.ts";
import { markRead, sendMessage } from "../messages/actions.ts";
import { request } from "../net/connection.ts";
import { mutate, state } from "../sync/store.ts";
import { titleOf } from "../chats/ChatList.tsx";
import { callNotification, messageNotification, tagOf } from "./content.ts";
import { closeFor, show, type SwMessage } from "./notify.ts";
import { chatPrefs, globalPrefs } from "./prefs.ts";
import { callRings, onMessage } from "./rules.ts";
import { chime } from "./sound.ts";
import { looking } from "./visibility.ts";
import { deviceOff } from "./push.ts";

const seenMax = 500; // message ids remembered, so a replayed event never notifies twice
const seen = new Set<string>();

/** Opens the place a notification points at (its chat), from a click here or in the service worker. */
export function openUrl(url: string): void {
  const r = parseRoute(new URL(url, location.origin).pathname);
  if (r.kind !== "chat" && r.kind !== "message") return;
  setSettingsOpen(false);
  openChat(r.chatId);
}

async function nameFor(userId: string): Promise<string> {
  const known = state.users[userId];
  if (known) return known.displayName || known.username;
  const u = await request("user.get", { userId }).catch(() => null);
  if (!u) return "…";
  mutate((s) => void (s.users[u.id] = u));
  return u.displayName || u.username;
}

export async function onMessageCreated(m: WireMessage): Promise<void> {
  if (seen.has(m.id)) return;
  seen.add(m.id);
  if (seen.size > seenMax) seen.delete(seen.values().next().value!);
  const entry = state.chats[m.chatId];
  if (!entry || m.seq <= entry.me.readSeq || m.deletedAt !== null) return;
  const g = globalPrefs();
  const verdict = onMessage(m, { meId: state.me?.id ?? null, chat: chatPrefs(m.chatId), global: g, now: Date.now(), looking: looking(), openChatId: selectedChat() });
  if (!verdict) return;
  if (verdict.sound && !deviceOff()) chime();
  const n = messageNotification({
    chatId: m.chatId,
    seq: m.seq,
    chatKind: entry.chat.kind,
    chatTitle: titleOf(entry),
    senderName: await nameFor(m.senderId),
    text: m.text,
    hideContent: g.hideContent,
    words: { newMessage: t("notifyNewMessage"), attachment: t("notifyAttachment") },
  });
  // re-check after the await: read meanwhile (here or elsewhere) means nothing to show
  const now = state.chats[m.chatId];
  if (!now || m.seq <= now.me.readSeq || (looking() && selectedChat() === m.chatId)) return;
  await show(n, { silent: true }, openUrl);
}

/** A 1:1 call rings here while the page is not looked at: a notification besides the ringtone. */
export async function onIncomingCall(chatId: string, from: string): Promise<void> {
  if (looking() || !callRings(chatPrefs(chatId), globalPrefs(), Date.now())) return;
  const name = await nameFor(from);
  await show(callNotification(chatId, t("callIncoming"), t("callIsCalling", { name })), { silent: true }, openUrl);
}

export function onRead(chatId: string, readSeq: number): void {
  void closeFor(tagOf(chatId), readSeq);
}

/** What the service worker passes on: a click, "Mark as read" or an inline reply. */
export function onServiceWorker(m: SwMessage): void {
  const chatId = m.chatId ?? "";
  const entry = state.chats[chatId];
  if (m.type === "hearth.open" && m.url) openUrl(m.url);
  else if (m.type === "hearth.read" && entry) void markRead(chatId, entry.chat.lastSeq);
  else if (m.type === "hearth.reply" && entry && m.text?.trim()) {
    void sendMessage(chatId, m.text).then(() => markRead(chatId, state.chats[chatId]?.chat.lastSeq ?? 0));
  }
}
