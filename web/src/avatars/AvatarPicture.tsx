// The picture inside an Avatar: the thumbhash on a canvas at once, the thumbnail over it
// when it has loaded. A picture that fails to load hands back to the initials.
import { createSignal, Show } from "solid-js";
import { type AvatarRef, avatarUrl, drawPlaceholder, thumbWidthFor } from "./image.ts";
import "./avatars.css";

export function AvatarPicture(props: { avatar: AvatarRef; size: number; onError: () => void }) {
  const [loaded, setLoaded] = createSignal(false);
  const src = () => avatarUrl(props.avatar.id, thumbWidthFor(props.size, globalThis.devicePixelRatio ?? 1));
  return (
    <>
      <Show when={!loaded() && props.avatar.placeholder}>
        {(ph) => <canvas class="avatar-pic avatar-ph" ref={(c) => drawPlaceholder(c, ph())} />}
      </Show>
      <img
        class={loaded() ? "avatar-pic" : "avatar-pic loading"}
        src={src()}
        alt=""
        decoding="async"
        draggable={false}
        data-avatar-id={props.avatar.id}
        onLoad={() => setLoaded(true)}
        onError={() => props.onError()}
      />
    </>
  );
}
