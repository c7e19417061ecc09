// The "imported" mark in a message's meta line: a small icon (the meta line is narrow:
// beside a voice message's speed button a word would collide); its title and label name
// the messenger.
import "./imports.css";
import { t } from "../i18n/index.ts";
import { Icon } from "../ui/Icon.tsx";
import { type ImportSource, importSourceName } from "../../../src/protocol/methods/imports.ts";

export function ImportedMark(props: { source: ImportSource }) {
  const from = () => t("importedFrom", { source: importSourceName(props.source) });
  return <span class="imported-mark" role="img" title={from()} aria-label={from()}><Icon name="download" size={12} /></span>;
}
