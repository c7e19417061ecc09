// Message text rules and entity extraction. Clients render a small markdown subset
// (**bold**, _italic_, ~~strike~~, `code`, ```code blocks```, links); the server keeps
// the text as typed and extracts only what it must act on: mentions (to notify and
// count) and hashtags (to index for search). Text inside code is not scanned, so a
// pasted `@admin` or `#include` does nothing.
import { invalidField } from "../errors.ts";
import { limits } from "../limits.ts";
import { usernameKey } from "../storage/errors.ts";
import type { Entity } from "../storage/chats-port.ts";

/** What the text asks for; mentions are resolved against chat members afterwards. */
export interface Extracted {
  mentions: { offset: number; length: number; key: string }[];
  mentionAll: { offset: number; length: number }[];
  hashtags: { offset: number; length: number; tag: string }[];
}

// C0/C1 controls except tab and newline, and bidi overrides that disguise text.
const FORBIDDEN = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/u;
export const hasForbiddenChars = (text: string) => FORBIDDEN.test(text);

/** Returns the text to store (NFC, trailing whitespace trimmed) or throws invalid_field. */
export function validateText(input: string): string {
  const text = input.normalize("NFC").trimEnd();
  if (text.trim().length === 0) throw invalidField("text", "must not be empty");
  const length = [...text].length;
  if (length > limits.messageTextLengthMax) throw invalidField("text", `must be at most ${limits.messageTextLengthMax} characters`);
  if (FORBIDDEN.test(text)) throw invalidField("text", "must not contain control characters");
  return text;
}

// A mention or hashtag starts the text or follows whitespace or an opening bracket or
// quote, so "a@b.com" and "example.com/#frag" are neither.
const BOUNDARY = String.raw`(?<=^|[\s(\[{"'«“])`;
const MENTION = new RegExp(`${BOUNDARY}@([a-z0-9_](?:[a-z0-9_.-]*[a-z0-9_])?)`, "giu");
const HASHTAG = new RegExp(`${BOUNDARY}#([\\p{L}\\p{N}_]+)`, "gu");
const CODE = /```[\s\S]*?```|`[^`\n]*`/g;

export function extract(text: string): Extracted {
  const scan = text.replace(CODE, (m) => " ".repeat(m.length)); // same offsets, code blanked
  const out: Extracted = { mentions: [], mentionAll: [], hashtags: [] };
  for (const m of scan.matchAll(MENTION)) {
    const name = m[1]!;
    const at = { offset: m.index!, length: name.length + 1 };
    if (name.toLowerCase() === "all") out.mentionAll.push(at);
    else if (name.length <= limits.usernameLengthMax) out.mentions.push({ ...at, key: usernameKey(name) });
  }
  for (const m of scan.matchAll(HASHTAG)) {
    const tag = m[1]!;
    if ([...tag].length > limits.hashtagLengthMax || /^\d+$/.test(tag)) continue; // "#1" is a number, not a topic
    out.hashtags.push({ offset: m.index!, length: tag.length + 1, tag: tag.normalize("NFKC").toLowerCase() });
  }
  return out;
}

/**
 * Entities to store: mentions of people who are members (others stay plain text),
 * `@all` only when the sender may use it, hashtags always; bounded and in text order.
 */
export function resolveEntities(found: Extracted, members: Map<string, string>, mayMentionAll: boolean): Entity[] {
  const entities: Entity[] = [];
  for (const m of found.mentions) {
    const userId = members.get(m.key);
    if (userId) entities.push({ type: "mention", offset: m.offset, length: m.length, userId });
  }
  if (mayMentionAll) for (const m of found.mentionAll) entities.push({ type: "mention_all", ...m });
  for (const h of found.hashtags) entities.push({ type: "hashtag", ...h });
  entities.sort((a, b) => a.offset - b.offset);
  return entities.slice(0, limits.messageEntitiesMax);
}

/** Distinct user ids mentioned, and whether everyone was. */
export function mentionsOf(entities: readonly Entity[]): { userIds: string[]; all: boolean } {
  const ids = new Set<string>();
  let all = false;
  for (const e of entities) {
    if (e.type === "mention") ids.add(e.userId);
    else if (e.type === "mention_all") all = true;
  }
  return { userIds: [...ids], all };
}

export const hashtagsOf = (entities: readonly Entity[]): string[] =>
  [...new Set(entities.flatMap((e) => (e.type === "hashtag" ? [e.tag] : [])))];
