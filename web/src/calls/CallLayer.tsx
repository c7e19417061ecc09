// Mounted once at app level: routes the app's event stream to the call store, and shows
// the incoming-call dialog, the call (full or minimized) while one is on. Signing out
// (this unmounts) ends the call on this device.
import { createSignal, Match, onCleanup, Show, Switch } from "solid-js";
import { onEvent, onSnapshot } from "../sync/store.ts";
import "./calls.css";
import { CallBar } from "./CallBar.tsx";
import { CallView } from "./CallView.tsx";
import { installE2eHook } from "./e2e-hook.ts";
import { IncomingCall } from "./IncomingCall.tsx";
import { calls, handleEvent, handleSnapshot, leaveCall } from "./store.ts";

export function CallLayer() {
  const [minimized, setMinimized] = createSignal(false);
  onCleanup(onEvent((type, data) => handleEvent({ id: 0, type, data, at: 0 })));
  onCleanup(onSnapshot(handleSnapshot));
  onCleanup(() => void leaveCall());
  installE2eHook();
  return (
    <>
      <Show when={calls.incoming && !calls.current ? calls.incoming : null} keyed>
        {(inc) => <IncomingCall from={inc.from} />}
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
