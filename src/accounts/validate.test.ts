import { describe, expect, test } from "bun:test";
import { AppError } from "../errors.ts";
import { limits } from "../limits.ts";
import { validateBio, validateDeviceName, validateDisplayName, validatePassword, validateUsername } from "./validate.ts";

function errorOf(fn: () => unknown): AppError {
  try {
    fn();
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error("expected an AppError");
}

describe("validateUsername", () => {
  test("accepts letters, digits, _ and inner . -, trims, keeps case", () => {
    expect(validateUsername("  Ada_Lovelace ")).toBe("Ada_Lovelace");
    expect(validateUsername("a.b-c_d")).toBe("a.b-c_d");
    expect(validateUsername("_x_")).toBe("_x_");
    expect(validateUsername("a".repeat(limits.usernameLengthMax))).toHaveLength(limits.usernameLengthMax);
  });

  test.each([
    ["ab", "characters"],
    ["a".repeat(limits.usernameLengthMax + 1), "characters"],
    [".abc", "start or end"],
    ["abc-", "start or end"],
    ["a..b", "twice"],
    ["a.-b", "twice"],
    ["a b", "only letters"],
    ["jürgen", "only letters"],
    ["a@b.c", "only letters"],
  ])("refuses %p with invalid_field mentioning %p", (name, reason) => {
    const e = errorOf(() => validateUsername(name));
    expect(e.code).toBe("invalid_field");
    expect((e.data as { field: string }).field).toBe("username");
    expect((e.data as { reason: string }).reason).toContain(reason);
  });

  test("non-string input is invalid_field", () => {
    expect(errorOf(() => validateUsername(42)).code).toBe("invalid_field");
  });
});

describe("validatePassword", () => {
  test("short password is weak_password with minLength", () => {
    const e = errorOf(() => validatePassword("short"));
    expect(e.code).toBe("weak_password");
    expect(e.data).toEqual({ minLength: limits.passwordLengthMin });
  });

  test("counts code points, never trims", () => {
    const pw = " " + "🔥".repeat(limits.passwordLengthMin - 2) + " ";
    expect(validatePassword(pw)).toBe(pw);
    expect(errorOf(() => validatePassword("🔥".repeat(limits.passwordLengthMin - 1))).code).toBe("weak_password");
  });

  test("too long is invalid_field", () => {
    const e = errorOf(() => validatePassword("x".repeat(limits.passwordLengthMax + 1)));
    expect(e.code).toBe("invalid_field");
    expect(validatePassword("x".repeat(limits.passwordLengthMax))).toHaveLength(limits.passwordLengthMax);
  });
});

describe("display name, bio, device name", () => {
  test("trim and NFC-normalize", () => {
    expect(validateDisplayName("  Ada  ")).toBe("Ada");
    expect(validateDisplayName("Jose\u0301")).toBe("José");
    expect(validateDeviceName(" Firefox on Linux ")).toBe("Firefox on Linux");
  });

  test("refuse control characters and bidi overrides, allow emoji joiners", () => {
    expect(errorOf(() => validateDisplayName("a\nb")).code).toBe("invalid_field");
    expect(errorOf(() => validateDisplayName("evil\u202Egnp.exe")).code).toBe("invalid_field");
    expect(errorOf(() => validateDeviceName("tab\there")).code).toBe("invalid_field");
    expect(validateDisplayName("👩‍💻 dev")).toBe("👩‍💻 dev");
  });

  test("empty display/device names refused, empty bio allowed", () => {
    expect(errorOf(() => validateDisplayName("   ")).code).toBe("invalid_field");
    expect(errorOf(() => validateDeviceName("")).code).toBe("invalid_field");
    expect(validateBio("  ")).toBe("");
  });

  test("bio keeps line breaks, converts CRLF, refuses other controls", () => {
    expect(validateBio("line one\r\nline two")).toBe("line one\nline two");
    expect(errorOf(() => validateBio("bell\u0007")).code).toBe("invalid_field");
  });

  test("length bounds in code points", () => {
    expect(validateDisplayName("😀".repeat(limits.displayNameLengthMax))).toHaveLength(limits.displayNameLengthMax * 2);
    expect(errorOf(() => validateDisplayName("x".repeat(limits.displayNameLengthMax + 1))).code).toBe("invalid_field");
    expect(errorOf(() => validateBio("x".repeat(limits.bioLengthMax + 1))).code).toBe("invalid_field");
    expect(errorOf(() => validateDeviceName("x".repeat(limits.deviceNameLengthMax + 1))).code).toBe("invalid_field");
  });
});
