import { expect, test } from "vitest";
import { graphemes, initials, truncate } from "./text.ts";

const lone = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

test("graphemes keep emoji sequences, flags and combining marks whole", () => {
  expect(graphemes("a👨‍👩‍👧b")).toEqual(["a", "👨‍👩‍👧", "b"]);
  expect(graphemes("🇩🇪🇫🇷")).toEqual(["🇩🇪", "🇫🇷"]);
  expect(graphemes("e\u0301x")).toEqual(["e\u0301", "x"]);
  expect(graphemes("👍🏽")).toEqual(["👍🏽"]);
});

test("initials take the first grapheme of the first and last word", () => {
  expect(initials("Lopez Family 🏡")).toBe("LF");
  expect(initials("Ann Archer")).toBe("AA");
  expect(initials("ölaf")).toBe("Ö");
  expect(initials("🏡 Home")).toBe("H");
  expect(initials("🏡")).toBe("🏡");
  expect(initials("👨‍👩‍👧 ")).toBe("👨‍👩‍👧");
  expect(initials("  ")).toBe("?");
  expect(initials("Émile Zola")).toBe("ÉZ");
});

test("truncate never splits a grapheme, and marks the cut", () => {
  expect(truncate("short", 10)).toBe("short");
  const family = "Lopez Family 🏡🏡🏡";
  for (let n = 1; n < 18; n++) expect(truncate(family, n)).not.toMatch(lone);
  expect(truncate("ab👨‍👩‍👧cd", 3)).toBe("ab👨‍👩‍👧…");
  expect(truncate("🏡".repeat(100), 80)).toBe(`${"🏡".repeat(80)}…`);
});
