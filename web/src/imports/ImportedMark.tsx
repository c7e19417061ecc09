// The "imported" mark in a message's meta line: a small icon (the meta line is narrow:
// beside a voice message's speed button a word would collide); its title and label name
// the messenger.
import "./imports.css";
import { t } from "../i18n/index.ts";
import { Icon } from "../ui/Icon.tsx";

export function ImportedMark(props: { source: "telegram" | "whatsapp" }) {
  const from = () => t("importedFrom", { source: props.source === "telegram" ? "Telegram" : "WhatsApp" });
  return <span class="imported-mark" role="img" title={from()} aria-label={from()}><Icon name="download" size={12} /></span>;
}
