// Showing an avatar: which thumbnail to fetch for a size on screen, and the thumbhash
// placeholder drawn on a canvas while it loads (the CSP allows no data: images). Whose
// avatar: a person's (users) or a chat's (groups, channels) by the id the Avatar gets.
import { thumbHashToRGBA } from "thumbhash";
import type { WireAvatar } from "../../../src/protocol/media.ts";
import { state } from "../sync/store.ts";
import { fromBase64Bytes } from "./bytes.ts";
export { avatarUrl, thumbWidthFor } from "./paths.ts";

export type AvatarRef = WireAvatar;

/** The avatar behind an Avatar's id: a person's, else a chat's; null when none is set. */
export function avatarOf(id: string): AvatarRef | null {
  if (state.me?.id === id) return state.me.avatar ?? null;
  return state.users[id]?.avatar ?? state.chats[id]?.chat.avatar ?? null;
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
