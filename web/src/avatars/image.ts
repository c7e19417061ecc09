// Showing an avatar: which thumbnail to fetch for a size on screen, and the thumbhash
// placeholder drawn on a canvas while it loads (the CSP allows no data: images). Whose
// avatar: a person's (users) or a chat's (groups, channels) by the id the Avatar gets.
import { thumbHashToRGBA } from "thumbhash";
import { state } from "../sync/store.ts";
import { fromBase64Bytes } from "./bytes.ts";

export interface AvatarRef {
  id: string;
  placeholder?: string;
}

/** Thumbnail widths the server makes (its named list); the smallest that covers the size. */
export const thumbWidths = [320, 800, 1280] as const;
export function thumbWidthFor(cssPx: number, dpr: number): number {
  const need = cssPx * Math.max(1, dpr);
  return thumbWidths.find((w) => w >= need) ?? thumbWidths[thumbWidths.length - 1]!;
}

export const avatarUrl = (mediaId: string, width: number): string =>
  `/media/${encodeURIComponent(mediaId)}/thumb/${width}`;

/** The avatar behind an Avatar's id: a person's, else a chat's; null when none is set. */
export function avatarOf(id: string): AvatarRef | null {
  const u = state.users[id] as { avatar?: AvatarRef | null } | undefined;
  if (u?.avatar) return u.avatar;
  if (state.me?.id === id) return (state.me as { avatar?: AvatarRef | null }).avatar ?? null;
  const c = state.chats[id]?.chat as { avatar?: AvatarRef | null } | undefined;
  return c?.avatar ?? null;
}

/** Draws the thumbhash on the canvas (its natural few pixels, the CSS stretches it). */
export function drawPlaceholder(canvas: HTMLCanvasElement, placeholder: string): boolean {
  const hash = fromBase64Bytes(placeholder);
  if (!hash) return false;
  try {
    const { w, h, rgba } = thumbHashToRGBA(hash);
    canvas.width = w;
    canvas.height = h;
    const ctx = canvas.getContext("2d");
    if (!ctx) return false;
    ctx.putImageData(new ImageData(new Uint8ClampedArray(rgba), w, h), 0, 0);
    return true;
  } catch {
    return false;
  }
}
