// The open chat: header (title, presence or typing, info), pinned bar, history, composer.
import { createEffect, createMemo, createSignal, on, onCleanup, Show } from "solid-js";
import type { WireMessage } from "../../../src/protocol/methods/chats.ts";
import { titleOf } from "../chats/ChatList.tsx";
import { loadMembers, members } from "../chats/members.ts";
import { presenceMark, presenceText, typingText } from "../chats/presence.ts";
import { t, tn } from "../i18n/index.ts";
import { infoOpen, setFocusSeq, setInfoOpen } from "../home/nav.ts";
import { backToList } from "../home/router.ts";
import { request } from "../net/connection.ts";
import { mutate, onChatReset, onOnline, state } from "../sync/store.ts";
import { applyPresence } from "../sync/state.ts";
import { Avatar } from "../ui/Avatar.tsx";
import { now } from "../ui/clock.ts";
import { Icon } from "../ui/Icon.tsx";
import { Composer } from "./Composer.tsx";
import { CallBanner } from "../calls/CallBanner.tsx";
import { ChatCallButtons } from "../calls/ChatCallButtons.tsx";
import { History } from "./History.tsx";
import { loadPins, reopenHistory } from "./history.ts";
import { plainText } from "./markdown.ts";
import { refreshUser } from "../sync/users.ts";
import { DropOverlay } from "../media/DropOverlay.tsx";
import { secondsLabel } from "../retention/retention.ts";

/** Seeds others' read pointers (later ones come as read.updated events). */
async function loadReaders(chatId: string, messageId: string): Promise<void> {
  const { readers } = await request("read.list", { chatId, messageId });
  mutate((s) => {
    const peers = (s.peerRead[chatId] ??= {});
    for (const r of readers) peers[r.userId] = Math.max(peers[r.userId] ?? 0, r.readSeq);
  });
}

/** Presence of the peer or members not in the snapshot (the chat may be newer than the connection). */
async function loadPresence(chatId: string): Promise<void> {
  const e = state.chats[chatId];
  const ids = e?.peerId ? [e.peerId] : (members[chatId] ?? []).map((m) => m.userId);
  const missing = ids.filter((id) => id !== state.me?.id && !state.presence[id]).slice(0, 100);
  if (missing.length === 0) return;
  const { users } = await request("presence.get", { userIds: missing });
  mutate((s) => applyPresence(s, users));
}

