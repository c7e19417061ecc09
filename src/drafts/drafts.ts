// Drafts: a member's unsent text per chat, stored on the server so all their devices
// show the same one. Only someone who may write in the chat holds a draft there (a
// non-member gets not_found, a channel subscriber forbidden); the event goes to the
// user alone. A send clears the draft in its own transaction (src/messages/send.ts).
import { checkFor } from "../chats/access.ts";
import { draft as eventDraft } from "../chats/drafts.ts";
import { invalidField } from "../errors.ts";
import { publishCommitted } from "../events/publish.ts";
import { limits } from "../limits.ts";
import { hasForbiddenChars } from "../messages/entities.ts";
import type { DraftParams, DraftResult } from "../protocol/methods/drafts.ts";
import type { Deps } from "../core/deps.ts";
import type { DraftSaved } from "../storage/chats-port.ts";

/** The text to store as typed, or null for "no draft" (empty or blank). */
export function validateDraft(text: string): string | null {
  if (text.trim().length === 0) return null;
  if ([...text].length > limits.messageTextLengthMax) throw invalidField("text", `must be at most ${limits.messageTextLengthMax} characters`);
  if (hasForbiddenChars(text)) throw invalidField("text", "must not contain control characters");
  return text;
}

export const draftUpdated = (r: Pick<DraftSaved, "chatId" | "userId" | "draft">) => eventDraft([r.userId], "draft.updated", { chatId: r.chatId, draft: r.draft });

export async function saveDraft(deps: Deps, userId: string, p: DraftParams<"draft.save">): Promise<DraftResult<"draft.save">> {
  const text = validateDraft(p.text);
  const done = await deps.storage.chats.saveDraft({ chatId: p.chatId, userId, text, now: deps.now() }, checkFor(userId, "draft"), {
    emit: (r) => (r.changed ? [draftUpdated(r)] : []),
  });
  await publishCommitted(deps, done.events);
  return { draft: done.value.draft };
}
