// Device pickers: microphone, camera and (where the browser can route audio) speaker.
// A choice applies at once to the running call and is remembered for the next one.
import { For, onMount, Show } from "solid-js";
import { t, type Key } from "../i18n/index.ts";
import { Dialog } from "../ui/Dialog.tsx";
import { switchDevice } from "./controls.ts";
import { chosenDevice, type DeviceKind, deviceList, refreshDevices } from "./devices.ts";

const kinds: { kind: DeviceKind; label: Key }[] = [
  { kind: "audioinput", label: "callMicrophone" },
  { kind: "videoinput", label: "callCamera" },
  { kind: "audiooutput", label: "callSpeaker" },
];

export function DeviceDialog(props: { onClose: () => void }) {
  onMount(() => void refreshDevices().catch(() => undefined));
  return (
    <Dialog title={t("callDevices")} onClose={() => props.onClose()}>
      <div class="device-pickers">
        <For each={kinds}>
          {(k) => (
            <Show when={deviceList()[k.kind].length > 0}>
              <label>
                {t(k.label)}
                <select name={k.kind} value={chosenDevice(k.kind)} onChange={(e) => void switchDevice(k.kind, e.currentTarget.value)}>
                  <option value="">{t("callDefaultDevice")}</option>
                  <For each={deviceList()[k.kind]}>{(d) => <option value={d.deviceId}>{d.label || d.deviceId.slice(0, 8)}</option>}</For>
                </select>
              </label>
            </Show>
          )}
        </For>
      </div>
    </Dialog>
  );
}
