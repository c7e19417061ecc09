import { expect, test } from "vitest";
import { errorText, format, t } from "./index.ts";

test("placeholders are filled and unknown ones left visible", () => {
  expect(format("At least {min} chars {x}", { min: 10 })).toBe("At least 10 chars {x}");
  expect(t("passwordHint", { min: 12 })).toBe("At least 12 characters");
});

test("error codes without a translation fall back to the server message", () => {
  expect(errorText("invalid_credentials", "x")).toBe("Wrong username or password.");
  expect(errorText("internal", "Something broke")).toBe("Something broke");
});

test("a replayed TOTP code says to wait for the next one; a wrong one says it is not valid", () => {
  expect(errorText("invalid_two_factor", "x", { reason: "used" })).toBe("That code was already used. Wait for the next one.");
  expect(errorText("invalid_two_factor", "x", { reason: "wrong" })).toBe("That code is not valid.");
});
