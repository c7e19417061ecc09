// What the chat list (and other one-line previews) says of a message whose text is empty
// but which carries files: "🖼 Photo", "🎬 Video", "🎤 Voice message", "📎 report.pdf", or
// "📎 4 files" for a mixed album.
import type { WireMessage } from "../../../src/protocol/methods/chats.ts";
import { t } from "../i18n/index.ts";

export function mediaLabel(m: WireMessage | null | undefined): string {
  const list = m?.attachments ?? [];
  if (list.length === 0 || m?.deletedAt !== null) return "";
  const kinds = new Set(list.map((a) => a.kind));
  const only = kinds.size === 1 ? list[0]!.kind : null;
  if (list.length > 1) return only === "photo" ? `🖼 ${t("labelPhotos", { count: list.length })}` : `📎 ${t("labelFiles", { count: list.length })}`;
  switch (only) {
    case "photo": return `🖼 ${t("labelPhoto")}`;
    case "video": return `🎬 ${t("labelVideo")}`;
    case "voice": return `🎤 ${t("labelVoice")}`;
    case "audio": return `🎵 ${list[0]!.name}`;
    default: return `📎 ${list[0]!.name}`;
  }
}
