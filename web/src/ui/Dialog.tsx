// A modal dialog on the native <dialog> element: focus moves in, Escape closes, the page
// behind is inert — the browser does the accessibility work.
import { type JSX, onMount } from "solid-js";
import { t } from "../i18n/index.ts";
import { Icon } from "./Icon.tsx";

export function Dialog(props: { title: string; onClose: () => void; children: JSX.Element; wide?: boolean }) {
  let el!: HTMLDialogElement;
  onMount(() => el.showModal());
  return (
    <dialog
      ref={el}
      class={props.wide ? "dialog wide" : "dialog"}
      aria-label={props.title}
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
