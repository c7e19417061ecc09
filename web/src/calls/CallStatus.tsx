// The call's title and state: the chat's name, then ringing / connecting / reconnecting or the running time.
import { Show } from "solid-js";
import { titleOf } from "../chats/ChatList.tsx";
import { t } from "../i18n/index.ts";
import { state as app } from "../sync/store.ts";
import { nameOf } from "../sync/users.ts";
import { Avatar } from "../ui/Avatar.tsx";
import { now } from "../ui/clock.ts";
import { calls, startedAt } from "./store.ts";

export function duration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const mm = String(Math.floor((s % 3600) / 60)).padStart(2, "0");
  const ss = String(s % 60).padStart(2, "0");
  return s >= 3600 ? `${Math.floor(s / 3600)}:${mm}:${ss}` : `${mm}:${ss}`;
}

export function callStatusText(): string {
  const c = calls.current;
  if (!c) return "";
  if (c.phase === "joining") return t("callConnecting");
  if (c.phase === "rejoining") return t("callReconnecting");
  if (calls.live[c.chatId]?.ringing) return t("callRinging");
  return duration(now() - startedAt());
}

export function callTitle(): string {
  const c = calls.current;
  const entry = c ? app.chats[c.chatId] : undefined;
  return entry ? titleOf(entry) : "";
}

/** Whom a ringing 1:1 call is calling: the other person of the direct chat. */
const ringingPeer = () => {
  const c = calls.current;
  const entry = c ? app.chats[c.chatId] : undefined;
  return c && c.phase === "connected" && calls.live[c.chatId]?.ringing && entry?.chat.kind === "direct" ? entry.peerId ?? null : null;
};

export function CallStatus() {
  const count = () => Object.keys(calls.current?.participants ?? {}).length;
  return (
    <div class="call-status-row">
      <Show when={ringingPeer()}>{(peer) => <span class="call-callee"><Avatar id={peer()} name={nameOf(peer())} size={40} /></span>}</Show>
      <div class="call-status">
        <span class="call-title">{callTitle()}</span>
        <span class="call-sub" role="status">
          {callStatusText()}
          <Show when={count() > 2}>
            <span> · {t("callParticipants", { count: count() })}</span>
          </Show>
        </span>
    </div>
    </div>
  );
}
