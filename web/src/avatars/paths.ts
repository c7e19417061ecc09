// Where an avatar's picture is: the thumbnail of the server's widths that covers its size.
/** The server's MEDIA_THUMB_WIDTHS (src/protocol/media.ts; a unit test keeps them equal),
 * copied so the bundle needs no schema module for them. */
export const thumbWidths = [320, 800, 1280] as const;

/** The smallest thumbnail the server makes that covers `cssPx` at this pixel ratio. */
export function thumbWidthFor(cssPx: number, dpr: number): number {
  const need = cssPx * Math.max(1, dpr);
  return thumbWidths.find((w) => w >= need) ?? thumbWidths[thumbWidths.length - 1]!;
}

export const avatarUrl = (mediaId: string, width: number): string => `/media/${encodeURIComponent(mediaId)}/thumb/${width}`;
