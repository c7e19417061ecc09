// Full-screen viewer for photos and videos: next/previous (buttons, ← / →, a swipe on
// phones), Esc or ✕ closes, pinch or double tap (double click) zooms a photo and a drag
// then moves it, a download button. A modal <dialog>, so focus stays inside and the page
// behind is inert; Back closes it like every dialog (a history entry of its own).
import { createEffect, createSignal, on, onCleanup, onMount, Show } from "solid-js";
import { t } from "../i18n/index.ts";
import { Icon } from "../ui/Icon.tsx";
import { lastInput } from "../messages/input.ts";
import { clampIndex, doubleTapScale, mediaUrl, pictureUrl, pinchScale, swipeStep } from "./logic.ts";
import { Placeholder } from "./Placeholder.tsx";
import type { Attachment } from "./types.ts";

const doubleTapMs = 300;

export function Lightbox(props: { items: Attachment[]; index: number; onClose: () => void }) {
  let dialog!: HTMLDialogElement;
  const [index, setIndex] = createSignal(clampIndex(props.index, props.items.length));
  const [scale, setScale] = createSignal(1);
  const [pan, setPan] = createSignal({ x: 0, y: 0 });
  const item = () => props.items[index()]!;
  const go = (step: number) => setIndex((i) => clampIndex(i + step, props.items.length));
  createEffect(on(index, () => { setScale(1); setPan({ x: 0, y: 0 }); }));

  onMount(() => {
    dialog.showModal();
    history.pushState({ hearth: true, prev: location.pathname, dialog: true }, "", location.href);
  });
  onCleanup(() => {
    if (history.state?.dialog) history.replaceState({ ...history.state, dialog: false, spent: true }, "", location.href);
  });

  const onKey = (e: KeyboardEvent) => {
    if (e.key === "ArrowRight") (e.preventDefault(), go(1));
    else if (e.key === "ArrowLeft") (e.preventDefault(), go(-1));
  };

  // touch: one finger swipes (at fit size) or drags (zoomed), two fingers pinch
  const pointers = new Map<number, { x: number; y: number }>();
  let start: { x: number; y: number; dist: number; scale: number; pan: { x: number; y: number }; at: number } | null = null;
  let lastTap = 0;
  const dist = () => {
    const [a, b] = [...pointers.values()];
    return a && b ? Math.hypot(a.x - b.x, a.y - b.y) : 0;
  };
  const down = (e: PointerEvent) => {
    if (item().kind === "video") return; // the video's own controls take its pointer
    pointers.set(e.pointerId, { x: e.clientX, y: e.clientY });
    try {
      (e.currentTarget as Element).setPointerCapture(e.pointerId); // the drag keeps going outside the stage
    } catch {
      // not an active pointer (a synthetic event): the stage's own events still arrive
    }
    start = { x: e.clientX, y: e.clientY, dist: dist(), scale: scale(), pan: pan(), at: Date.now() };
  };
  const move = (e: PointerEvent) => {
    if (!pointers.has(e.pointerId) || !start) return;
    pointers.set(e.pointerId, { x: e.clientX, y: e.clientY });
    if (pointers.size === 2) setScale(pinchScale(start.scale, start.dist, dist()));
    else if (scale() > 1) setPan({ x: start.pan.x + e.clientX - start.x, y: start.pan.y + e.clientY - start.y });
  };
  const up = (e: PointerEvent) => {
    if (!pointers.delete(e.pointerId) || !start) return;
    if (pointers.size > 0) return;
    const dx = e.clientX - start.x;
    const dy = e.clientY - start.y;
    const tap = Math.abs(dx) < 10 && Math.abs(dy) < 10;
    if (tap && e.pointerType !== "touch") {
      // a mouse: zoom is the double click (onDblClick)
    } else if (tap && Date.now() - lastTap < doubleTapMs) {
      toggleZoom();
      lastTap = 0;
    } else if (tap) lastTap = Date.now();
    else if (scale() === 1 && start.dist === 0) {
      const step = swipeStep(dx, dy, innerWidth);
      if (step) go(-step);
    }
    if (scale() === 1) setPan({ x: 0, y: 0 });
    start = null;
  };
  const toggleZoom = () => {
    const next = doubleTapScale(scale());
    setScale(next);
    if (next === 1) setPan({ x: 0, y: 0 });
  };

  return (
    <dialog ref={dialog} class="lightbox" aria-label={t("mediaViewer")} onClose={() => props.onClose()} onKeyDown={onKey}>
      <header class="lb-bar">
        <span class="lb-count">{t("mediaCount", { n: index() + 1, total: props.items.length })}</span>
        <span class="lb-name">{item().name}</span>
        <a class="icon-btn" href={mediaUrl.download(item().id)} download={item().name} aria-label={t("download")}><Icon name="download" /></a>
        <button type="button" class="icon-btn" aria-label={t("close")} onClick={() => dialog.close()}><Icon name="close" /></button>
      </header>
      <div
        class="lb-stage"
        onPointerDown={down}
        onPointerMove={move}
        onPointerUp={up}
        onPointerCancel={up}
        onDblClick={() => { if (item().kind === "photo" && lastInput() !== "touch") toggleZoom(); }}
      >
        <Show when={item().kind === "video"} fallback={
          <div class="lb-photo" style={{ transform: `translate(${pan().x}px, ${pan().y}px) scale(${scale()})` }}>
            <Placeholder hash={item().placeholder} />
            <img src={pictureUrl(item(), 1280) ?? mediaUrl.original(item().id)} alt={item().name} draggable={false} onLoad={(e) => e.currentTarget.classList.add("loaded")} />
          </div>
        }>
          <video class="lb-video" controls autoplay playsinline poster={pictureUrl(item(), 1280) ?? undefined} src={mediaUrl.original(item().id)} aria-label={item().name} />
        </Show>
      </div>
      <Show when={index() > 0}>
        <button type="button" class="icon-btn lb-nav lb-prev" aria-label={t("previous")} onClick={() => go(-1)}><Icon name="back" size={28} /></button>
      </Show>
      <Show when={index() < props.items.length - 1}>
        <button type="button" class="icon-btn lb-nav lb-next" aria-label={t("next")} onClick={() => go(1)}><Icon name="next" size={28} /></button>
      </Show>
    </dialog>
  );
}
