// The media tab of the chat info: photos, videos, files, links and voice messages of the
// chat. The server has no listing of a chat's media, so the tab is gathered from the
// messages this device has (the open history window), and "Look further back" pages older
// history with message.list (pageSize at a time) — the tab says so.
import { createMemo, createSignal, For, Match, Show, Switch } from "solid-js";
import { Portal } from "solid-js/web";
import type { WireMessage } from "../../../src/protocol/methods/chats.ts";
import { errorOf, t } from "../i18n/index.ts";
import { request } from "../net/connection.ts";
import { state } from "../sync/store.ts";
import { Icon } from "../ui/Icon.tsx";
import { Lightbox } from "./Lightbox.tsx";
import { gatherMedia, mediaUrl, type MediaTabName, pictureUrl } from "./logic.ts";
import { FileCard } from "./MessageMedia.tsx";
import { Placeholder } from "./Placeholder.tsx";
import "./media.css";

const olderPage = 100;
const tabs: { name: MediaTabName; key: "mediaPhotos" | "mediaVideos" | "mediaFiles" | "mediaLinks" | "mediaVoice" }[] = [
  { name: "photos", key: "mediaPhotos" },
  { name: "videos", key: "mediaVideos" },
  { name: "files", key: "mediaFiles" },
  { name: "links", key: "mediaLinks" },
  { name: "voice", key: "mediaVoice" },
];

export function MediaTab(props: { chatId: string }) {
  const [tab, setTab] = createSignal<MediaTabName>("photos");
  const [older, setOlder] = createSignal<WireMessage[]>([]);
  const [hasOlder, setHasOlder] = createSignal(true);
  const [error, setError] = createSignal("");
  const [open, setOpen] = createSignal<number | null>(null);
  const messages = () => {
    const byId = new Map<string, WireMessage>();
    for (const m of [...older(), ...(state.windows[props.chatId]?.items ?? [])]) byId.set(m.id, m);
    return [...byId.values()];
  };
  const media = createMemo(() => gatherMedia(messages()));
  const list = () => media()[tab()];
  const visual = () => list().map((e) => e.a!).filter(Boolean);

  const lookBack = async () => {
    const oldest = messages().reduce((min, m) => Math.min(min, m.seq), Infinity);
    if (!Number.isFinite(oldest) || oldest <= 1) return void setHasOlder(false);
    try {
      const page = await request("message.list", { chatId: props.chatId, anchor: { seq: oldest }, direction: "before", limit: olderPage });
      setOlder([...page.messages, ...older()]);
      setHasOlder(page.hasBefore);
    } catch (e) {
      setError(errorOf(e));
    }
  };

  return (
    <section class="info-section media-section" aria-label={t("mediaTab")}>
      <h3>{t("mediaTab")}</h3>
      <div class="media-tabs" role="tablist">
        <For each={tabs}>
          {(x) => (
            <button type="button" role="tab" aria-selected={tab() === x.name} onClick={() => setTab(x.name)}>
              {t(x.key)} · {media()[x.name].length}
            </button>
          )}
        </For>
      </div>
      <div role="tabpanel">
        <Show when={list().length > 0} fallback={<p class="media-note">{t("mediaNone")}</p>}>
          <Switch>
            <Match when={tab() === "photos" || tab() === "videos"}>
              <div class="media-grid">
                <For each={visual()}>
                  {(a, i) => (
                    <button type="button" class="media-tile" aria-label={a.kind === "video" ? t("openVideo", { name: a.name }) : t("openPhoto", { name: a.name })} onClick={() => setOpen(i())}>
                      <Placeholder hash={a.placeholder} />
                      <Show when={pictureUrl(a, 320)}>{(src) => <img src={src()} alt="" loading="lazy" onLoad={(e) => e.currentTarget.classList.add("loaded")} />}</Show>
                      <Show when={a.kind === "video"}><span class="play-badge" aria-hidden="true"><Icon name="play" size={18} /></span></Show>
                    </button>
                  )}
                </For>
              </div>
            </Match>
            <Match when={tab() === "files"}>
              <ul class="media-list"><For each={list()}>{(e) => <li><FileCard a={e.a!} /></li>}</For></ul>
            </Match>
            <Match when={tab() === "voice"}>
              <ul class="media-list">
                <For each={list()}>{(e) => <li><audio controls preload="none" src={mediaUrl.original(e.a!.id)} aria-label={e.a!.name} /></li>}</For>
              </ul>
            </Match>
            <Match when={tab() === "links"}>
              <ul class="media-list">
                <For each={list()}>
                  {(e) => (
                    <li>
                      <a class="link-row" href={e.url} target="_blank" rel="noopener noreferrer">
                        <Show when={e.title}><span>{e.title}</span></Show>
                        <span class="link-url">{e.url}</span>
                      </a>
                    </li>
                  )}
                </For>
              </ul>
            </Match>
          </Switch>
        </Show>
        <Show when={error()}><p class="error" role="alert">{error()}</p></Show>
        <p class="media-note">{t("mediaFromHistory")}</p>
        <Show when={hasOlder() && (state.windows[props.chatId]?.hasBefore ?? true)}>
          <button type="button" class="secondary wide" onClick={() => void lookBack()}>{t("mediaOlder")}</button>
        </Show>
      </div>
      <Show when={open() !== null}>
        <Portal><Lightbox items={visual()} index={open()!} onClose={() => setOpen(null)} /></Portal>
      </Show>
    </section>
  );
}
