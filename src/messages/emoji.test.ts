import { describe, expect, test } from "bun:test";
import { AppError } from "../errors.ts";
import { validateEmoji } from "./emoji.ts";

const refused = (s: string) => {
  try {
    validateEmoji(s);
    return false;
  } catch (e) {
    return e instanceof AppError && e.code === "invalid_field";
  }
};

describe("reaction emoji", () => {
  test("one emoji of any shape is accepted as given", () => {
    for (const e of ["👍", "❤️", "🏳️‍🌈", "👨‍👩‍👧‍👦", "👍🏽", "🇩🇪", "1️⃣", "#️⃣", "🏴󠁧󠁢󠁳󠁣󠁴󠁿", "🫠"]) expect(validateEmoji(e)).toBe(e);
  });

  test("a redundant variation selector is dropped; a needed one stays", () => {
    expect(validateEmoji("👍\uFE0F")).toBe("👍");
    expect(validateEmoji("👍🏽\uFE0F")).toBe("👍🏽"); // skin tone modifiers are Emoji_Presentation too
    expect(validateEmoji("❤\uFE0F")).toBe("❤\uFE0F");
  });

  test("text, several emoji, bare components and hidden characters are refused", () => {
    for (const s of ["", "a", "ok", "👍👍", "👍 ", " ", "1", "#", "\u200D", "🏽", "🇩", "👍\u202E", "\u0000", "👍a", "<b>"]) expect(refused(s)).toBe(true);
  });
});
