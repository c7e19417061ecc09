// An avatar you may change (your own in Settings, a group's or channel's in its info panel
// for those who may rename it): pick an image, crop it square, upload (purpose "avatar")
// and set it; or remove it. `onSet` makes the protocol call (profile.update / chat.set_avatar).
import { createSignal, Show } from "solid-js";
import { errorOf, t } from "../i18n/index.ts";
import { Avatar } from "../ui/Avatar.tsx";
import { AvatarCropper } from "./AvatarCropper.tsx";
import { avatarOf } from "./image.ts";
import { avatarLimits } from "./limits.ts";
import { uploadAvatar } from "./upload.ts";
import "./avatars.css";

export function AvatarEditor(props: { id: string; name: string; size: number; online?: boolean; onSet: (mediaId: string | null) => Promise<unknown> }) {
  let input!: HTMLInputElement;
  const [image, setImage] = createSignal<ImageBitmap | null>(null);
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal("");

  const pick = async (file: File | undefined) => {
    input.value = ""; // picking the same file again fires change again
    if (!file) return;
    setError("");
    if (file.size > avatarLimits.pickBytesMax) return setError(t("photoTooLarge"));
    try {
      setImage(await createImageBitmap(file, { imageOrientation: "from-image" }));
    } catch {
      setError(t("photoUnreadable"));
    }
  };
  const close = () => {
    image()?.close();
    setImage(null);
  };
  const run = async (p: () => Promise<unknown>) => {
    setBusy(true);
    setError("");
    try {
      await p();
      close();
    } catch (e) {
      setError(errorOf(e));
    } finally {
      setBusy(false);
    }
  };
  const save = (blob: Blob) => run(async () => props.onSet((await uploadAvatar(blob)).id));

  return (
    <div class="avatar-editor">
      {/* a tap on the picture picks too; the buttons below are the accessible way */}
      <div class="avatar-change" onClick={() => input.click()}>
        <Avatar id={props.id} name={props.name} size={props.size} online={props.online} />
        <span class="avatar-change-badge" aria-hidden="true">
          <svg viewBox="0 0 24 24" width="16" height="16" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round">
            <path d="M4 8h3l2-3h6l2 3h3v11H4zM12 10a3.5 3.5 0 1 0 0 7 3.5 3.5 0 0 0 0-7z" />
          </svg>
        </span>
      </div>
      <input ref={input} type="file" accept="image/*" name="avatar" hidden onChange={(e) => void pick(e.currentTarget.files?.[0])} />
      <div class="avatar-editor-actions">
        <button type="button" class="link-plain" onClick={() => input.click()}>{avatarOf(props.id) ? t("changePhoto") : t("addPhoto")}</button>
        <Show when={avatarOf(props.id)}>
          <button type="button" class="link-plain danger-text" disabled={busy()} onClick={() => void run(() => props.onSet(null))}>{t("removePhoto")}</button>
        </Show>
      </div>
      <Show when={error()}><p class="error" role="alert">{error()}</p></Show>
      <Show when={image()}>
        {(img) => <AvatarCropper image={img()} busy={busy()} onSave={(b) => void save(b)} onClose={close} />}
      </Show>
    </div>
  );
}
