// Contract of the link-preview cache (an entry is returned until it expires, replaced
// by a newer one, "no preview" (null) is an entry too, writes prune expired rows within
// their bound) and of the preview a message carries (read back everywhere, dropped by an
// edit that asks, purged by a delete for everyone, absent when none was sent).
import { describe, expect, test } from "bun:test";
import type { GetStorage } from "./fixtures.ts";
import { group, openMsg, send } from "./chats.ts";

const preview = (url: string) => ({ url, title: "Hearth 🏡", description: "A messenger", siteName: "Example" });

export function previewsContract(get: GetStorage): void {
  describe("link previews", () => {
    test("an entry is read back until it expires; a newer one replaces it", async () => {
      const s = get();
      const url = "https://example.com/a";
      expect(await s.previews.cached(url, 1000)).toBeNull();
      await s.previews.remember({ url, preview: preview(url), fetchedAt: 1000, expiresAt: 2000 }, 10);
      expect(await s.previews.cached(url, 1999)).toEqual({ url, preview: preview(url), fetchedAt: 1000, expiresAt: 2000 });
      expect(await s.previews.cached(url, 2000)).toBeNull();
      await s.previews.remember({ url, preview: null, fetchedAt: 3000, expiresAt: 4000 }, 10);
      expect(await s.previews.cached(url, 3500)).toEqual({ url, preview: null, fetchedAt: 3000, expiresAt: 4000 });
      expect(await s.previews.cached("https://example.com/A", 3500)).toBeNull(); // URLs are exact keys
    });

    test("a write deletes at most pruneMax expired entries, soonest expiry first, and never live ones", async () => {
      const s = get();
      const at = (i: number) => `https://e.test/${i}`;
      for (let i = 0; i < 5; i++) await s.previews.remember({ url: at(i), preview: null, fetchedAt: i, expiresAt: 10 + i }, 0);
      // At 13, rows 0..3 have expired; a prune of 2 deletes 0 and 1. Reading "as of" time 0 shows what is still stored.
      await s.previews.remember({ url: "https://e.test/live", preview: null, fetchedAt: 13, expiresAt: 100 }, 2);
      expect(await Promise.all([0, 1, 2, 3, 4].map(async (i) => (await s.previews.cached(at(i), 0)) !== null))).toEqual([false, false, true, true, true]);
      await s.previews.remember({ url: "https://e.test/late", preview: null, fetchedAt: 50, expiresAt: 100 }, 100);
      expect(await Promise.all([2, 3, 4].map(async (i) => (await s.previews.cached(at(i), 0)) !== null))).toEqual([false, false, false]);
      expect(await s.previews.cached("https://e.test/live", 60)).not.toBeNull();
    });

    test("a message keeps the preview it was sent with; an edit may drop it; a delete for everyone purges it", async () => {
      const s = get();
      const { chat, owner } = await group(s);
      const p = { ...preview("https://example.com/x"), image: { id: "media1", width: 1200, height: 630, placeholder: "abc" } };
      const sent = await send(s, chat.id, owner.id, { text: "see https://example.com/x", preview: p });
      expect(sent.message.preview).toEqual(p);
      expect((await s.messages.byId(chat.id, sent.message.id))!.preview).toEqual(p);
      const page = await s.messages.list(chat.id, owner.id, "latest", "before", 10);
      expect(page.messages.at(-1)!.preview).toEqual(p);
      const plain = await send(s, chat.id, owner.id, { text: "no link", preview: null });
      expect("preview" in plain.message).toBe(false);
      const kept = await s.messages.edit(chat.id, sent.message.id, owner.id, { text: "still https://example.com/x", entities: [] }, openMsg, Date.now());
      expect(kept.value.message.preview).toEqual(p);
      const dropped = await s.messages.edit(chat.id, sent.message.id, owner.id, { text: "gone", entities: [], dropPreview: true }, openMsg, Date.now());
      expect("preview" in dropped.value.message).toBe(false);
      const again = await send(s, chat.id, owner.id, { text: "https://example.com/x", preview: p });
      const deleted = await s.messages.deleteForEveryone(chat.id, again.message.id, owner.id, openMsg, Date.now());
      expect(deleted.value.previous.preview).toEqual(p);
      expect("preview" in deleted.value.message).toBe(false);
    });

    test("preview images live while a live cache entry or a message refers to them; older unused ones are collected, within the bound", async () => {
      const s = get();
      const { chat, owner } = await group(s);
      const image = async (id: string, now: number) => {
        const blob = { sha256: id.padEnd(64, "0").slice(0, 64), size: 10 };
        await s.media.putServerMedia({ id, ownerId: null, purpose: "preview", blob, mime: "image/webp", kind: "photo", name: "preview.webp", width: 10, height: 10,
          durationMs: null, waveform: null, placeholder: null, thumbs: true, now, variants: [{ name: "thumb320", blob, mime: "image/webp", width: 10, height: 10 }] });
      };
      const withImage = (url: string, id: string) => ({ url, title: "T", image: { id, width: 10, height: 10 } });
      for (const id of ["aaa1", "bbb2", "ccc3", "ddd4", "eee5"]) await image(id, 1000);
      await s.previews.remember({ url: "https://e.test/live", preview: withImage("https://e.test/live", "aaa1"), fetchedAt: 1000, expiresAt: 9000 }, 0);
      await s.previews.remember({ url: "https://e.test/old", preview: withImage("https://e.test/old", "bbb2"), fetchedAt: 1000, expiresAt: 2000 }, 0);
      const sent = await send(s, chat.id, owner.id, { text: "https://e.test/sent", preview: withImage("https://e.test/sent", "ccc3") });
      await image("fff6", 5000); // too young to collect
      expect(await s.previews.collectImages(1001, 3000, 1)).toBe(1); // the bound: one of bbb2, ddd4, eee5
      expect(await s.previews.collectImages(1001, 3000, 100)).toBe(2);
      expect(await s.previews.collectImages(1001, 3000, 100)).toBe(0);
      const alive = async (id: string) => (await s.media.media(id)) !== null;
      expect(await Promise.all(["aaa1", "bbb2", "ccc3", "ddd4", "eee5", "fff6"].map(alive))).toEqual([true, false, true, false, false, true]);
      expect(await s.previews.collectImages(1001, 9000, 100)).toBe(1); // the cache entry expired: aaa1 goes; ccc3 stays with its message
      expect(await alive("ccc3")).toBe(true);
      await s.messages.edit(chat.id, sent.message.id, owner.id, { text: "gone", entities: [], dropPreview: true }, openMsg, 9000);
      expect(await s.previews.collectImages(1001, 9000, 100)).toBe(1); // no message carries it now
      expect(await alive("ccc3")).toBe(false);
    });
  });
}
