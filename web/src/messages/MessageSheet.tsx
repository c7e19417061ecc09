// The touch path to a message's actions: phones have no hover, so a tap (or a long press,
// which browsers report as contextmenu) opens this sheet instead of the hover toolbar.
// A modal <dialog>: focus moves in, Escape or the backdrop closes, screen readers get a
// labelled list of the same actions the toolbar offers.
import { For } from "solid-js";
import { t } from "../i18n/index.ts";
import { Dialog } from "../ui/Dialog.tsx";
import { Icon, type IconName } from "../ui/Icon.tsx";
import { quickReactions } from "./emoji.ts";

export interface SheetAction {
  label: string;
  icon: IconName;
  run: () => void;
  danger?: boolean;
}

export function MessageSheet(props: { actions: SheetAction[]; onReact: (emoji: string) => void; onMore: () => void; onClose: () => void }) {
  // every choice closes the sheet first, so a dialog it opens (delete, forward) is on top
  const pick = (run: () => void) => () => {
    props.onClose();
    run();
  };
  return (
    <Dialog title={t("messageActions")} onClose={props.onClose}>
      <div class="sheet-reactions" role="group" aria-label={t("react")}>
        <For each={[...quickReactions, "🔥", "👀"]}>
          {(e) => (
            <button type="button" class="emoji-btn" aria-label={t("reactWith", { emoji: e })} onClick={pick(() => props.onReact(e))}>
              {e}
            </button>
          )}
        </For>
        <button type="button" class="emoji-btn emoji-more" aria-label={t("moreEmoji")} onClick={pick(props.onMore)}>
          <Icon name="plus" size={20} />
        </button>
      </div>
      <ul class="sheet-actions">
        <For each={props.actions}>
          {(a) => (
            <li>
              <button type="button" class={a.danger ? "sheet-action danger-text" : "sheet-action"} onClick={pick(a.run)}>
                <Icon name={a.icon} size={20} />
                <span>{a.label}</span>
              </button>
            </li>
          )}
        </For>
      </ul>
    </Dialog>
  );
}
