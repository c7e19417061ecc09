// The composer's link preview: follows the text (first URL, debounced preview.get) and shows
// the card with an ✕ that keeps the next message from carrying it.
import { createEffect, on, Show } from "solid-js";
import { draft, removePreview, watchText } from "./draft-preview.ts";
import { firstUrl } from "./logic.ts";
import { PreviewCard } from "./PreviewCard.tsx";

export function ComposerPreview(props: { chatId: string; text: string; off: boolean }) {
  createEffect(on([() => props.chatId, () => props.text, () => props.off], ([chatId, text, off]) => watchText(chatId, off ? "" : text)));
  const shown = () => {
    const d = draft();
    return d && d.chatId === props.chatId && !d.removed && d.preview && !props.off && firstUrl(props.text) === d.url ? d.preview : null;
  };
  return <Show when={shown()}>{(p) => <PreviewCard preview={p()} onRemove={removePreview} />}</Show>;
}
