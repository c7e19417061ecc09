// The emoji catalog from emojibase-data (Unicode's emoji list with CLDR names and
// keywords per language): groups in Unicode order, search by name and keyword, skin
// tones. Pure functions over the loaded data; load.ts fetches it lazily.

/** One emoji as emojibase-data's compact.json has it. */
export interface CompactEmoji {
  unicode: string;
  label: string;
  hexcode: string;
  group?: number;
  order?: number;
  tags?: string[];
  emoticon?: string | string[];
  skins?: { unicode: string; label: string; tone?: number | number[] }[];
}

export interface EmojiGroup {
  key: string;
  name: string;
  emoji: CompactEmoji[];
}

/** Skin tones: 0 = none (the yellow default), 1–5 = light … dark (Fitzpatrick types). */
export type SkinTone = 0 | 1 | 2 | 3 | 4 | 5;
export const skinToneSwatches = ["✋", "✋🏻", "✋🏼", "✋🏽", "✋🏾", "✋🏿"];

// "component" (bare skin tones, hair) is no emoji of its own; entries without a group
// are the single regional-indicator letters.
const COMPONENT_GROUP = 2;

export function groupsOf(data: CompactEmoji[], names: { key: string; message: string; order: number }[]): EmojiGroup[] {
  const byOrder = new Map(names.map((g) => [g.order, g]));
  const groups = new Map<number, EmojiGroup>();
  for (const e of [...data].sort((a, b) => (a.order ?? 0) - (b.order ?? 0))) {
    if (e.group === undefined || e.group === COMPONENT_GROUP) continue;
    const meta = byOrder.get(e.group);
    if (!meta) continue;
    let g = groups.get(e.group);
    if (!g) groups.set(e.group, (g = { key: meta.key, name: meta.message, emoji: [] }));
    g.emoji.push(e);
  }
  return [...groups.entries()].sort((a, b) => a[0] - b[0]).map(([, g]) => g);
}

const MODIFIERS = /\u{1F3FB}|\u{1F3FC}|\u{1F3FD}|\u{1F3FE}|\u{1F3FF}/gu;

/** The emoji in the chosen skin tone: the variant whose every modifier is that tone (not mixed pairs). */
export function withTone(e: CompactEmoji, tone: SkinTone): string {
  if (tone === 0 || !e.skins) return canonical(e.unicode);
  const want = String.fromCodePoint(0x1f3fa + tone);
  const match = e.skins.find((s) => {
    const mods = s.unicode.match(MODIFIERS) ?? [];
    return mods.length > 0 && mods.every((m) => m === want);
  });
  return canonical(match?.unicode ?? e.unicode);
}

/**
 * Drops a variation selector 16 after a character that is shown as emoji anyway
 * ("👍\uFE0F" → "👍"), as the server does for reactions: one emoji, one spelling.
 */
export const canonical = (emoji: string) => emoji.replace(/(\p{Emoji_Presentation})\uFE0F/gu, "$1");

const fold = (s: string) => s.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();

/**
 * Emoji whose name or keywords match every word of the query (each as a word prefix),
 * best first: the name starting with the query, then a name word, then keywords only.
 */
export function searchEmoji(groups: EmojiGroup[], query: string, max = 120): CompactEmoji[] {
  const words = fold(query).split(/\s+/).filter(Boolean);
  if (words.length === 0) return [];
  const scored: { e: CompactEmoji; score: number }[] = [];
  for (const g of groups) {
    for (const e of g.emoji) {
      const label = fold(e.label);
      const labelWords = label.split(/[\s:,-]+/);
      const tags = (e.tags ?? []).map(fold);
      const hits = words.map((w) => (label.startsWith(w) ? 0 : labelWords.some((x) => x.startsWith(w)) ? 1 : tags.some((x) => x.startsWith(w)) ? 2 : -1));
      if (hits.includes(-1)) continue;
      scored.push({ e, score: Math.max(...hits) * 10_000 + (e.order ?? 0) / 10 });
    }
  }
  return scored.sort((a, b) => a.score - b.score).slice(0, max).map((x) => x.e);
}

/** Recently used emoji, newest first, without repeats. */
export function addRecent(recent: readonly string[], emoji: string, max = 24): string[] {
  return [emoji, ...recent.filter((e) => e !== emoji)].slice(0, max);
}
