// The preview image: fetched by the server through the same SSRF-safe fetcher as the
// page (image/* only, limits.previewImageBytesMax, within what is left of the page's
// deadline), decoded and
// re-encoded to WebP with every piece of metadata dropped (src/media/image
// reencodeImage), and stored as a media item any signed-in user may read — never
// hotlinked, so readers load it from Hearth and the linked site never sees their
// addresses. Storing is ONE call (src/media/server-media.ts, injectable); when the bytes
// are no usable image or cannot be stored, the preview simply has no image.
import { limits } from "../limits.ts";
import { reencodeImage } from "../media/image/index.ts";
import type { LinkPreview } from "../storage/previews-port.ts";
import { type FetcherDeps, fetchChecked } from "./fetch.ts";

export type PreviewImage = NonNullable<LinkPreview["image"]>;

export interface ReencodedImage {
  bytes: Uint8Array;
  mime: "image/webp";
  width: number;
  height: number;
  placeholder: string;
}

/** Stores a re-encoded preview image as media readable by every signed-in user; its media id, or null. */
export type StoreImage = (image: ReencodedImage) => Promise<string | null>;

export type ImageOutcome = { image: PreviewImage } | { reason: string };

/** `deadlineMs`: what is left of the preview's one deadline (the page took the rest). */
export async function previewImage(fetcher: FetcherDeps, store: StoreImage, url: string, deadlineMs: number): Promise<ImageOutcome> {
  if (deadlineMs <= 0) return { reason: "image_deadline" };
  const got = await fetchChecked(fetcher, url, { kind: "image", bytesMax: limits.previewImageBytesMax, deadlineMs });
  if (!got.ok) return { reason: `image_${got.reason}` };
  const img = await reencodeImage(got.body, limits.previewImageWidthPx);
  if (!img.ok) return { reason: `image_${img.code}` };
  const id = await store(img).catch(() => null); // a full disk costs the image, not the preview
  if (!id) return { reason: "image_not_stored" };
  return { image: { id, width: img.width, height: img.height, placeholder: img.placeholder } };
}
