// The files of a message bubble: photos and videos as one picture or an album grid (the
// thumbhash placeholder at once, the server's thumbnail over it when loaded; a tap opens the
// lightbox), a single video playing in place (native controls; seeking is HTTP Range on
// /media/:id), audio with controls, and a card for any other file. Voice is drawn by the
// voice component (not here). The link preview card follows the text.
import { createSignal, For, Show } from "solid-js";
import { Portal } from "solid-js/web";
import type { WireMessage } from "../../../src/protocol/methods/chats.ts";
import { locale, t } from "../i18n/index.ts";
import { Icon } from "../ui/Icon.tsx";
import { Lightbox } from "./Lightbox.tsx";
import "./media.css";
import { albumRows, aspect, fileSize, isVisual, mediaUrl, pictureUrl, thumbWidthFor } from "./logic.ts";
import { Placeholder } from "./Placeholder.tsx";
import { PreviewCard } from "./PreviewCard.tsx";
import type { Attachment } from "./types.ts";

type WithMedia = WireMessage & { attachments?: Attachment[] };

export function MessageMedia(props: { m: WireMessage }) {
  const all = () => ((props.m as WithMedia).attachments ?? []).filter((a) => a.kind !== "voice");
  const visual = () => all().filter(isVisual);
  const others = () => all().filter((a) => !isVisual(a));
  const [open, setOpen] = createSignal<number | null>(null);
  return (
    <Show when={props.m.deletedAt === null && all().length > 0}>
      <Show when={visual().length === 1 && visual()[0]!.kind === "video"} fallback={
        <Show when={visual().length > 0}><Album items={visual()} onOpen={setOpen} /></Show>
      }>
        <InlineVideo a={visual()[0]!} onOpen={() => setOpen(0)} />
      </Show>
      <For each={others()}>{(a) => (a.kind === "audio" ? <AudioItem a={a} /> : <FileCard a={a} />)}</For>
      <Show when={open() !== null}>
        <Portal>
          <Lightbox items={visual()} index={open()!} onClose={() => setOpen(null)} />
        </Portal>
      </Show>
    </Show>
  );
}

export function LinkPreviewOf(props: { m: WireMessage }) {
  return <Show when={props.m.deletedAt === null && props.m.preview}>{(p) => <PreviewCard preview={p()} />}</Show>;
}

function Album(props: { items: Attachment[]; onOpen: (i: number) => void }) {
  const rows = () => {
    const out: { a: Attachment; i: number }[][] = [];
    let at = 0;
    for (const n of albumRows(props.items.length)) {
      out.push(props.items.slice(at, at + n).map((a, k) => ({ a, i: at + k })));
      at += n;
    }
    return out;
  };
  const single = () => props.items.length === 1;
  return (
    <div class={single() ? "media-album single" : "media-album"} style={single() ? { "aspect-ratio": String(aspect(props.items[0]!)) } : undefined}>
      <For each={rows()}>
        {(row) => (
          <div class="album-row" data-n={row.length}>
            <For each={row}>{(x) => <Tile a={x.a} width={single() ? 360 : 360 / row.length} onOpen={() => props.onOpen(x.i)} />}</For>
          </div>
        )}
      </For>
    </div>
  );
}

function Tile(props: { a: Attachment; width: number; onOpen: () => void }) {
  const src = () => pictureUrl(props.a, thumbWidthFor(props.width, globalThis.devicePixelRatio ?? 1));
  const label = () => (props.a.kind === "video" ? t("openVideo", { name: props.a.name }) : t("openPhoto", { name: props.a.name }));
  return (
    <button type="button" class="media-tile" aria-label={label()} onClick={(e) => { e.stopPropagation(); props.onOpen(); }}>
      <Placeholder hash={props.a.placeholder} />
      <Show when={src()}>
        <img src={src()!} alt="" loading="lazy" decoding="async" onLoad={(e) => e.currentTarget.classList.add("loaded")} />
      </Show>
      <Show when={props.a.kind === "video"}>
        <span class="play-badge" aria-hidden="true"><Icon name="play" size={22} /></span>
      </Show>
    </button>
  );
}

function InlineVideo(props: { a: Attachment; onOpen: () => void }) {
  const poster = () => pictureUrl(props.a, 800) ?? undefined;
  // the server may not know a video's size (no decoder there): the browser tells once it read the header
  const [ratio, setRatio] = createSignal(aspect(props.a, 0.56, 1.78));
  return (
    <div class="media-video" style={{ "aspect-ratio": String(ratio()) }}>
      <Placeholder hash={props.a.placeholder} />
      <video controls preload="metadata" playsinline poster={poster()} src={mediaUrl.original(props.a.id)} aria-label={props.a.name} onClick={(e) => e.stopPropagation()}
        onLoadedMetadata={(e) => { const v = e.currentTarget; if (v.videoWidth && v.videoHeight) setRatio(aspect({ width: v.videoWidth, height: v.videoHeight }, 0.56, 1.78)); }} />
      <button type="button" class="icon-btn media-expand" aria-label={t("openVideo", { name: props.a.name })} onClick={(e) => { e.stopPropagation(); props.onOpen(); }}>
        <Icon name="expand" size={16} />
      </button>
    </div>
  );
}

function AudioItem(props: { a: Attachment }) {
  return (
    <div class="media-audio">
      <span class="file-name">{props.a.name}</span>
      <audio controls preload="metadata" src={mediaUrl.original(props.a.id)} aria-label={props.a.name} />
    </div>
  );
}

export function FileCard(props: { a: Attachment }) {
  return (
    <a class="file-card" href={mediaUrl.download(props.a.id)} download={props.a.name} title={t("downloadFile", { name: props.a.name })} onClick={(e) => e.stopPropagation()}>
      <span class="file-icon" aria-hidden="true"><Icon name="file" size={24} /></span>
      <span class="file-text">
        <span class="file-name">{props.a.name}</span>
        <span class="file-size">{fileSize(props.a.size, locale())}</span>
      </span>
      <span class="file-dl" aria-hidden="true"><Icon name="download" size={20} /></span>
    </a>
  );
}
