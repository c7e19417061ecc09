// Shows "declined" / "no answer" / "missed call" when a 1:1 call ends unanswered. CallLayer
// subscribes watchCallEnds ahead of the call store's handler (hooks run in the order added),
// so the live call — and who started it — is still known when the record could not be stored.
import { createSignal, Show } from "solid-js";
import type { CallEventData } from "../../../src/protocol/events/calls.ts";
import { t } from "../i18n/index.ts";
import { onEvent, state as app } from "../sync/store.ts";
import { nameOf } from "../sync/users.ts";
import { Icon } from "../ui/Icon.tsx";
import { type CallNotice, noticeOfEnd } from "./notice.ts";
import { calls } from "./store.ts";

const shownMs = 12_000; // long enough to read, then out of the way

const [notice, setNotice] = createSignal<CallNotice | null>(null);
let timer: ReturnType<typeof setTimeout> | undefined;

export function watchCallEnds(): () => void {
  const off = onEvent((type, data) => {
    if (type !== "call.ended") return;
    const d = data as CallEventData<"call.ended">;
    const startedBy = d.record?.startedBy ?? (calls.live[d.chatId]?.callId === d.callId ? calls.live[d.chatId]!.startedBy : undefined);
    const n = noticeOfEnd(d, startedBy, app.me?.id ?? null, app.chats[d.chatId]?.peerId ?? null);
    if (!n) return;
    setNotice(n);
    clearTimeout(timer);
    timer = setTimeout(() => setNotice(null), shownMs);
  });
  return () => {
    off();
    clearTimeout(timer);
    setNotice(null);
  };
}

export function CallNoticeToast() {
  return (
    <Show when={notice()}>
      {(n) => (
        <div class="call-toast" role="status">
          <span>{t(n().key, { name: nameOf(n().userId) })}</span>
          <button type="button" class="icon-btn" aria-label={t("close")} onClick={() => setNotice(null)}><Icon name="close" size={16} /></button>
        </div>
      )}
    </Show>
  );
}
