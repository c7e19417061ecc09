// Sending a recording: upload it (purpose "voice", with its waveform and duration, for the
// chat it is meant for), then send a message carrying it. The client id is chosen once,
// so a retry after a lost answer stores one message.
import type { Attachment } from "../media/types.ts";
import { call } from "../net/connection.ts";
import { voiceFileName } from "./player.ts";
import type { Recording } from "./recorder.ts";
import { uploadMedia } from "./upload.ts";
import { toBase64 } from "./waveform.ts";

export async function sendVoice(chatId: string, rec: Recording, replyToId: string | undefined, signal?: AbortSignal): Promise<void> {
  const media: Attachment = await uploadMedia(rec.blob, {
    purpose: "voice",
    name: voiceFileName(rec.mime, new Date()),
    chatId,
    waveform: rec.waveform.length > 0 ? toBase64(rec.waveform) : undefined,
    durationMs: rec.durationMs,
  }, signal);
  const clientId = crypto.randomUUID();
  const send = () => call("message.send", { chatId, clientId, text: "", attachments: [media.id], ...(replyToId ? { replyToId } : {}) });
  try {
    await send();
  } catch (e) {
    if ((e as { code?: string }).code !== "timeout") throw e;
    await send(); // the answer was lost: the same client id is stored once
  }
}
