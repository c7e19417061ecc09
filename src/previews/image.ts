// The preview image: fetched by the server through the same SSRF-safe fetcher as the
// page, decoded and re-encoded (never hotlinked: readers load it from Hearth, so the
// linked site never sees their addresses), and stored as a media item any signed-in
// user may read. Re-encoding and storing are ONE injected call each, provided by the
// media code (src/media/); without them a preview has no image.
import { limits } from "../limits.ts";
import type { LinkPreview } from "../storage/previews-port.ts";
import { type FetcherDeps, fetchChecked } from "./fetch.ts";

export type PreviewImage = NonNullable<LinkPreview["image"]>;

/** Decodes, re-encodes and stores image bytes; null when they are not a usable image. */
export type StoreImage = (bytes: Uint8Array) => Promise<PreviewImage | null>;

export async function previewImage(fetcher: FetcherDeps, store: StoreImage | undefined, url: string): Promise<PreviewImage | undefined> {
  if (!store) return undefined;
  const got = await fetchChecked(fetcher, url, { kind: "image", bytesMax: limits.previewImageBytesMax, deadlineMs: limits.previewFetchDeadlineMs });
  if (!got.ok || !got.complete) return undefined;
  return (await store(got.body)) ?? undefined;
}
