// The kind of input the person used last: touch screens get the action sheet instead of
// the hover toolbar (a tap also fires emulated mouse and focus events, so those alone
// cannot tell a finger from a mouse). Listened for once, in the capture phase.
import { createSignal } from "solid-js";

export type InputKind = "mouse" | "touch" | "keyboard";
const [last, setLast] = createSignal<InputKind>("mouse");
export const lastInput = last;

/** pointerType of a pointer event as an input kind ("pen" behaves like a mouse here). */
export const kindOf = (pointerType: string): InputKind => (pointerType === "touch" ? "touch" : "mouse");

if (typeof document !== "undefined") {
  // pointermove too: a mouse that only moves (no click) after a touch brings hover back.
  // Not pointerover: Chrome sends a synthetic mouse pointerover when the layout under a
  // finger changes (the sheet opening), which would undo the touch.
  for (const type of ["pointerdown", "pointermove"]) {
    document.addEventListener(type, (e) => setLast(kindOf((e as PointerEvent).pointerType)), { capture: true, passive: true });
  }
  document.addEventListener("keydown", () => setLast("keyboard"), { capture: true, passive: true });
}
