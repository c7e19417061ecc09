// The signed-in app: chat list, open chat, info panel, settings. On a phone-sized screen
// one pane shows at a time (CSS), the chat replacing the list while it is open.
import { onCleanup, onMount, Show } from "solid-js";
import { ChatList } from "../chats/ChatList.tsx";
import { InfoPanel } from "../chats/InfoPanel.tsx";
import { t } from "../i18n/index.ts";
import { ChatView } from "../messages/ChatView.tsx";
import { Settings } from "../settings/Settings.tsx";
import { session } from "../sync/session.ts";
import { onOnline, signOutLocally, startSync, state } from "../sync/store.ts";
import { joinCodeFrom } from "../accounts/mode.ts";
import { joinByLink } from "../chats/actions.ts";
import { Brand } from "../ui/Brand.tsx";
import { CallLayer } from "../calls/CallLayer.tsx";
import { NotificationLayer } from "../notifications/NotificationLayer.tsx";
import { OfflineBanner } from "../ui/OfflineBanner.tsx";
import { startRouter } from "./router.ts";
import { ProfileCard } from "../people/ProfileCard.tsx";
import { profileUserId } from "../people/profile.ts";
import { infoOpen, openChat, selectedChat, setSelectedChat, setSettingsOpen, settingsOpen } from "./nav.ts";

export function Home() {
  onMount(() => {
    const tokens = session();
    if (tokens) startSync(tokens);
    const code = joinCodeFrom(new URL(location.href));
    if (code) {
      history.replaceState(null, "", "/");
      // joins once connected (request() waits for nothing: retry on the first online)
      const off = onOnline(() => {
        off();
        void joinByLink(code).then(openChat).catch(() => undefined);
      });
    }
    onCleanup(startRouter());
  });
  onCleanup(() => signOutLocally());
  // Esc closes the chat, unless something inside it (a dialog, a picker, an edit) took the key
  const onKey = (e: KeyboardEvent) => {
    if (e.key === "Escape" && !e.defaultPrevented && selectedChat() && !settingsOpen() && !(e.target as HTMLElement).closest("dialog, .emoji-picker, .suggestions")) setSelectedChat(null);
  };
  // a chat that disappeared (left, removed) closes
  const current = () => {
    const id = selectedChat();
    return id && state.chats[id] ? id : null;
  };
  return (
    <div class={current() ? "home has-chat" : "home"} onKeyDown={onKey}>
      <OfflineBanner />
      <ChatList />
      <main class="main-pane">
        <Show when={current()} keyed fallback={<Empty />}>
          {(id) => <ChatView chatId={id} />}
        </Show>
      </main>
      <Show when={current() && infoOpen() ? current() : null} keyed>
        {(id) => <InfoPanel chatId={id} />}
      </Show>
      <CallLayer />
      <NotificationLayer />
      <Show when={settingsOpen()}>
        <Settings onClose={() => setSettingsOpen(false)} />
      </Show>
      <Show when={profileUserId()} keyed>
        {(id) => <ProfileCard userId={id} />}
      </Show>
    </div>
  );
}

function Empty() {
  return (
    <div class="empty-pane">
      <Brand />
      <p>{t("welcome")}</p>
    </div>
  );
}
