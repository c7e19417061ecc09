// The square crop of an avatar, in image pixels: a centre and a zoom. Zoom 1 is the
// largest square that fits (the shorter side); the view always stays inside the image,
// so the result never has empty corners. Pure, unit-tested; AvatarCropper.tsx draws it.
import { avatarLimits } from "./limits.ts";

export interface Crop {
  w: number; // image size, pixels
  h: number;
  cx: number; // centre of the square, image pixels
  cy: number;
  zoom: number; // 1 … avatarLimits.zoomMax
}

export const sideOf = (c: Crop): number => Math.min(c.w, c.h) / c.zoom;

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

/** Keeps the square inside the image and the zoom within its bounds. */
export function fit(c: Crop): Crop {
  const zoom = clamp(c.zoom, 1, avatarLimits.zoomMax);
  const half = Math.min(c.w, c.h) / zoom / 2;
  return { ...c, zoom, cx: clamp(c.cx, half, c.w - half), cy: clamp(c.cy, half, c.h - half) };
}

/** The whole shorter side, centred. */
export const initialCrop = (w: number, h: number): Crop => fit({ w, h, cx: w / 2, cy: h / 2, zoom: 1 });

/** A drag of (dx, dy) screen pixels on a view `viewPx` wide moves the picture with the finger. */
export function drag(c: Crop, dx: number, dy: number, viewPx: number): Crop {
  const perPx = sideOf(c) / viewPx;
  return fit({ ...c, cx: c.cx - dx * perPx, cy: c.cy - dy * perPx });
}

/** Zoom to `zoom`, keeping the image point under (fx, fy) (0…1 of the view) where it is. */
export function zoomTo(c: Crop, zoom: number, fx = 0.5, fy = 0.5): Crop {
  const before = sideOf(c);
  const next = fit({ ...c, zoom });
  const after = sideOf(next);
  return fit({ ...next, cx: c.cx + (fx - 0.5) * (before - after), cy: c.cy + (fy - 0.5) * (before - after) });
}

/** The source square (image pixels) and the output size (≤ avatarLimits.outputPx, never upscaled). */
export function sourceRect(c: Crop): { sx: number; sy: number; side: number; out: number } {
  const side = sideOf(c);
  return { sx: c.cx - side / 2, sy: c.cy - side / 2, side, out: Math.max(1, Math.min(avatarLimits.outputPx, Math.round(side))) };
}
