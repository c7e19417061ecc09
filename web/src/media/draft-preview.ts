// The link preview of what is being written: the first URL of the text is asked for with
// preview.get (debounced), shown above the input with an ✕; send carries `preview: { url }`
// unless the writer removed it. Answers are kept per URL for this page's life.
import { createSignal } from "solid-js";
import { request } from "../net/connection.ts";
import { firstUrl } from "./logic.ts";
import type { LinkPreview } from "./types.ts";

export const previewDebounceMs = 500;
const answersMax = 200; // URLs remembered (oldest dropped first)
const answers = new Map<string, LinkPreview | null>();

interface Draft { chatId: string; url: string; preview: LinkPreview | null; answered: boolean; removed: boolean }
const [draft, setDraft] = createSignal<Draft | null>(null);
export { draft };

let timer: ReturnType<typeof setTimeout> | null = null;

/** Follows the composer text of a chat (called on every change). */
export function watchText(chatId: string, text: string): void {
  const url = firstUrl(text);
  const d = draft();
  if (timer) clearTimeout(timer);
  timer = null;
  // no link (any more): the card hides (ComposerPreview checks the text), the draft stays until
  // the send has read it — the composer empties its text before it sends
  if (!url) return;
  if (d && d.chatId === chatId && d.url === url) return; // the same link again: its card (or its removal) stays
  if (answers.has(url)) return void setDraft({ chatId, url, preview: answers.get(url)!, answered: true, removed: false });
  setDraft({ chatId, url, preview: null, answered: false, removed: false });
  timer = setTimeout(() => void ask(chatId, url), previewDebounceMs);
}

async function ask(chatId: string, url: string): Promise<void> {
  let preview: LinkPreview | null = null;
  try {
    preview = (await request("preview.get", { url })).preview;
  } catch {
    return; // offline or refused: no card; the send carries no preview
  }
  if (answers.size >= answersMax) answers.delete(answers.keys().next().value!);
  answers.set(url, preview);
  const d = draft();
  if (d && d.chatId === chatId && d.url === url) setDraft({ ...d, preview, answered: true });
}

export function removePreview(): void {
  const d = draft();
  if (d) setDraft({ ...d, removed: true });
}

/** What message.send gets for this chat's text: the first URL unless its preview was removed
 * or the server said there is none (sent before the answer came: the server decides). */
export function previewChoice(chatId: string, text: string): { url: string } | null {
  const d = draft();
  if (!d || d.chatId !== chatId || d.removed || (d.answered && !d.preview) || firstUrl(text) !== d.url) return null;
  return { url: d.url };
}

export function clearPreview(): void {
  if (timer) clearTimeout(timer);
  timer = null;
  setDraft(null);
}
