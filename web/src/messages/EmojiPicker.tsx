// A small grid of built-in emoji; arrow keys move between them (a roving grid would be
// nicer, Tab works too). Picks go to onPick; Escape closes.
import { For, onMount } from "solid-js";
import { t } from "../i18n/index.ts";
import { emojiSet } from "./emoji.ts";

export function EmojiPicker(props: { onPick: (emoji: string) => void; onClose: () => void; set?: string[] }) {
  let grid!: HTMLDivElement;
  onMount(() => (grid.querySelector("button") as HTMLButtonElement | null)?.focus());
  const move = (e: KeyboardEvent) => {
    if (e.key === "Escape") return props.onClose();
    const buttons = [...grid.querySelectorAll("button")];
    const i = buttons.indexOf(document.activeElement as HTMLButtonElement);
    const step = { ArrowRight: 1, ArrowLeft: -1, ArrowDown: 8, ArrowUp: -8 }[e.key];
    if (step === undefined || i < 0) return;
    e.preventDefault();
    buttons[Math.max(0, Math.min(buttons.length - 1, i + step))]?.focus();
  };
  return (
    <div class="emoji-picker" role="group" aria-label={t("emoji")} ref={grid} onKeyDown={move}>
      <For each={props.set ?? emojiSet}>
        {(e) => (
          <button type="button" class="emoji-btn" aria-label={e} onClick={() => props.onPick(e)}>
            {e}
          </button>
        )}
      </For>
    </div>
  );
}
