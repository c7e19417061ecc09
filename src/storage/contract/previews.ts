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
  });
}
