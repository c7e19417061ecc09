// Above the composer's input: the files picked for the next message (thumbnails, name and
// size, remove), a notice when more than albumMax were offered, and the uploads of this
// chat's messages on their way (progress, cancel).
import { For, Show } from "solid-js";
import { t, tn } from "../i18n/index.ts";
import { locale } from "../i18n/index.ts";
import { outboxItems } from "../sync/store.ts";
import { Icon } from "../ui/Icon.tsx";
import { cancelSend } from "./actions.ts";
import { albumMax, fileSize } from "./logic.ts";
import { notice, pickedOf, removePicked, setNotice } from "./picked.ts";
import { uploadProgress } from "./sending.ts";

export function AttachTray(props: { chatId: string }) {
  const uploading = () => outboxItems.items.filter((i) => i.chatId === props.chatId && i.state === "pending" && (i.attachments?.length ?? 0) > 0);
  return (
    <>
      <Show when={uploading().length > 0}>
        <div class="upload-strip" role="status">
          <For each={uploading()}>
            {(item) => {
              const p = () => uploadProgress[item.clientId];
              const pct = () => (p() && p()!.total > 0 ? Math.floor((p()!.sent / p()!.total) * 100) : 0);
              return (
                <div class="upload-row">
                  <Icon name="paperclip" size={16} />
                  <span class="upload-label">{tn("sendingFiles", item.attachments!.length)}</span>
                  <progress max="100" value={pct()} aria-label={t("uploadProgress")} />
                  <span class="upload-pct">{pct()}%</span>
                  <button type="button" class="icon-btn" aria-label={t("cancelUpload")} onClick={() => void cancelSend(item.clientId)}><Icon name="close" size={16} /></button>
                </div>
              );
            }}
          </For>
        </div>
      </Show>
      <Show when={notice()?.chatId === props.chatId}>
        <div class="tray-notice" role="alert">
          {t("albumLimit", { max: albumMax, count: notice()!.refused })}
          <button type="button" class="icon-btn" aria-label={t("close")} onClick={() => setNotice(null)}><Icon name="close" size={16} /></button>
        </div>
      </Show>
      <Show when={pickedOf(props.chatId).length > 0}>
        <ul class="attach-tray" aria-label={t("attachments")}>
          <For each={pickedOf(props.chatId)}>
            {(p) => (
              <li class="tray-item">
                <Show when={p.url && p.file.type.startsWith("image/")} fallback={
                  <Show when={p.url} fallback={<div class="tray-file"><Icon name="file" size={28} /></div>}>
                    <video class="tray-thumb" src={p.url!} muted preload="metadata" aria-hidden="true" />
                  </Show>
                }>
                  <img class="tray-thumb" src={p.url!} alt="" />
                </Show>
                <span class="tray-name" title={p.file.name}>{p.file.name || t("file")}</span>
                <span class="tray-size">{fileSize(p.file.size, locale())}</span>
                <button type="button" class="tray-remove" aria-label={t("removeAttachment", { name: p.file.name })} onClick={() => removePicked(props.chatId, p.id)}>
                  <Icon name="close" size={14} />
                </button>
              </li>
            )}
          </For>
        </ul>
      </Show>
    </>
  );
}
