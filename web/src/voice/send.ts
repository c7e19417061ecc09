// Sending a recording: it goes to the outbox like any file message (media/actions.ts) with
// purpose "voice", its waveform and duration, so a voice message recorded offline waits
// there and is uploaded (resumably) and sent when the connection is back.
import { sendWithMedia } from "../media/actions.ts";
import { voiceFileName } from "./player.ts";
import type { Recording } from "./recorder.ts";
import { toBase64 } from "./waveform.ts";

export function sendVoice(chatId: string, rec: Recording, replyToId: string | undefined): Promise<void> {
  const file = new File([rec.blob], voiceFileName(rec.mime, new Date()), { type: rec.blob.type });
  return sendWithMedia(chatId, "", {
    files: [{ file, purpose: "voice", durationMs: rec.durationMs, ...(rec.waveform.length > 0 ? { waveform: toBase64(rec.waveform) } : {}) }],
    replyToId,
  });
}
