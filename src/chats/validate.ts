// What people type about chats. Lengths count code points (an emoji is one), as in
// src/accounts/validate.ts; titles follow the one rule for names (src/names.ts).
import { invalidField } from "../errors.ts";
import { limits } from "../limits.ts";
import { validateName } from "../accounts/validate.ts";

const CONTROL_EXCEPT_NEWLINE = /[\u0000-\u0009\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/u;

function clean(field: string, input: string, min: number, max: number, forbidden: RegExp): string {
  const text = input.normalize("NFC").trim();
  const length = [...text].length;
  if (length < min) throw invalidField(field, "must not be empty");
  if (length > max) throw invalidField(field, `must be at most ${max} characters`);
  if (forbidden.test(text)) throw invalidField(field, "must not contain control characters");
  return text;
}

/** A title is a name others see: the same rule as display names (../names.ts). */
export const validateTitle = (input: string) => validateName("title", input, limits.chatTitleLengthMax);
export const validateDescription = (input: string) =>
  clean("description", input, 0, limits.chatDescriptionLengthMax, CONTROL_EXCEPT_NEWLINE);

/** Distinct ids without the caller; bounded per request. */
export function validateMemberIds(ids: readonly string[], selfId: string, field = "userIds"): string[] {
  const out = [...new Set(ids)].filter((id) => id !== selfId);
  if (out.length > limits.membersPerRequestMax) {
    throw invalidField(field, `at most ${limits.membersPerRequestMax} users per request`);
  }
  return out;
}

/** Page sizes: the default is a screenful, never more than limits.pageSizeMax. */
export const pageSize = (requested: number | undefined, fallback = 50) => Math.min(requested ?? fallback, limits.pageSizeMax);
