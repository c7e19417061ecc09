// Mounted once at app level: routes the app's event stream to the call store, and shows
// the incoming-call dialog, the call (full or minimized) while one is on. Signing out
// (this unmounts) ends the call on this device.
import { createSignal, Match, onCleanup, Show, Switch } from "solid-js";
import { onEvent, onSnapshot } from "../sync/store.ts";
import "./calls.css";
import { CallBar } from "./CallBar.tsx";
import { CallNoticeToast, watchCallEnds } from "./CallNoticeToast.tsx";
import { CallView } from "./CallView.tsx";
import { installE2eHook } from "./e2e-hook.ts";
import { IncomingCall } from "./IncomingCall.tsx";
import { CallTones } from "./tones.ts";
import { callError, calls, handleEvent, handleSnapshot, leaveCall, setCallError } from "./store.ts";
import { t } from "../i18n/index.ts";
import { Icon } from "../ui/Icon.tsx";

/** What went wrong, in words: a known problem, else the join error's own text. */
function errorMessage(e: string): string {
  if (e === "mic") return t("callErrorMic");
  if (e === "camera") return t("callErrorCamera");
  if (e === "rejoin") return t("callErrorRejoin");
  return t("callErrorJoin", { reason: e });
}

export function CallLayer() {
  const [minimized, setMinimized] = createSignal(false);
  onCleanup(watchCallEnds()); // first: it reads the live call that handleEvent then drops
  onCleanup(onEvent((type, data) => handleEvent({ id: 0, type, data, at: 0 })));
  onCleanup(onSnapshot(handleSnapshot));
  onCleanup(() => void leaveCall());
  installE2eHook();
  return (
    <>
      <CallNoticeToast />
      <CallTones />
      <Show when={calls.incoming && !calls.current ? calls.incoming : null} keyed>
        {(inc) => <IncomingCall from={inc.from} />}
      </Show>
      <Show when={callError()}>
        {(e) => (
          <div class="call-toast" role="alert">
            <span>{errorMessage(e())}</span>
            <button type="button" class="icon-btn" aria-label={t("close")} onClick={() => setCallError("")}><Icon name="close" size={16} /></button>
          </div>
        )}
      </Show>
      <Switch>
        <Match when={calls.current && !minimized()}>
          <CallView onMinimize={() => setMinimized(true)} />
        </Match>
        <Match when={calls.current && minimized()}>
          <CallBar onExpand={() => setMinimized(false)} />
        </Match>
      </Switch>
    </>
  );
}
