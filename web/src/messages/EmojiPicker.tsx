// Emoji pickers. With `set`: a small grid (quick reactions) whose last button asks for
// the full picker (onMore). Without: the full picker (emoji/EmojiPanel.tsx), loaded
// with its data only when first opened, so the main bundle stays small.
import { For, lazy, onMount, Show, Suspense } from "solid-js";
import { t } from "../i18n/index.ts";
import { Icon } from "../ui/Icon.tsx";
import { emojiSet } from "./emoji.ts";

const EmojiPanel = lazy(() => import("../emoji/EmojiPanel.tsx"));

export function FullEmojiPicker(props: { onPick: (emoji: string) => void; onClose: () => void }) {
  return (
    <Suspense fallback={<div class="emoji-panel emoji-loading">{t("emojiLoading")}</div>}>
      <EmojiPanel onPick={(e) => props.onPick(e)} onClose={() => props.onClose()} />
    </Suspense>
  );
}

export function EmojiPicker(props: { onPick: (emoji: string) => void; onClose: () => void; set?: string[]; onMore?: () => void }) {
  return (
    <Show when={props.set} fallback={<FullEmojiPicker onPick={(e) => props.onPick(e)} onClose={() => props.onClose()} />}>
      {(set) => <QuickPicker set={set()} onPick={(e) => props.onPick(e)} onClose={() => props.onClose()} onMore={props.onMore} />}
    </Show>
  );
}

// arrow keys move between the buttons (a roving grid would be nicer; Tab works too)
function QuickPicker(props: { set: string[]; onPick: (emoji: string) => void; onClose: () => void; onMore?: () => void }) {
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
      <Show when={props.onMore}>
        <button type="button" class="emoji-btn emoji-more" aria-label={t("moreEmoji")} title={t("moreEmoji")} onClick={() => props.onMore?.()}>
          <Icon name="plus" size={18} />
        </button>
      </Show>
    </div>
  );
}
