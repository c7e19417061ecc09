// Mounted once in Home: the title count, favicon dot and app badge; notifications for new
// messages and ringing calls; client.visibility for the server. (The permission offer is
// in the chat list: PermissionBanner.tsx.)
import { createEffect, on, onCleanup } from "solid-js";
import { calls } from "../calls/store.ts";
import { selectedChat } from "../home/nav.ts";
import { t } from "../i18n/index.ts";
import { onEvent, onOnline, onSnapshot, state } from "../sync/store.ts";
import { now } from "../ui/clock.ts";
import { tagOf } from "./content.ts";
import { installNotifyHook } from "./e2e-hook.ts";
import { resetCount, showCount } from "./indicators.ts";
import { closeFor, listen, setActionWords } from "./notify.ts";
import { refreshPermission } from "./permission.ts";
import { fromEvent, fromSnapshot, reportVisibility } from "./server.ts";
import { unreadChats } from "./rules.ts";
import { dropSubscription, sync as syncPush } from "./push.ts";
import { looking, watchVisibility } from "./visibility.ts";
import { onIncomingCall, onMessageCreated, onRead, onServiceWorker } from "./watch.ts";
import type { WireMessage } from "../../../src/protocol/methods/chats.ts";
import "./notifications.css";

export function NotificationLayer() {
  createEffect(() => showCount(unreadChats(Object.values(state.chats), now()), t("appName")));
  onCleanup(() => resetCount(t("appName")));
  createEffect(() =>
    setActionWords({
      markRead: t("notifyMarkRead"), reply: t("notifyReply"), replyPlaceholder: t("writeMessage"), app: t("appName"),
      newMessage: t("notifyNewMessage"), incomingCall: t("callIncoming"), missedCall: t("notifyMissedCall"), test: t("notifyTestBody"),
    }),
  );
  onCleanup(onSnapshot(fromSnapshot));
  onCleanup(onEvent((type, data) => {
    fromEvent(type, data);
    if (type === "message.created") void onMessageCreated((data as { message: WireMessage }).message);
    else if (type === "read.updated") {
      const d = data as { userId: string; chatId: string; readSeq: number };
      if (d.userId === state.me?.id) onRead(d.chatId, d.readSeq);
    }
  }));
  // a ringing call while the page is not looked at
  createEffect(on(() => calls.incoming?.callId, () => {
    const inc = calls.incoming;
    if (inc && !calls.current) void onIncomingCall(inc.chatId, inc.from);
  }));
  // the chat in front of the reader has no notifications waiting
  createEffect(() => {
    const id = selectedChat();
    if (id && looking()) void closeFor(tagOf(id));
  });
  const vis = watchVisibility((visible) => {
    refreshPermission();
    reportVisibility(visible);
  });
  onCleanup(() => vis.stop());
  onCleanup(onOnline(() => {
    vis.resend();
    void syncPush();
  }));
  onCleanup(listen((m) => (m.type === "hearth.resubscribe" ? void syncPush() : onServiceWorker(m))));
  // signed out (this unmounts): this browser's subscription goes (the server drops its side
  // with the session); Settings tells the server first while still connected
  onCleanup(() => void dropSubscription(false));
  installNotifyHook();
  return null;
}
