// The chat header's call buttons: voice and video call, or "join" when the chat already
// has a call running without us. Not in saved messages (nobody to call), and in a channel
// only its admins start calls.
import { Show } from "solid-js";
import { t } from "../i18n/index.ts";
import { state as app } from "../sync/store.ts";
import { CallIcon } from "./CallIcon.tsx";
import { calls, joinCall } from "./store.ts";

export function ChatCallButtons(props: { chatId: string }) {
  const kind = () => app.chats[props.chatId]?.chat.kind;
  const inThis = () => calls.current?.chatId === props.chatId;
  const running = () => !!calls.live[props.chatId] && !inThis();
  // A channel's subscribers do not start calls (they listen to the admins' broadcast); they
  // still get "Join" while one runs.
  const mayStart = () => {
    const e = app.chats[props.chatId];
    return !!e && e.chat.kind !== "saved" && (e.chat.kind !== "channel" || e.me.role === "owner" || e.me.role === "admin");
  };
  return (
    <Show when={kind() && kind() !== "saved" && (mayStart() || running())}>
      <Show when={!running()} fallback={
        <button type="button" class="call-join-pill" onClick={() => void joinCall(props.chatId, false)}>
          <CallIcon name="phone" size={16} />
          {t("callJoin")}
        </button>
      }>
        <button type="button" class="icon-btn" name="call-voice" aria-label={t("callVoice")} title={t("callVoice")} disabled={inThis()} onClick={() => void joinCall(props.chatId, false)}>
          <CallIcon name="phone" size={20} />
        </button>
        <button type="button" class="icon-btn" name="call-video" aria-label={t("callVideo")} title={t("callVideo")} disabled={inThis()} onClick={() => void joinCall(props.chatId, true)}>
          <CallIcon name="video" size={20} />
        </button>
      </Show>
    </Show>
  );
}

/** The chat list's mark for a chat with a call running. */
export function CallIndicator(props: { chatId: string }) {
  return (
    <Show when={calls.live[props.chatId]}>
      <span class={calls.current?.chatId === props.chatId ? "call-mark mine" : "call-mark"} title={t("callOngoing")} aria-label={t("callOngoing")}>
        <CallIcon name="phone" size={14} />
      </span>
    </Show>
  );
}
