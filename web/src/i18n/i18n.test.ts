import { expect, test } from "vitest";
import { errorText, format, pluralForm, setLang, t, tn } from "./index.ts";

test("placeholders are filled and unknown ones left visible", () => {
  expect(format("At least {min} chars {x}", { min: 10 })).toBe("At least 10 chars {x}");
  expect(t("passwordHint", { min: 12 })).toBe("At least 12 characters");
});

test("error codes without a translation fall back to the server message", () => {
  expect(errorText("invalid_credentials", "x")).toBe("Wrong username or password.");
  expect(errorText("internal", "Something broke")).toBe("Something broke");
});

test("counted texts take the plural form of the language (Intl.PluralRules)", () => {
  setLang("en");
  expect(tn("membersCount", 1)).toBe("1 member");
  expect(tn("membersCount", 2)).toBe("2 members");
  expect(tn("membersCount", 0)).toBe("0 members");
  expect(tn("membersCount", 1234)).toBe("1,234 members");
  setLang("de");
  expect(tn("membersCount", 1)).toBe("1 Mitglied");
  expect(tn("membersCount", 5)).toBe("5 Mitglieder");
  expect(tn("subscribers", 1)).toBe("1 Abonnent");
  setLang("en");
  // a language with more forms picks them when its catalog has them
  const ru = { one: "{count} участник", few: "{count} участника", many: "{count} участников", other: "{count} участника" };
  expect([1, 3, 5, 21].map((n) => pluralForm(ru, n, "ru"))).toEqual([ru.one, ru.few, ru.many, ru.one]);
});

test("a replayed TOTP code says to wait for the next one; a wrong one says it is not valid", () => {
  expect(errorText("invalid_two_factor", "x", { reason: "used" })).toBe("That code was already used. Wait for the next one.");
  expect(errorText("invalid_two_factor", "x", { reason: "wrong" })).toBe("That code is not valid.");
});
