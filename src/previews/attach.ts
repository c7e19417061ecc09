// The preview a message carries. message.send { preview: { url } }: the URL must occur
// in the text; the preview is the cached one (the composer's preview.get just fetched
// it) or is fetched now within limits.previewFetchDeadlineMs — the send waits for it
// rather than store a message and patch it later (one message.created, no second event
// to order). No preview found: the message goes without one. Absent or null: none.
// An edit keeps the preview while its URL still occurs in the text; a forward copies it.
import { invalidField } from "../errors.ts";
import type { Deps } from "../core/deps.ts";
import type { Message } from "../storage/chats-port.ts";
import type { LinkPreview } from "../storage/previews-port.ts";
import { previewKey } from "./previews.ts";

/** Validates the choice (before any access check passes, nothing is fetched: call after it). */
export function checkPreviewChoice(choice: { url: string } | null | undefined, text: string): { url: string } | null {
  if (!choice) return null;
  previewKey(choice.url, "preview");
  if (!text.includes(choice.url)) throw invalidField("preview", "not_in_text");
  return choice;
}

export async function previewForSend(deps: Deps, choice: { url: string } | null): Promise<LinkPreview | null> {
  if (!choice || !deps.previews) return null;
  return deps.previews.forMessage(choice.url);
}

/** Whether an edit to `text` drops the message's preview (its URL is no longer in the text). */
export const editDropsPreview = (message: Message | null, text: string): boolean => !!message?.preview && !text.includes(message.preview.url);
