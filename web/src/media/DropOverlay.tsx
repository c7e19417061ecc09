// Drag & drop of files onto the open chat: an overlay says where they go while files are
// dragged over it; dropped files join the composer's tray. Listens on its parent element
// (the chat view), so the chat view only has to place it.
import { createSignal, onCleanup, onMount, Show } from "solid-js";
import { t } from "../i18n/index.ts";
import { Icon } from "../ui/Icon.tsx";
import { addPicked, carriesFiles, filesOf } from "./picked.ts";

export function DropOverlay(props: { chatId: string; disabled?: boolean }) {
  let el!: HTMLDivElement;
  const [over, setOver] = createSignal(false);
  let depth = 0; // dragenter/leave fire for every child crossed
  onMount(() => {
    const host = el.parentElement!;
    const enter = (e: DragEvent) => {
      if (props.disabled || !carriesFiles(e.dataTransfer)) return;
      e.preventDefault();
      depth++;
      setOver(true);
    };
    const overFn = (e: DragEvent) => {
      if (props.disabled || !carriesFiles(e.dataTransfer)) return;
      e.preventDefault();
      if (e.dataTransfer) e.dataTransfer.dropEffect = "copy";
      setOver(true);
    };
    const leave = () => {
      depth = Math.max(0, depth - 1);
      if (depth === 0) setOver(false);
    };
    const drop = (e: DragEvent) => {
      depth = 0;
      setOver(false);
      if (props.disabled || !carriesFiles(e.dataTransfer)) return;
      e.preventDefault();
      addPicked(props.chatId, filesOf(e.dataTransfer));
    };
    host.addEventListener("dragenter", enter);
    host.addEventListener("dragover", overFn);
    host.addEventListener("dragleave", leave);
    host.addEventListener("drop", drop);
    onCleanup(() => {
      host.removeEventListener("dragenter", enter);
      host.removeEventListener("dragover", overFn);
      host.removeEventListener("dragleave", leave);
      host.removeEventListener("drop", drop);
    });
  });
  return (
    <div ref={el} class="drop-anchor">
      <Show when={over()}>
        <div class="drop-overlay" aria-hidden="true">
          <Icon name="paperclip" size={40} />
          <span>{t("dropFiles")}</span>
        </div>
      </Show>
    </div>
  );
}
