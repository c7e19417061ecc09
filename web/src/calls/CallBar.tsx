// The minimized call: a slim bar over the app with the call's name and time, mute and
// leave, and a way back to the full view — so chatting during a call stays possible.
import { t } from "../i18n/index.ts";
import { CallIcon } from "./CallIcon.tsx";
import { callStatusText, callTitle } from "./CallStatus.tsx";
import { toggleMute } from "./controls.ts";
import { RemoteAudio } from "./RemoteAudio.tsx";
import { leaveCall, local } from "./store.ts";

export function CallBar(props: { onExpand: () => void }) {
  return (
    <div class="call-bar" role="region" aria-label={t("callOngoing")}>
      <button type="button" class="call-bar-main" aria-label={t("callExpand")} onClick={() => props.onExpand()}>
        <span class="call-bar-dot" aria-hidden="true" />
        <span class="call-bar-title">{callTitle()}</span>
        <span class="call-bar-time" role="status">{callStatusText()}</span>
      </button>
      <button type="button" class={local().muted ? "call-round small warn on" : "call-round small"} aria-pressed={local().muted}
        aria-label={local().muted ? t("callUnmute") : t("callMute")} onClick={() => void toggleMute()}>
        <CallIcon name={local().muted ? "micOff" : "mic"} size={18} />
      </button>
      <button type="button" class="call-round small hangup" aria-label={t("callLeave")} onClick={() => void leaveCall()}>
        <CallIcon name="hangup" size={18} />
      </button>
      <RemoteAudio />
    </div>
  );
}
