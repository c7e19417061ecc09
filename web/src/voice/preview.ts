// The chat list's line for a voice message without a caption: "🎤 Voice message 0:07".
import type { WireMessage } from "../../../src/protocol/methods/chats.ts";
import { clock } from "./player.ts";

export function voicePreview(m: WireMessage | null | undefined, label: string): string {
  const v = m && !m.deletedAt && !m.text.trim() ? m.attachments?.find((a) => a.kind === "voice") : undefined;
  return v ? `🎤 ${label} ${clock(v.durationMs ?? 0)}` : "";
}
