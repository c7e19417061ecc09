// A modal dialog on the native <dialog> element: focus moves in, Escape closes, the page
// behind is inert — the browser does the accessibility work.
import { type JSX, onCleanup, onMount } from "solid-js";
import { t } from "../i18n/index.ts";
import { Icon } from "./Icon.tsx";

/** `routed`: the dialog is a place with its own URL (settings); Back then follows the URL
 * instead of just closing it (home/router.ts). */
export function Dialog(props: { title: string; onClose: () => void; children: JSX.Element; wide?: boolean; routed?: boolean }) {
  let el!: HTMLDialogElement;
  onMount(() => {
    el.showModal();
    // Back closes a dialog (home/router.ts): it gets a history entry of its own, same URL
    if (!props.routed) history.pushState({ hearth: true, prev: location.pathname, dialog: true }, "", location.href);
  });
  onCleanup(() => {
    // closed by its own buttons: the entry stays (going back from here would race with a
    // navigation the close may start) but is marked spent, and Back skips it
    if (!props.routed && history.state?.dialog) history.replaceState({ ...history.state, dialog: false, spent: true }, "", location.href);
  });
  return (
    <dialog
      ref={el}
      class={props.wide ? "dialog wide" : "dialog"}
      aria-label={props.title}
      data-routed={props.routed ? "" : undefined}
      onClose={() => props.onClose()}
      onClick={(e) => {
        if (e.target === el) el.close(); // a click on the backdrop
      }}
    >
      <header class="dialog-head">
        <h2>{props.title}</h2>
        <button type="button" class="icon-btn" aria-label={t("close")} onClick={() => el.close()}>
          <Icon name="close" />
        </button>
      </header>
      <div class="dialog-body">{props.children}</div>
    </dialog>
  );
}
