// Sending files: the message goes to the outbox with its files (staged in IndexedDB), so it
// works offline and survives a reload; the outbox uploads them before message.send.
// Voice messages use the same path (purpose "voice" with waveform and duration).
import { cancelUpload } from "../net/upload.ts";
import { httpAuth, status } from "../net/connection.ts";
import { outbox, sendOutboxItem, state } from "../sync/store.ts";
import type { OutboxAttachment } from "./outbox-media.ts";
import { abortUploads, stageFiles } from "./sending.ts";

export interface StagedFile { file: File; purpose?: OutboxAttachment["purpose"]; waveform?: string; durationMs?: number }

export async function sendWithMedia(chatId: string, text: string, opts: { files?: readonly StagedFile[]; replyToId?: string; preview?: { url: string } | null }): Promise<void> {
  const me = state.me;
  const files = opts.files ?? [];
  if (!me || (!text.trim() && files.length === 0)) return;
  const attachments = files.length > 0 ? await stageFiles(files) : undefined;
  await outbox.add({
    clientId: crypto.randomUUID(),
    userId: me.id,
    chatId,
    text,
    replyToId: opts.replyToId,
    ...(attachments ? { attachments } : {}),
    ...(opts.preview ? { preview: opts.preview } : {}),
    createdAt: Date.now(),
  });
  if (status() === "online") await outbox.flush(sendOutboxItem);
}

/** Cancel from the sending bubble: stop the upload, delete what the server has, drop the item. */
export async function cancelSend(clientId: string): Promise<void> {
  const item = outbox.get(clientId);
  abortUploads(clientId);
  await outbox.discard(clientId);
  const auth = httpAuth();
  for (const a of item?.attachments ?? []) if (a.uploadId && !a.media && auth) await cancelUpload(a.uploadId, auth).catch(() => undefined);
}
