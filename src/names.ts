// What a name people see may hold: display names, chat titles, device names. A name
// must look like what it is: nothing invisible that makes it blank or a look-alike of
// another name, nothing that reorders or hides text. Refused (never silently stripped, so
// what is stored is what was typed):
// - controls and format characters (Cc, Cf): ZWSP, word joiner, soft hyphen, LRM/RLM/ALM
//   and every bidi embedding, override and isolate, BOM, invisible operators, tag
//   characters; also lone surrogates, line/paragraph separators and noncharacters;
// - fillers that render blank although they are letters (Hangul fillers, braille blank);
// - a combining mark with nothing to combine with (at the start, or after a space), so
//   a name of marks only is refused too.
// Kept, because real names and emoji need them: ZWJ inside an emoji ZWJ sequence (👨‍👩‍👧),
// a flag's tag sequence (🏴 + tag letters + cancel tag), and ZWJ/ZWNJ between letters of
// scripts that use them to choose glyph forms (Persian, Indic …; not Latin, Greek or Cyrillic,
// where they would only disguise a name).
const FORBIDDEN = /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}\p{Noncharacter_Code_Point}]/u;
const BLANK_LETTERS = new Set([0x115f, 0x1160, 0x3164, 0xffa0, 0x2800]);
const MARK = /\p{M}/u;
const SPACE = /\s/u;
const EMOJI = /\p{Extended_Pictographic}/u;
const EMOJI_BEFORE_ZWJ = /[\p{Extended_Pictographic}\p{Emoji_Modifier}\uFE0F]/u;
const LETTER = /[\p{L}\p{M}]/u;
const NO_JOINERS = /[\p{Script=Latin}\p{Script=Greek}\p{Script=Cyrillic}]/u;
const ZWNJ = 0x200c;
const ZWJ = 0x200d;
const BLACK_FLAG = 0x1f3f4;
const CANCEL_TAG = 0xe007f;
const isTagLetter = (cp: number) => cp >= 0xe0020 && cp <= 0xe007e;

const hex = (cp: number) => `U+${cp.toString(16).toUpperCase().padStart(4, "0")}`;

/** Indices of tag characters that belong to a well-formed emoji tag sequence (🏴󠁧󠁢󠁳󠁣󠁴󠁿). */
function tagSequences(cps: number[]): Set<number> {
  const ok = new Set<number>();
  for (let i = 0; i < cps.length; i++) {
    if (cps[i] !== BLACK_FLAG) continue;
    let j = i + 1;
    while (j < cps.length && isTagLetter(cps[j]!)) j++;
    if (j > i + 1 && cps[j] === CANCEL_TAG) for (let k = i + 1; k <= j; k++) ok.add(k);
  }
  return ok;
}

function joinerAllowed(cp: number, before: string | undefined, after: string | undefined): boolean {
  if (before === undefined || after === undefined) return false;
  if (cp === ZWJ && EMOJI_BEFORE_ZWJ.test(before) && EMOJI.test(after)) return true;
  return LETTER.test(before) && LETTER.test(after) && !NO_JOINERS.test(before) && !NO_JOINERS.test(after);
}

/** Why `text` (already trimmed) may not be a name, or null when it may. */
export function nameProblem(text: string): string | null {
  const chars = [...text];
  const cps = chars.map((c) => c.codePointAt(0)!);
  const tags = tagSequences(cps);
  for (let i = 0; i < chars.length; i++) {
    const [c, cp] = [chars[i]!, cps[i]!];
    if (BLANK_LETTERS.has(cp)) return `must not contain filler characters that show as blank (${hex(cp)})`;
    if (MARK.test(c) && (i === 0 || SPACE.test(chars[i - 1]!))) return `must not contain a combining mark without a letter to go on (${hex(cp)})`;
    if (!FORBIDDEN.test(c) || tags.has(i)) continue;
    if ((cp === ZWJ || cp === ZWNJ) && joinerAllowed(cp, chars[i - 1], chars[i + 1])) continue;
    return `must not contain invisible, control or formatting characters (${hex(cp)})`;
  }
  return null;
}
