// Loads the emoji catalog in the UI language, once, as its own chunks (never in the main
// bundle): emojibase-data's compact list plus its group names.
import type { Lang } from "../i18n/index.ts";
import { type CompactEmoji, type EmojiGroup, groupsOf } from "./catalog.ts";

interface Messages {
  groups: { key: string; message: string; order: number }[];
}

const loaded = new Map<Lang, Promise<EmojiGroup[]>>();

async function fetchCatalog(lang: Lang): Promise<EmojiGroup[]> {
  const [data, messages] =
    lang === "de"
      ? await Promise.all([import("emojibase-data/de/compact.json"), import("emojibase-data/de/messages.json")])
      : await Promise.all([import("emojibase-data/en/compact.json"), import("emojibase-data/en/messages.json")]);
  return groupsOf(data.default as CompactEmoji[], (messages.default as Messages).groups);
}

export function loadCatalog(lang: Lang): Promise<EmojiGroup[]> {
  let p = loaded.get(lang);
  if (!p) {
    p = fetchCatalog(lang);
    p.catch(() => loaded.delete(lang)); // a failed load (offline, no cache yet) may be retried
    loaded.set(lang, p);
  }
  return p;
}
