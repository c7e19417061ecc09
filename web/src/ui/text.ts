// Text cut for display, always at grapheme boundaries (Intl.Segmenter): a flag, a family
// emoji or an accented letter is one piece, never split into UTF-16 halves ("L🏡" must not
// become "L\uD83C"). Every place that shortens text goes through these.
const segmenter = new Intl.Segmenter(undefined, { granularity: "grapheme" });

export function graphemes(text: string): string[] {
  return Array.from(segmenter.segment(text), (s) => s.segment);
}

/** The first `max` graphemes, with "…" when something was cut. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text; // every grapheme is at least one UTF-16 unit
  const parts = graphemes(text);
  return parts.length > max ? `${parts.slice(0, max).join("")}…` : text;
}

/** Up to two initials (first and last word that starts with a letter or digit), by grapheme; "?" for an empty name. */
export function initials(name: string): string {
  const firsts = name.trim().split(/\s+/).filter(Boolean).map((w) => graphemes(w)[0]!);
  const letters = firsts.filter((g) => /^[\p{L}\p{N}]/u.test(g));
  // a name of emoji only keeps its first emoji rather than showing "?"
  if (letters.length === 0) return firsts[0] ?? "?";
  const picked = letters.length > 1 ? [letters[0]!, letters[letters.length - 1]!] : letters;
  return picked.map((g) => g.toLocaleUpperCase()).join("");
}
