// Cropping a picked image to a square: drag to move, wheel / pinch / the slider to zoom;
// the round mask shows what the avatar will show. Save renders the square (≤ outputPx) to
// a blob for the upload. Arithmetic in crop.ts.
import { createSignal, onCleanup, onMount } from "solid-js";
import { t } from "../i18n/index.ts";
import { Dialog } from "../ui/Dialog.tsx";
import { type Crop, drag, initialCrop, sourceRect, zoomTo } from "./crop.ts";
import { avatarLimits } from "./limits.ts";
import "./avatars.css";

export function AvatarCropper(props: { image: ImageBitmap; busy: boolean; onSave: (blob: Blob) => void; onClose: () => void }) {
  let canvas!: HTMLCanvasElement;
  const [crop, setCrop] = createSignal<Crop>(initialCrop(props.image.width, props.image.height));
  const px = avatarLimits.viewPx;
  const dpr = Math.max(1, Math.min(3, globalThis.devicePixelRatio ?? 1));

  const draw = () => {
    const ctx = canvas.getContext("2d");
    if (!ctx) return;
    const size = px * dpr;
    const r = sourceRect(crop());
    ctx.clearRect(0, 0, size, size);
    ctx.drawImage(props.image, r.sx, r.sy, r.side, r.side, 0, 0, size, size);
    // dim what the round avatar leaves out
    ctx.save();
    ctx.fillStyle = "rgba(0, 0, 0, 0.45)";
    ctx.beginPath();
    ctx.rect(0, 0, size, size);
    ctx.arc(size / 2, size / 2, size / 2, 0, Math.PI * 2, true);
    ctx.fill("evenodd");
    ctx.restore();
  };
  const update = (c: Crop) => {
    setCrop(c);
    draw();
  };

  // pointers: one drags, two pinch
  const pointers = new Map<number, { x: number; y: number }>();
  const spread = () => {
    const [a, b] = [...pointers.values()];
    return a && b ? Math.hypot(a.x - b.x, a.y - b.y) : 0;
  };
  const onDown = (e: PointerEvent) => {
    canvas.setPointerCapture(e.pointerId);
    pointers.set(e.pointerId, { x: e.clientX, y: e.clientY });
  };
  const onMove = (e: PointerEvent) => {
    const last = pointers.get(e.pointerId);
    if (!last) return;
    const before = spread();
    pointers.set(e.pointerId, { x: e.clientX, y: e.clientY });
    if (pointers.size >= 2 && before > 0) update(zoomTo(crop(), (crop().zoom * spread()) / before));
    else if (pointers.size === 1) update(drag(crop(), e.clientX - last.x, e.clientY - last.y, canvas.clientWidth || px));
  };
  const onUp = (e: PointerEvent) => void pointers.delete(e.pointerId);
  const onWheel = (e: WheelEvent) => {
    e.preventDefault();
    const box = canvas.getBoundingClientRect();
    update(zoomTo(crop(), crop().zoom * Math.exp(-e.deltaY / 400), (e.clientX - box.left) / box.width, (e.clientY - box.top) / box.height));
  };

  onMount(() => {
    canvas.width = canvas.height = px * dpr;
    canvas.addEventListener("wheel", onWheel, { passive: false });
    draw();
  });
  onCleanup(() => canvas?.removeEventListener("wheel", onWheel));

  const save = async () => {
    const r = sourceRect(crop());
    const out = document.createElement("canvas");
    out.width = out.height = r.out;
    out.getContext("2d")?.drawImage(props.image, r.sx, r.sy, r.side, r.side, 0, 0, r.out, r.out);
    props.onSave(await encode(out));
  };

  return (
    <Dialog title={t("cropPhoto")} onClose={() => props.onClose()}>
      <div class="cropper">
        <canvas
          ref={canvas}
          class="crop-view"
          role="img"
          aria-label={t("cropHint")}
          onPointerDown={onDown}
          onPointerMove={onMove}
          onPointerUp={onUp}
          onPointerCancel={onUp}
        />
        <p class="hint">{t("cropHint")}</p>
        <label class="crop-zoom">
          {t("zoom")}
          <input
            type="range"
            name="zoom"
            min="1"
            max={String(avatarLimits.zoomMax)}
            step="0.01"
            value={crop().zoom}
            onInput={(e) => update(zoomTo(crop(), Number(e.currentTarget.value)))}
          />
        </label>
        <div class="crop-actions">
          <button type="button" class="secondary" onClick={() => props.onClose()}>{t("cancel")}</button>
          <button type="button" disabled={props.busy} onClick={() => void save()}>{props.busy ? t("uploading") : t("setPhoto")}</button>
        </div>
      </div>
    </Dialog>
  );
}

/** WebP where the browser encodes it (Chromium), else JPEG. */
async function encode(c: HTMLCanvasElement): Promise<Blob> {
  const as = (type: string) => new Promise<Blob | null>((resolve) => c.toBlob(resolve, type, avatarLimits.outputQuality));
  const webp = await as("image/webp");
  if (webp && webp.type === "image/webp") return webp;
  const jpeg = await as("image/jpeg");
  if (!jpeg) throw Object.assign(new Error("the picture could not be encoded"), { code: "avatar_encode" });
  return jpeg;
}
