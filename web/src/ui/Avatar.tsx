// A round avatar: the person's or chat's picture when one is set (its thumbhash drawn
// while it loads), else initials on a colour derived from the id; an optional presence dot.
import { createSignal, Show } from "solid-js";
import { hueOf, initialsOf } from "../chats/view.ts";
import { AvatarPicture } from "../avatars/AvatarPicture.tsx";
import { type AvatarRef, avatarOf } from "../avatars/image.ts";

/** online: a green dot (true or "online"), "dnd" a red do-not-disturb mark; avatar: the picture over the initials. */
export function Avatar(props: { id: string; name: string; size?: number; online?: boolean | "online" | "dnd" | null; avatar?: AvatarRef | null }) {
  const size = () => props.size ?? 44;
  const picture = () => (props.avatar !== undefined ? props.avatar : avatarOf(props.id));
  const [failed, setFailed] = createSignal<string | null>(null); // the media id that would not load
  return (
    <span class="avatar" style={{ width: `${size()}px`, height: `${size()}px`, "--hue": String(hueOf(props.id)), "font-size": `${size() * 0.38}px` }} aria-hidden="true">
      {initialsOf(props.name)}
      <Show when={picture()?.id !== failed() && picture()}>
        {(p) => <AvatarPicture avatar={p()} size={size()} onError={() => setFailed(p().id)} />}
      </Show>
      <Show when={props.online}>
        <span class={props.online === "dnd" ? "presence-dot dnd" : "presence-dot"} />
      </Show>
    </span>
  );
}
