// Whether the reader is looking at this page (visible and focused): decides in-app
// notifications here, and — sent to the server as client.visibility — whether this device
// needs a push (the server pushes only to devices without a visible live connection).
// Sent on every change and after every (re)connection (a new connection starts unknown).
import { createSignal } from "solid-js";

const read = () => document.visibilityState === "visible" && document.hasFocus();
const [looking, setLooking] = createSignal(typeof document === "undefined" ? false : read());
export { looking };

/** visible = the page is shown (focus aside): a shown page gets in-app notifications, not pushes. */
export const pageVisible = () => document.visibilityState === "visible";

export function watchVisibility(report: (visible: boolean) => void): { stop(): void; resend(): void } {
  let sent: boolean | null = null;
  const update = () => {
    setLooking(read());
    const v = pageVisible();
    if (v !== sent) {
      sent = v;
      report(v);
    }
  };
  const events = ["focus", "blur", "pageshow"] as const;
  document.addEventListener("visibilitychange", update);
  for (const e of events) addEventListener(e, update);
  return {
    stop() {
      document.removeEventListener("visibilitychange", update);
      for (const e of events) removeEventListener(e, update);
    },
    resend() {
      sent = null;
      update();
    },
  };
}
