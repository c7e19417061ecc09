// A round avatar with initials on a colour derived from the id, and an optional presence dot.
import { Show } from "solid-js";
import { hueOf, initialsOf } from "../chats/view.ts";

/** online: a green dot (true or "online"), "dnd" a red do-not-disturb mark. */
export function Avatar(props: { id: string; name: string; size?: number; online?: boolean | "online" | "dnd" | null }) {
  const size = () => props.size ?? 44;
  return (
    <span class="avatar" style={{ width: `${size()}px`, height: `${size()}px`, "--hue": String(hueOf(props.id)), "font-size": `${size() * 0.38}px` }} aria-hidden="true">
      {initialsOf(props.name)}
      <Show when={props.online}>
        <span class={props.online === "dnd" ? "presence-dot dnd" : "presence-dot"} />
      </Show>
    </span>
  );
}
