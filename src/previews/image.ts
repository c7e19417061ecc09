// The preview image: fetched by the server through the same SSRF-safe fetcher as the
// page (image/* only, limits.previewImageBytesMax, its own deadline), decoded and
// re-encoded to WebP with every piece of metadata dropped (src/media/image
// reencodeImage), and stored as a media item any signed-in user may read — never
// hotlinked, so readers load it from Hearth and the linked site never sees their
// addresses. Storing is ONE injected call (the media store); without it, and when the
// bytes are no usable image, the preview simply has no image.
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

export async function previewImage(fetcher: FetcherDeps, store: StoreImage | undefined, url: string): Promise<ImageOutcome> {
  if (!store) return { reason: "no_media_store" };
  const got = await fetchChecked(fetcher, url, { kind: "image", bytesMax: limits.previewImageBytesMax, deadlineMs: limits.previewFetchDeadlineMs });
  if (!got.ok) return { reason: `image_${got.reason}` };
  const img = await reencodeImage(got.body, limits.previewImageWidthPx);
  if (!img.ok) return { reason: `image_${img.code}` };
  const id = await store(img);
  if (!id) return { reason: "image_not_stored" };
  return { image: { id, width: img.width, height: img.height, placeholder: img.placeholder } };
}
