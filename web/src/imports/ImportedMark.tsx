// The small "imported" mark in a message's meta line; its title names the messenger.
import "./imports.css";
import { t } from "../i18n/index.ts";

export function ImportedMark(props: { source: "telegram" | "whatsapp" }) {
  const from = () => t("importedFrom", { source: props.source === "telegram" ? "Telegram" : "WhatsApp" });
  return <span class="imported-mark" title={from()} aria-label={from()}>{t("imported")}</span>;
}
