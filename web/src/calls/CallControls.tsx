// The control bar: microphone, camera, screen share, deafen, device settings, leave.
// Buttons are toggles (aria-pressed) whose label says what a press does.
import { createSignal, Show } from "solid-js";
import { t } from "../i18n/index.ts";
import { CallIcon, type CallIconName } from "./CallIcon.tsx";
import { toggleCamera, toggleDeafen, toggleMute, toggleScreen } from "./controls.ts";
import { DeviceDialog } from "./DeviceDialog.tsx";
import { canShareScreen } from "./devices.ts";
import { leaveCall, local } from "./store.ts";

function Toggle(props: { on: boolean; icon: CallIconName; label: string; name: string; warn?: boolean; onClick: () => void }) {
  return (
    <button type="button" name={props.name} class={`call-round${props.warn ? " warn" : ""}${props.on ? " on" : ""}`} aria-label={props.label}
      title={props.label} aria-pressed={props.on} onClick={() => props.onClick()}>
      <CallIcon name={props.icon} />
    </button>
  );
}

export function CallControls() {
  const [devices, setDevices] = createSignal(false);
  const l = local;
  return (
    <div class="call-controls" role="toolbar" aria-label={t("callOngoing")}>
      <Toggle name="mute" on={l().muted} warn={l().muted} icon={l().muted ? "micOff" : "mic"} label={l().muted ? t("callUnmute") : t("callMute")} onClick={() => void toggleMute()} />
      <Toggle name="camera" on={!!l().camera} icon={l().camera ? "video" : "videoOff"} label={l().camera ? t("callCameraOff") : t("callCameraOn")} onClick={() => void toggleCamera()} />
      <Show when={canShareScreen()}>
        <Toggle name="screen" on={!!l().screen} icon="screen" label={l().screen ? t("callStopShare") : t("callShareScreen")} onClick={() => void toggleScreen()} />
      </Show>
      <Toggle name="deafen" on={l().deafened} warn={l().deafened} icon={l().deafened ? "headphonesOff" : "headphones"} label={l().deafened ? t("callUndeafen") : t("callDeafen")} onClick={() => void toggleDeafen()} />
      <button type="button" name="devices" class="call-round" aria-label={t("callDevices")} title={t("callDevices")} onClick={() => setDevices(true)}>
        <CallIcon name="settings" />
      </button>
      <button type="button" name="leave" class="call-round hangup" aria-label={t("callLeave")} title={t("callLeave")} onClick={() => void leaveCall()}>
        <CallIcon name="hangup" />
      </button>
      <Show when={devices()}>
        <DeviceDialog onClose={() => setDevices(false)} />
      </Show>
    </div>
  );
}
