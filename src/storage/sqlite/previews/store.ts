// SQLite sub-store for the link-preview cache (port: ../../previews-port.ts).
import type { LinkPreview, PreviewStore } from "../../previews-port.ts";
import { commit, type Ctx } from "../tx.ts";

interface Row {
  url: string;
  preview: string | null;
  fetched_at: number;
  expires_at: number;
}

export function previewStore(ctx: Ctx): PreviewStore {
  const byUrl = ctx.db.query("SELECT url, preview, fetched_at, expires_at FROM link_previews WHERE url = ? AND expires_at > ?");
  return {
    cached: async (url, now) => {
      const r = byUrl.get(url, now) as Row | null;
      if (!r) return null;
      return { url: r.url, preview: r.preview === null ? null : (JSON.parse(r.preview) as LinkPreview), fetchedAt: r.fetched_at, expiresAt: r.expires_at };
    },
    remember: async (entry, pruneMax) => {
      await commit(ctx, undefined, (tx) => {
        tx.query("INSERT OR REPLACE INTO link_previews (url, preview, fetched_at, expires_at) VALUES (?, ?, ?, ?)").run(
          entry.url,
          entry.preview === null ? null : JSON.stringify(entry.preview),
          entry.fetchedAt,
          entry.expiresAt,
        );
        tx.query("DELETE FROM link_previews WHERE url IN (SELECT url FROM link_previews WHERE expires_at <= ? ORDER BY expires_at LIMIT ?)").run(entry.fetchedAt, pruneMax);
      });
    },
  };
}
