// Validation of what people type about accounts. Each function returns the value to
// store (normalized) or throws AppError `invalid_field` / `weak_password` with a reason
// a person can act on. Lengths count Unicode code points, not UTF-16 units, so an
// emoji counts as one character, as people expect.
import { AppError, invalidField } from "../errors.ts";
import { limits } from "../limits.ts";
import { nameProblem } from "../names.ts";

const codePoints = (s: string) => [...s].length;

// C0/C1 controls (newline, tab, escape …) and bidi overrides that let a name render
// as something else ("evil\u202Egnp.exe"). Emoji joiners (U+200D) stay allowed.
const CONTROL = /[\p{Cc}\u202A-\u202E\u2066-\u2069]/u;
const CONTROL_EXCEPT_NEWLINE = /[\u0000-\u0009\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/u;

/**
 * Letters, digits and `_`, plus `.` and `-` between other characters (not first,
 * last, or next to each other). Case is kept as typed; uniqueness ignoring case is
 * storage's job. Returns the trimmed name.
 */
export function validateUsername(input: unknown): string {
  const name = typeof input === "string" ? input.trim() : "";
  const { usernameLengthMin: min, usernameLengthMax: max } = limits;
  if (name.length < min || name.length > max) {
    throw invalidField("username", `must be ${min}–${max} characters`);
  }
  if (!/^[a-z0-9_.-]+$/i.test(name)) {
    throw invalidField("username", "may contain only letters a–z, digits, _ . and -");
  }
  if (/^[.-]|[.-]$/.test(name)) throw invalidField("username", "may not start or end with . or -");
  if (/[.-]{2}/.test(name)) throw invalidField("username", "may not contain . or - twice in a row");
  return name;
}

/** Passwords are never trimmed or normalized: what was typed is what gets hashed. */
export function validatePassword(input: unknown): string {
  if (typeof input !== "string") throw invalidField("password", "must be text");
  const length = codePoints(input);
  if (length < limits.passwordLengthMin) {
    throw new AppError("weak_password", `password must be at least ${limits.passwordLengthMin} characters`, {
      minLength: limits.passwordLengthMin,
    });
  }
  if (length > limits.passwordLengthMax) {
    throw invalidField("password", `must be at most ${limits.passwordLengthMax} characters`);
  }
  return input;
}

function cleanText(field: string, input: unknown, min: number, max: number, forbidden: RegExp): string {
  if (typeof input !== "string") throw invalidField(field, "must be text");
  const text = input.normalize("NFC").trim();
  const length = codePoints(text);
  if (length < min) throw invalidField(field, min === 1 ? "must not be empty" : `must be at least ${min} characters`);
  if (length > max) throw invalidField(field, `must be at most ${max} characters`);
  if (forbidden.test(text)) throw invalidField(field, "must not contain control characters");
  return text;
}

/** A name others see: also free of invisible and look-alike characters (../names.ts). */
export function validateName(field: string, input: unknown, max: number): string {
  const text = cleanText(field, input, 1, max, CONTROL);
  const problem = nameProblem(text);
  if (problem) throw invalidField(field, problem);
  return text;
}

export const validateDisplayName = (input: unknown) => validateName("displayName", input, limits.displayNameLengthMax);

/** A bio may span lines (Windows line ends become \n); other control characters are refused. */
export const validateBio = (input: unknown) =>
  cleanText("bio", typeof input === "string" ? input.replace(/\r\n?/g, "\n") : input, 0, limits.bioLengthMax, CONTROL_EXCEPT_NEWLINE);

export const validateDeviceName = (input: unknown) => validateName("deviceName", input, limits.deviceNameLengthMax);
