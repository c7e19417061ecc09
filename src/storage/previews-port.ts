// The link-preview part of the storage port: a cache of what a URL's page said, shared
// by every user (a preview holds nothing private: the server fetched it anonymously).
// `preview: null` is a remembered "no preview". Rows expire; reads never return an
// expired row, and each write deletes a bounded number of expired ones.

/** The same shape as the wire's LinkPreview (src/protocol/methods/previews.ts). */
export interface LinkPreview {
  url: string;
  siteName?: string;
  title?: string;
  description?: string;
  image?: { id: string; width: number; height: number; placeholder?: string };
}

export interface CachedPreview {
  url: string;
  preview: LinkPreview | null;
  fetchedAt: number;
  expiresAt: number;
}

export interface PreviewStore {
  /** The cached entry while now < expiresAt, else null. */
  cached(url: string, now: number): Promise<CachedPreview | null>;
  /** Inserts or replaces the entry for entry.url, then deletes at most pruneMax expired rows. */
  remember(entry: CachedPreview, pruneMax: number): Promise<void>;
}
