// Under a group's or channel's header while a call runs there without us: "Call in progress"
// and a Join button, so members notice a call they were not rung for.
import { Show } from "solid-js";
import { t } from "../i18n/index.ts";
import { state as app } from "../sync/store.ts";
import { CallIcon } from "./CallIcon.tsx";
import { calls, joinCall } from "./store.ts";

export function CallBanner(props: { chatId: string }) {
  const live = () => {
    const kind = app.chats[props.chatId]?.chat.kind;
    const l = calls.live[props.chatId];
    return l && (kind === "group" || kind === "channel") && calls.current?.chatId !== props.chatId ? l : null;
  };
  return (
    <Show when={!!live()}>
      <div class="call-banner" role="status">
        <CallIcon name="phone" size={16} />
        {/* no head count: members outside the call are not told each join, so it would be stale */}
        <span class="call-banner-text">{t("callOngoing")}</span>
        <button type="button" class="call-banner-join" onClick={() => void joinCall(props.chatId, false)}>{t("callJoin")}</button>
      </div>
    </Show>
  );
}
