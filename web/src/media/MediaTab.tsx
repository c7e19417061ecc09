// The media tab of the chat info: photos, videos, files, links and voice messages of the
// chat, each tab paged from the server (message.list_media, newest first), merged with the
// messages the open history window already holds, so what arrives live shows at once.
import { createEffect, createMemo, createSignal, For, Match, on, Show, Switch } from "solid-js";
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

const tabPage = 60;
type Loaded = { messages: WireMessage[]; hasMore: boolean };
const tabs: { name: MediaTabName; key: "mediaPhotos" | "mediaVideos" | "mediaFiles" | "mediaLinks" | "mediaVoice" }[] = [
  { name: "photos", key: "mediaPhotos" },
  { name: "videos", key: "mediaVideos" },
  { name: "files", key: "mediaFiles" },
  { name: "links", key: "mediaLinks" },
  { name: "voice", key: "mediaVoice" },
];

export function MediaTab(props: { chatId: string }) {
  const [tab, setTab] = createSignal<MediaTabName>("photos");
  const [loaded, setLoaded] = createSignal<Partial<Record<MediaTabName, Loaded>>>({});
  const [error, setError] = createSignal("");
  const [open, setOpen] = createSignal<number | null>(null);
  const load = async (name: MediaTabName, more: boolean) => {
    const had = loaded()[name];
    const beforeSeq = more ? had?.messages.at(-1)?.seq : undefined;
    try {
      setError("");
      const page = await request("message.list_media", { chatId: props.chatId, kind: name, beforeSeq, limit: tabPage });
      const messages = more ? [...(had?.messages ?? []), ...page.messages] : page.messages;
      setLoaded({ ...loaded(), [name]: { messages, hasMore: page.hasMore } });
    } catch (e) {
      setError(errorOf(e));
    }
  };
  createEffect(on([tab, () => props.chatId], ([name]) => void (loaded()[name] ? undefined : load(name, false))));
  const messages = () => {
    const byId = new Map<string, WireMessage>();
    for (const m of [...(loaded()[tab()]?.messages ?? []), ...(state.windows[props.chatId]?.items ?? [])]) byId.set(m.id, m);
    return [...byId.values()];
  };
  const media = createMemo(() => gatherMedia(messages()));
  const list = () => media()[tab()];
  const visual = () => list().map((e) => e.a!).filter(Boolean);

  return (
    <section class="info-section media-section" aria-label={t("mediaTab")}>
      <h3>{t("mediaTab")}</h3>
      <div class="media-tabs" role="tablist">
        <For each={tabs}>
          {(x) => (
            <button type="button" role="tab" aria-selected={tab() === x.name} onClick={() => setTab(x.name)}>
              {t(x.key)}
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
        <Show when={loaded()[tab()]?.hasMore}>
          <button type="button" class="secondary wide" onClick={() => void load(tab(), true)}>{t("mediaOlder")}</button>
        </Show>
      </div>
      <Show when={open() !== null}>
        <Portal><Lightbox items={visual()} index={open()!} onClose={() => setOpen(null)} /></Portal>
      </Show>
    </section>
  );
}