export function ChatView(props: { chatId: string }) {
  const entry = () => state.chats[props.chatId];
  const [replyTo, setReplyTo] = createSignal<WireMessage | null>(null);
  const [editing, setEditing] = createSignal<WireMessage | null>(null);
  const [error, setError] = createSignal("");
  const isGroup = () => entry()?.chat.kind === "group" || entry()?.chat.kind === "channel";
  const isAdmin = () => entry()?.me.role === "owner" || entry()?.me.role === "admin";
  const readOnly = () => entry()?.chat.kind === "channel" && !isAdmin();
  const canPin = () => entry()?.chat.kind === "direct" || entry()?.chat.kind === "saved" || isAdmin();
  // mention suggestions: the members of a group, the other person of a direct chat
  const memberIds = createMemo(() => (entry()?.peerId ? [entry()!.peerId!] : (members[props.chatId] ?? []).map((m) => m.userId)));
  const pin = () => state.pins[props.chatId]?.[0];

  const subtitle = () => {
    const e = entry();
    if (!e) return "";
    const typing = typingText(props.chatId, now());
    if (typing) return typing;
    if (e.chat.kind === "direct" && e.peerId) return presenceText(e.peerId);
    if (e.chat.kind === "saved") return "";
    return tn(e.chat.kind === "channel" ? "subscribers" : "membersCount", e.chat.memberCount);
  };

  const refresh = (chatId: string) => {
    setReplyTo(null);
    setEditing(null);
    setError("");
    void loadPins(chatId).catch(() => undefined);
    if (entry()?.chat.kind !== "direct" && entry()?.chat.kind !== "saved") void loadMembers(chatId).then(() => loadPresence(chatId)).catch(() => undefined);
    void loadPresence(chatId).catch(() => undefined);
    if (entry()?.chat.kind === "direct") refreshUser(entry()!.peerId); // their current name and picture
    const mine = [...(state.windows[chatId]?.items ?? [])].reverse().find((m) => m.senderId === state.me?.id);
    if (mine && entry()?.chat.kind !== "channel") void loadReaders(chatId, mine.id).catch(() => undefined);
  };
  createEffect(on(() => props.chatId, refresh));
  // the newest own message's readers, once the history is there
  createEffect(on(() => state.windows[props.chatId]?.items.length ?? 0, (n, prev) => {
    if (n > 0 && !prev) refresh(props.chatId);
  }));
  // a chat_reset dropped this chat's pins (History reloads the messages)
  onCleanup(onChatReset((chatId) => chatId === props.chatId && void loadPins(chatId).catch(() => undefined)));
  // a resume replays events, but a fresh snapshot drops windows: reload the open chat
  onCleanup(onOnline(() => void reopenHistory(props.chatId).catch(() => undefined)));

  return (
    <Show when={entry()}>
      {(e) => (
        <section class="chat-view" aria-label={titleOf(e())}>
          <header class="chat-head">
            <button type="button" class="icon-btn back" aria-label={t("back")} onClick={backToList}>
              <Icon name="back" />
            </button>
            <button type="button" class="chat-head-main" onClick={() => setInfoOpen(!infoOpen())}>
              <Avatar id={e().peerId ?? e().chat.id} name={titleOf(e())} size={40} online={e().chat.kind === "direct" && presenceMark(e().peerId)} />
              <span class="chat-head-text">
                <span class="chat-head-title">{titleOf(e())}</span>
                <span class={typingText(props.chatId, now()) ? "chat-head-sub typing" : "chat-head-sub"}>
                  {/* before the subtitle, so a long title or member count never hides it */}
                  <Show when={e().chat.disappearSeconds}>
                    {(secs) => (
                      <span class="timer-mark head" title={t("disappearsAfter", { duration: secondsLabel(secs()) })}>
                        <Icon name="timer" size={13} /> {secondsLabel(secs())} ·{" "}
                      </span>
                    )}
                  </Show>
                  {subtitle()}
                </span>
              </span>
            </button>
            <ChatCallButtons chatId={props.chatId} />
            <button type="button" class="icon-btn" aria-label={t("chatInfo")} aria-expanded={infoOpen()} onClick={() => setInfoOpen(!infoOpen())}>
              <Icon name="info" />
            </button>
          </header>
          <CallBanner chatId={props.chatId} />
          <Show when={pin()}>
            {(p) => (
              <button type="button" class="pinned-bar" onClick={() => setFocusSeq(p().seq)}>
                <Icon name="pin" size={16} />
                <span class="pinned-label">{t("pinnedMessage")}</span>
                <span class="pinned-text">{plainText(p().text)}</span>
              </button>
            )}
          </Show>
          <Show when={error()}>
            <div class="chat-error" role="alert">
              {error()}
              <button type="button" class="icon-btn" aria-label={t("close")} onClick={() => setError("")}><Icon name="close" size={16} /></button>
            </div>
          </Show>
          <History
            chatId={props.chatId}
            isGroup={isGroup()}
            canPin={canPin()}
            canDeleteForAll={isAdmin() && isGroup()}
            onReply={(m) => { setEditing(null); setReplyTo(m); }}
            onEdit={(m) => { setReplyTo(null); setEditing(m); }}
            onError={setError}
          />
          <DropOverlay chatId={props.chatId} disabled={readOnly()} />
          <Composer
            chatId={props.chatId}
            memberIds={memberIds()}
            replyTo={replyTo()}
            editing={editing()}
            readOnly={readOnly()}
            onReply={setReplyTo}
            onEdit={setEditing}
            onError={setError}
          />
        </section>
      )}
    </Show>
  );
}
