// "Draft: …" in a chat-list row, in place of the last message, while you have unsent
// text there (not for the chat you are writing in right now).
import "./drafts.css";
import { t } from "../i18n/index.ts";
import { draftOf } from "./store.ts";
import { draftLine } from "./sync.ts";

export const hasDraftPreview = (chatId: string, open: boolean) => !open && draftOf(chatId).trim() !== "";

export function DraftPreview(props: { chatId: string }) {
  return (
    <span class="row-preview draft-preview">
      <span class="row-draft">{t("draftLabel")} </span>
      {draftLine(draftOf(props.chatId))}
    </span>
  );
}
