// What the composer's send does with media: the tray's files and the link preview choice
// go with the text into the outbox (media/actions.ts); both are cleared for the next message.
import { stopTyping } from "../messages/actions.ts";
import { sendWithMedia } from "./actions.ts";
import { clearPreview, previewChoice } from "./draft-preview.ts";
import { pickedOf, takePicked } from "./picked.ts";

export const hasAttachments = (chatId: string): boolean => pickedOf(chatId).length > 0;

export async function sendComposed(chatId: string, text: string, replyToId?: string): Promise<void> {
  const preview = previewChoice(chatId, text);
  const files = takePicked(chatId).map((file) => ({ file }));
  clearPreview();
  stopTyping(chatId);
  await sendWithMedia(chatId, text, { files, replyToId, preview });
}
