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
        tx.query("INSERT OR REPLACE INTO link_previews (url, preview, image_id, fetched_at, expires_at) VALUES (?, ?, ?, ?, ?)").run(
          entry.url,
          entry.preview === null ? null : JSON.stringify(entry.preview),
          entry.preview?.image?.id ?? null,
          entry.fetchedAt,
          entry.expiresAt,
        );
        tx.query("DELETE FROM link_previews WHERE url IN (SELECT url FROM link_previews WHERE expires_at <= ? ORDER BY expires_at LIMIT ?)").run(entry.fetchedAt, pruneMax);
      });
    },
    collectImages: async (createdBefore, now, limit) =>
      ctx.writer.run((tx) => {
        const ids = tx.query(UNUSED_IMAGES).values(createdBefore, now, limit) as [string][];
        for (const [id] of ids) {
          tx.query("DELETE FROM media_variants WHERE media_id = ?").run(id);
          tx.query("DELETE FROM media WHERE id = ? AND purpose = 'preview'").run(id);
        }
        return ids.length;
      }),
  };
}

const UNUSED_IMAGES = `SELECT m.id FROM media m WHERE m.purpose = 'preview' AND m.created_at < ?1
  AND NOT EXISTS (SELECT 1 FROM link_previews l WHERE l.image_id = m.id AND l.expires_at > ?2)
  AND NOT EXISTS (SELECT 1 FROM message_previews p WHERE p.image_id = m.id)
  ORDER BY m.created_at LIMIT ?3`;
