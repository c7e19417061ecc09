// The files of a message still in the outbox: names, sizes and the upload's progress, with
// a cancel that stops the upload and drops the message.
import { For, Show } from "solid-js";
import { locale, t } from "../i18n/index.ts";
import type { OutboxItem } from "../sync/outbox.ts";
import { Icon } from "../ui/Icon.tsx";
import { cancelSend } from "./actions.ts";
import { fileSize } from "./logic.ts";
import { uploadProgress } from "./sending.ts";

export function PendingMedia(props: { item: OutboxItem }) {
  const files = () => (props.item.attachments ?? []).filter((a) => a.purpose !== "voice");
  const pct = () => {
    const p = uploadProgress[props.item.clientId];
    return p && p.total > 0 ? Math.floor((p.sent / p.total) * 100) : 0;
  };
  return (
    <Show when={files().length > 0}>
      <div class="pending-media">
        <For each={files()}>
          {(a) => (
            <div class="pending-file">
              <Icon name={a.mime.startsWith("image/") ? "camera" : "file"} size={18} />
              <span class="file-name">{a.name}</span>
              <span class="file-size">{fileSize(a.size, locale())}</span>
              <Show when={a.media}><Icon name="check" size={14} /></Show>
            </div>
          )}
        </For>
        <Show when={props.item.state === "pending"}>
          <div class="pending-progress">
            <progress max="100" value={pct()} aria-label={t("uploadProgress")} />
            <span>{pct()}%</span>
            <button type="button" class="link" onClick={() => void cancelSend(props.item.clientId)}>{t("cancelUpload")}</button>
          </div>
        </Show>
      </div>
    </Show>
  );
}
