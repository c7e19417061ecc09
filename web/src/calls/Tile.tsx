// One tile of the call grid: a person's camera (or their avatar), or a shared screen.
import { createEffect, onCleanup, Show } from "solid-js";
import { t } from "../i18n/index.ts";
import { nameOf } from "../sync/users.ts";
import { Avatar } from "../ui/Avatar.tsx";
import { CallIcon } from "./CallIcon.tsx";

export interface TileInfo {
  key: string;
  userId: string;
  name: string;
  screen: boolean;
  me: boolean;
  track: MediaStreamTrack | null;
  muted: boolean;
  deafened: boolean;
}

export function Video(props: { track: MediaStreamTrack; mirror?: boolean; contain?: boolean }) {
  let el!: HTMLVideoElement;
  createEffect(() => {
    el.srcObject = new MediaStream([props.track]);
    void el.play().catch(() => undefined);
  });
  onCleanup(() => (el.srcObject = null));
  return <video ref={el} class={`tile-video${props.mirror ? " mirror" : ""}${props.contain ? " contain" : ""}`} autoplay playsinline muted />;
}

export function Tile(props: { tile: TileInfo; speaking: boolean }) {
  // Your own avatar shows your initials: the label says "You", the picture says who you are.
  // "Your screen", not "You's screen": the possessive differs per language, so it is its own string
  const label = () => (props.tile.screen ? (props.tile.me ? t("callYourScreen") : t("callScreenOf", { name: props.tile.name })) : props.tile.name);
  return (
    <figure class={`tile${props.speaking ? " speaking" : ""}${props.tile.screen ? " screen" : ""}`} aria-label={label()} data-user={props.tile.userId}>
      <Show when={props.tile.track} fallback={<div class="tile-avatar"><Avatar id={props.tile.userId} name={props.tile.me ? nameOf(props.tile.userId) : props.tile.name} size={88} /></div>}>
        {(track) => <Video track={track()} mirror={props.tile.me && !props.tile.screen} contain={props.tile.screen} />}
      </Show>
      <figcaption class="tile-name">
        <Show when={!props.tile.screen && props.tile.muted}>
          <span class="tile-flag" title={t("callMuted")} aria-label={t("callMuted")}><CallIcon name="micOff" size={14} /></span>
        </Show>
        <Show when={!props.tile.screen && props.tile.deafened}>
          <span class="tile-flag" title={t("callDeafened")} aria-label={t("callDeafened")}><CallIcon name="headphonesOff" size={14} /></span>
        </Show>
        <span class="tile-label">{label()}</span>
        <Show when={props.speaking}>
          <span class="visually-hidden">{t("callSpeaking")}</span>
        </Show>
      </figcaption>
    </figure>
  );
}
