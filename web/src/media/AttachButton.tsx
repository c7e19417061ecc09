// The composer's paperclip (any files, several at once) and, on touch screens (a coarse
// pointer), the camera (a photo or video taken now: `capture`). Both add to the chat's tray.
import { t } from "../i18n/index.ts";
import { Icon } from "../ui/Icon.tsx";
import { addPicked } from "./picked.ts";

export function AttachButton(props: { chatId: string }) {
  let any!: HTMLInputElement;
  let camera!: HTMLInputElement;
  const take = (input: HTMLInputElement) => {
    addPicked(props.chatId, Array.from(input.files ?? []));
    input.value = ""; // the same file can be picked again
  };
  return (
    <>
      <button type="button" class="icon-btn" aria-label={t("attachFiles")} onClick={() => any.click()}>
        <Icon name="paperclip" />
      </button>
      <input ref={any} type="file" multiple hidden name="attachments" onChange={() => take(any)} />
      {/* shown by CSS on coarse pointers only: from the first paint, so no tap ever moves the row */}
      <button type="button" class="icon-btn camera-btn" aria-label={t("takePhoto")} onClick={() => camera.click()}>
        <Icon name="camera" />
      </button>
      <input ref={camera} type="file" accept="image/*,video/*" capture="environment" hidden name="camera" onChange={() => take(camera)} />
    </>
  );
}
