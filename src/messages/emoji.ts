// What counts as a reaction: exactly ONE emoji grapheme (as Intl.Segmenter splits text),
// made only of emoji code points (pictographs, regional-indicator pairs, keycaps, skin
// tones, ZWJ, variation selectors, tag characters), at most
// limits.reactionEmojiCodePointsMax code points. No allowlist: any emoji a keyboard
// offers works, and nothing else (text, several emoji, hidden characters) does. A
// redundant variation selector 16 is dropped so each emoji has one spelling.
import { invalidField } from "../errors.ts";
import { limits } from "../limits.ts";

const segmenter = new Intl.Segmenter("en", { granularity: "grapheme" });
const EMOJI_PARTS = /^[\p{Extended_Pictographic}\p{Emoji_Component}\u20E3\uFE0E\uFE0F]+$/u;
// A keycap is digit/#/* + (VS16) + U+20E3; a flag is two regional indicators.
const EMOJI_START = /^(?:\p{Extended_Pictographic}|\p{Regional_Indicator}{2}|[0-9#*]\uFE0F?\u20E3)/u;

export function validateEmoji(input: string): string {
  // One spelling per emoji: a VS16 after a character shown as emoji anyway ("👍\uFE0F") is
  // dropped, or the same reaction would count twice.
  const emoji = input.normalize("NFC").replace(/(\p{Emoji_Presentation})\uFE0F/gu, "$1");
  const points = [...emoji].length;
  if (points === 0) throw invalidField("emoji", "must not be empty");
  if (points > limits.reactionEmojiCodePointsMax) throw invalidField("emoji", "must be a single emoji");
  const graphemes = [...segmenter.segment(emoji)].length;
  if (graphemes !== 1 || !EMOJI_PARTS.test(emoji) || !EMOJI_START.test(emoji)) throw invalidField("emoji", "must be a single emoji");
  return emoji;
}
