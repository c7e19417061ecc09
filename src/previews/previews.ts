// Link previews as a service: preview.get (rate-limited per user) and the preview a
// message.send attaches. Order for one URL: previews.enabled → the cache (24 h, "no
// preview" 10 min) → one fetch per URL at a time, in a bounded slot queue → the page's
// head → its image → remembered. Every failure is a null preview, never an error (the
// reason is logged at debug); only a bad URL (invalid_field), a full queue (unavailable)
// and the per-user rate (rate_limited) are errors, and only for preview.get.
import { AppError, FatalError, invalidField } from "../errors.ts";
import { limits } from "../limits.ts";
import type { Deps, Previews } from "../core/deps.ts";

export type { Previews };
import type { LinkPreview } from "../storage/previews-port.ts";
import { checkAllowEntry, parseAllowList } from "./address.ts";
import { type FetcherDeps, type Resolve, fetchChecked, systemResolve } from "./fetch.ts";
import { headText, parseHead } from "./head.ts";
import { previewImage, type StoreImage } from "./image.ts";
import { Slots } from "./slots.ts";
import { UserRate } from "./rate.ts";
import { checkTarget } from "./target.ts";
import { storeServerImage } from "../media/server-media.ts";

export interface PreviewsOptions {
  /** The name resolver; tests map public-looking names to loopback. Default: the system's. */
  resolve?: Resolve;
  /** Tests only, see FetcherDeps.dialPort. */
  dialPort?: (port: number) => number;
  /** Stores a re-encoded preview image; default: src/media/server-media.ts storeServerImage. */
  storeImage?: StoreImage;
}


export function createPreviews(deps: Deps, opts: PreviewsOptions = {}): Previews {
  const bad = deps.config.previews.allowHosts.map(checkAllowEntry).find((e) => e !== null);
  if (bad) throw new FatalError(`invalid previews.allowHosts: ${bad}`);
  const fetcher: FetcherDeps = { resolve: opts.resolve ?? systemResolve, allow: parseAllowList(deps.config.previews.allowHosts), dialPort: opts.dialPort };
  const storeImage: StoreImage = opts.storeImage ?? (async (img) => (await storeServerImage(deps, { ...img, name: "preview.webp" })).id);
  // No image library (images.enabled = false, or sharp cannot load here): no image is fetched at all.
  let imagesOn = deps.config.images.enabled;
  const slots = new Slots(limits.previewFetchesRunningMax, limits.previewFetchesWaitingMax);
  const inFlight = new Map<string, Promise<LinkPreview | null | "busy">>();
  const rate = new UserRate();
  const fetches = deps.metrics.counter("hearth_link_preview_fetches_total", "Link-preview page fetches by result: preview, none (no metadata), refused (not public, bad redirect target), failed.");

  async function lookup(key: string): Promise<LinkPreview | null | "busy"> {
    if (!deps.config.previews.enabled) return null;
    const hit = await deps.storage.previews.cached(key, deps.now());
    if (hit) return hit.preview;
    let running = inFlight.get(key);
    if (!running) {
      running = slots.run(() => fetchAndRemember(key)).then((r) => (r ? r.value : "busy"));
      inFlight.set(key, running);
      // Callers see a rejection (storage down) through `running`; this chain only forgets it.
      running.then(
        () => inFlight.delete(key),
        () => inFlight.delete(key),
      );
    }
    return running;
  }

  async function fetchAndRemember(key: string): Promise<LinkPreview | null> {
    const preview = await fetchPreview(fetcher, imagesOn ? storeImage : null, key).catch((err) => {
      deps.log.warn("link preview failed unexpectedly", { err });
      return { preview: null, reason: "error" };
    });
    fetches.inc({ result: resultOf(preview) });
    if (imagesOn && preview.reason === "image_unavailable") {
      imagesOn = false;
      deps.log.info("link previews go without images: no image library here");
    }
    if (preview.reason) deps.log.debug(preview.preview ? "link preview without image" : "no link preview", { url: key, reason: preview.reason });
    const now = deps.now();
    const ttl = preview.preview ? limits.previewCacheTtlMs : limits.previewNegativeCacheTtlMs;
    await deps.storage.previews.remember({ url: key, preview: preview.preview, fetchedAt: now, expiresAt: now + ttl }, limits.previewCachePruneRowsMax);
    // Images nobody refers to any more go too, with the same bound. Twice the cache TTL of age:
    // a send that read a cache entry just before it expired has stored its message long since.
    await deps.storage.previews.collectImages(now - 2 * limits.previewCacheTtlMs, now, limits.previewCachePruneRowsMax);
    return preview.preview;
  }

  const withUrl = (p: LinkPreview | null, url: string): LinkPreview | null => (p ? { ...p, url } : null);

  return {
    async get(userId, url) {
      const key = previewKey(url, "url");
      rate.take(userId, deps.now());
      const found = await lookup(key);
      if (found === "busy") throw new AppError("unavailable", "Too many link previews are being fetched; retry shortly");
      return withUrl(found, url);
    },
    async forMessage(url) {
      const found = await lookup(previewKey(url, "preview")).catch((err) => {
        deps.log.warn("link preview for a message failed", { err });
        return null;
      });
      return found === "busy" ? null : withUrl(found, url);
    },
  };
}

/** The cache key of a URL a person typed (WHATWG-normalized), or invalid_field naming `field`. */
export function previewKey(url: string, field: string): string {
  const t = checkTarget(url);
  if ("refused" in t) throw invalidField(field, t.refused);
  t.url.hash = ""; // the fragment never reaches the server
  return t.url.href;
}

async function fetchPreview(fetcher: FetcherDeps, storeImage: StoreImage | null, url: string): Promise<{ preview: LinkPreview | null; reason?: string }> {
  const deadline = Date.now() + limits.previewFetchDeadlineMs; // page and image together
  const page = await fetchChecked(fetcher, url, { kind: "html", bytesMax: limits.previewBodyBytesMax, deadlineMs: limits.previewFetchDeadlineMs });
  if (!page.ok) return { preview: null, reason: page.reason };
  const meta = await parseHead(headText(page.body, page.contentType), page.url);
  if (!meta) return { preview: null, reason: "no_metadata" };
  const image = meta.imageUrl && storeImage ? await previewImage(fetcher, storeImage, meta.imageUrl, deadline - Date.now()) : { reason: "no_image" };
  const preview: LinkPreview = { url };
  if (meta.siteName) preview.siteName = meta.siteName;
  if (meta.title) preview.title = meta.title;
  if (meta.description) preview.description = meta.description;
  if ("image" in image) preview.image = image.image;
  return { preview, reason: "reason" in image && image.reason !== "no_image" ? image.reason : undefined };
}

/** The metric label of a fetch: a small fixed set, never the reason itself. */
function resultOf(r: { preview: LinkPreview | null; reason?: string }): string {
  if (r.preview) return "preview";
  if (r.reason === "no_metadata") return "none";
  return /^(address_|target_|bad_redirect|too_many_redirects)/.test(r.reason ?? "") ? "refused" : "failed";
}
