import { describe, expect, test } from "vitest";
import data from "emojibase-data/en/compact.json";
import messages from "emojibase-data/en/messages.json";
import deData from "emojibase-data/de/compact.json";
import deMessages from "emojibase-data/de/messages.json";
import { validateEmoji } from "../../../src/messages/emoji.ts";
import { addRecent, canonical, type CompactEmoji, groupsOf, searchEmoji, withTone } from "./catalog.ts";

const groups = groupsOf(data as CompactEmoji[], messages.groups);

describe("emoji catalog", () => {
  test("groups in Unicode order, without the components; well over a thousand emoji", () => {
    expect(groups.map((g) => g.key)).toEqual(["smileys-emotion", "people-body", "animals-nature", "food-drink", "travel-places", "activities", "objects", "symbols", "flags"]);
    expect(groups.flatMap((g) => g.emoji).length).toBeGreaterThan(1800);
    expect(groups[0]!.emoji[0]!.unicode).toBe("😀");
  });

  test("every emoji the picker offers, in every skin tone, is a reaction the server accepts", () => {
    const all = groups.flatMap((g) => g.emoji).flatMap((e) => [e.unicode, ...(e.skins ?? []).map((s) => s.unicode)]);
    const refused = all.filter((e) => {
      try {
        return validateEmoji(e) !== canonical(e); // the server spells it as the picker sends it
      } catch {
        return true;
      }
    });
    expect(refused).toEqual([]);
  });

  test("search by name and keyword, every word a prefix, names first; German names in German", () => {
    expect(searchEmoji(groups, "pizza")[0]!.unicode).toBe("🍕");
    expect(canonical(searchEmoji(groups, "thumbs up")[0]!.unicode)).toBe("👍");
    expect(canonical("❤️")).toBe("❤️"); // ❤ alone is text: the selector stays
    expect(searchEmoji(groups, "house").map((e) => e.unicode)).toContain("🏡");
    expect(searchEmoji(groups, "celebrat").map((e) => e.unicode)).toContain("🎉"); // a keyword
    expect(searchEmoji(groups, "qqqq")).toEqual([]);
    const de = groupsOf(deData as CompactEmoji[], deMessages.groups);
    expect(de[0]!.name).toBe("Smileys & Emotionen");
    expect(searchEmoji(de, "kuss").length).toBeGreaterThan(0);
    expect(searchEmoji(de, "hauser").length + searchEmoji(de, "häuser").length).toBeGreaterThan(0); // diacritics fold
  });

  test("skin tones pick the matching variant; emoji without tones stay as they are", () => {
    const wave = groups.flatMap((g) => g.emoji).find((e) => e.unicode === "👋")!;
    expect(withTone(wave, 0)).toBe("👋");
    expect(withTone(wave, 3)).toBe("👋🏽");
    const pizza = searchEmoji(groups, "pizza")[0]!;
    expect(withTone(pizza, 5)).toBe("🍕");
  });

  test("recents: newest first, no repeats, bounded", () => {
    let r: string[] = [];
    for (const e of ["a", "b", "a", "c"]) r = addRecent(r, e, 2);
    expect(r).toEqual(["c", "a"]);
  });
});
