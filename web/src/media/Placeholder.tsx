// A thumbhash placeholder, drawn at once from the hash the message carries (no request):
// decoded by the thumbhash package into pixels and put on a small canvas the CSS stretches
// (a canvas, not a data: URL, so the page's CSP needs no data: images).
import { onMount } from "solid-js";
import { thumbHashToRGBA } from "thumbhash";

export function decodeHash(base64: string): { w: number; h: number; rgba: Uint8Array } | null {
  try {
    const bin = atob(base64);
    const bytes = Uint8Array.from(bin, (c) => c.charCodeAt(0));
    return bytes.length >= 5 ? thumbHashToRGBA(bytes) : null;
  } catch {
    return null;
  }
}

export function Placeholder(props: { hash?: string }) {
  let canvas!: HTMLCanvasElement;
  onMount(() => {
    const img = props.hash ? decodeHash(props.hash) : null;
    if (!img) return;
    canvas.width = img.w;
    canvas.height = img.h;
    canvas.getContext("2d")?.putImageData(new ImageData(new Uint8ClampedArray(img.rgba), img.w, img.h), 0, 0);
  });
  return <canvas ref={canvas} class="placeholder" width="1" height="1" aria-hidden="true" />;
}
