// From a parsed export to what is stored: bounds, who each author is, the text as Hearth
// keeps it, and replies. Pure: no storage, no files.
//  - Authors: a name in `map` becomes that member (mapped); any other name is a
//    placeholder — the message's sender is the importer and the name is kept
//    (messages.import_author), for the chat's owner or an admin to map later.
//  - Text: NFC, control characters dropped, cut to limits.messageTextLengthMax (counted).
//  - A reply to a message that is not in the export (history cut before it, or deleted)
//    is kept without the reply and counted: real exports have those, so it is no error.
//  - A message left with no text and no files (Telegram polls, locations…) was skipped
//    by the parser; one whose files were all left out of the export is kept, empty,
//    with its missing-file count.
import { invalidField } from "../errors.ts";
import { newId } from "../ids.ts";
import { limits } from "../limits.ts";
import type { ImportRow } from "../storage/chats-port.ts";
import type { ImportedFile, ParsedExport } from "./model.ts";
import { importInvalid } from "./problems.ts";

const CONTROLS = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/gu;

export interface Planned {
  rows: ImportRow[];
  /** The files to store, by the row (index into rows) that carries them, in order. */
  files: { row: number; file: ImportedFile & { path: string } }[];
  authors: { name: string; userId: string | null; messages: number }[];
  repliesDropped: number;
  textsCut: number;
  missingFiles: number;
}

export const authorName = (name: string) => [...name.normalize("NFC").replace(CONTROLS, "").trim()].slice(0, limits.importAuthorNameLengthMax).join("") || "?";

/** `map`: author name (as in the export) → user id. */
export function plan(parsed: ParsedExport, importerId: string, map: ReadonlyMap<string, string>, now: number): Planned {
  const { messages, chatFile } = parsed;
  if (messages.length === 0) throw importInvalid("empty", "The export has no messages to import", { file: chatFile });
  if (messages.length > limits.importMessagesMax) {
    throw importInvalid("too_large", `The export has ${messages.length} messages; one import takes at most ${limits.importMessagesMax}`, { file: chatFile });
  }
  const counts = new Map<string, number>();
  for (const m of messages) counts.set(authorName(m.author), (counts.get(authorName(m.author)) ?? 0) + 1);
  if (counts.size > limits.importAuthorsMax) throw importInvalid("too_large", `The export has ${counts.size} senders; at most ${limits.importAuthorsMax}`, { file: chatFile });
  const mapped = new Map<string, string>();
  for (const [name, userId] of map) {
    const key = authorName(name);
    if (!counts.has(key)) throw invalidField("map", `no sender is named "${name}" in this export (senders: ${[...counts.keys()].slice(0, 20).join(", ")})`);
    mapped.set(key, userId);
  }
  const out: Planned = { rows: [], files: [], authors: [], repliesDropped: 0, textsCut: 0, missingFiles: 0 };
  const ids = new Map(messages.map((m) => [m.ref, newId(now)]));
  const present = messages.flatMap((m) => m.files).filter((f) => f.path !== null).length;
  if (present > limits.importFilesMax) throw importInvalid("too_large", `The export has ${present} files; one import takes at most ${limits.importFilesMax}`, { file: chatFile });
  for (const m of messages) {
    const author = authorName(m.author);
    const userId = mapped.get(author) ?? null;
    let text = m.text.normalize("NFC").replace(CONTROLS, "").trimEnd();
    const points = [...text];
    if (points.length > limits.messageTextLengthMax) {
      text = points.slice(0, limits.messageTextLengthMax).join("");
      out.textsCut += 1;
    }
    const replyToId = m.replyToRef === null ? null : (ids.get(m.replyToRef) ?? null);
    if (m.replyToRef !== null && replyToId === null) out.repliesDropped += 1;
    const missing = m.files.filter((f) => f.path === null).length;
    out.missingFiles += missing;
    for (const f of m.files) if (f.path !== null) out.files.push({ row: out.rows.length, file: { ...f, path: f.path } });
    out.rows.push({
      id: ids.get(m.ref)!, senderId: userId ?? importerId, text, replyToId, createdAt: m.at, editedAt: m.editedAt, mediaIds: [],
      imported: { source: parsed.source, author, mapped: userId !== null, missingFiles: missing },
    });
  }
  out.authors = [...counts].map(([name, n]) => ({ name, userId: mapped.get(name) ?? null, messages: n }));
  return out;
}
