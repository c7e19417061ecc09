// The one rule for names, class by class: each refused class with a sample, and the
// emoji and scripts that must keep working.
import { describe, expect, test } from "bun:test";
import { nameProblem } from "./names.ts";

const refused: [string, string][] = [
  ["zero-width space", "Ann\u200BAnn"],
  ["zero-width space only", "\u200B"],
  ["ZWJ alone", "\u200D"],
  ["ZWJ between Latin letters", "ad\u200Dmin"],
  ["ZWNJ between Latin letters", "ad\u200Cmin"],
  ["ZWJ after a space", "🦊 \u200D🦊"],
  ["word joiner", "a\u2060b"],
  ["soft hyphen", "ad\u00ADmin"],
  ["LRM", "Ann\u200E"],
  ["RLM", "\u200FAnn"],
  ["Arabic letter mark", "a\u061Cb"],
  ["bidi override", "evil\u202Egnp.exe"],
  ["bidi embedding", "a\u202Ab"],
  ["bidi isolate", "a\u2067b\u2069"],
  ["BOM inside", "a\uFEFFb"],
  ["invisible times", "a\u2062b"],
  ["Mongolian vowel separator", "a\u180Eb"],
  ["interlinear annotation", "a\uFFF9b"],
  ["Hangul filler", "\u3164"],
  ["Hangul choseong filler", "a\u115Fb"],
  ["Hangul jungseong filler", "a\u1160b"],
  ["halfwidth Hangul filler", "\uFFA0\uFFA0"],
  ["braille blank", "\u2800"],
  ["tag characters alone", "Ann\u{E0041}\u{E0042}"],
  ["tag characters after a non-flag", "🦊\u{E0067}\u{E0062}\u{E007F}"],
  ["a flag tag sequence without its cancel tag", "🏴\u{E0067}\u{E0062}"],
  ["language tag", "\u{E0001}en"],
  ["combining marks only", "\u0301\u0301\u0301"],
  ["a combining mark after a space", "Ann \u0301"],
  ["noncharacter U+FFFE", "a\uFFFEb"],
  ["noncharacter U+FDD0", "a\uFDD0b"],
  ["noncharacter in plane 1", "a\u{1FFFF}b"],
  ["lone surrogate", "a\uD800b"],
  ["line separator", "a\u2028b"],
  ["paragraph separator", "a\u2029b"],
  ["C0 control", "a\u0007b"],
  ["C1 control", "a\u0085b"],
  ["DEL", "a\u007Fb"],
];

const accepted: [string, string][] = [
  ["plain", "Ann Archer"],
  ["accents (NFC and decomposed)", "José Jose\u0301"],
  ["family ZWJ sequence", "👨‍👩‍👧"],
  ["skin tone + ZWJ", "👩🏽‍💻 dev"],
  ["VS16 + ZWJ", "🏳️‍🌈 ❤️‍🔥"],
  ["pirate flag", "🏴‍☠️"],
  ["England flag tag sequence", "🏴󠁧󠁢󠁥󠁮󠁧󠁿 fan"],
  ["keycap", "1️⃣ first"],
  ["country flag", "🇩🇪 Team"],
  ["Persian with ZWNJ", "می\u200Cخواهم"],
  ["Devanagari with ZWJ", "क्\u200Dष"],
  ["Malayalam with ZWNJ", "കാ\u200Cര്യം"],
  ["CJK", "李小龍"],
  ["Hangul", "김민준"],
  ["Arabic", "محمد"],
  ["Thai with marks", "สมชาย"],
];

describe("names", () => {
  test.each(refused)("refuses %s", (_what, name) => {
    expect(nameProblem(name)).toMatch(/^must not contain .* \(U\+[0-9A-F]{4,6}\)$/);
  });
  test.each(accepted)("accepts %s", (_what, name) => {
    expect(nameProblem(name)).toBeNull();
  });
  test("the reason names the offending code point", () => {
    expect(nameProblem("a\u200Bb")).toContain("U+200B");
    expect(nameProblem("\u3164")).toContain("U+3164");
    expect(nameProblem("x\u{E0041}")).toContain("U+E0041");
  });
});
