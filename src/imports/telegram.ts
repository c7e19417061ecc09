// Telegram Desktop's "Export chat history" in JSON: result.json (one chat: name, type,
// id, messages[]) with the media in folders beside it (photos/, voice_messages/, files/,
// video_files/, stickers/ …). A message is { id, type "message" | "service", date,
// date_unixtime, from, from_id, text (a string or an array of strings and { type, text }
// entities), reply_to_message_id?, edited_unixtime?, photo?, file?, media_type?, … }. A
// file the export left out reads "(File not included. Change data exporting settings to
// download.)" or "(File exceeds maximum size. …)". Service messages (joins, pins, title changes) are counted, not imported.
// The account-wide export ("Export Telegram data": chats.list[]) is refused: it has many
// chats and Hearth imports one at a time.
import { importInvalid } from "./problems.ts";
import { dirOf, type ImportedFile, type ImportedMessage, type ParsedExport } from "./model.ts";

// "(File not included. Change data exporting settings to download.)" and "(File exceeds
// maximum size. …)": what Telegram writes instead of a path it did not export.
const NOT_INCLUDED = /^\(File (?:not included|exceeds maximum size)/;

type Json = Record<string, unknown>;

export function parseTelegram(bytes: Uint8Array, chatFile: string): ParsedExport {
  let root: unknown;
  try {
    root = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch (err) {
    throw importInvalid("bad_json", `result.json is not valid JSON: ${(err as Error).message}`, { file: chatFile });
  }
  if (!isObject(root)) throw importInvalid("bad_json", "result.json is not a JSON object", { file: chatFile });
  if (!Array.isArray(root.messages)) {
    const why = isObject(root.chats) ? "This is a whole-account export; export a single chat (chat menu → Export chat history)" : "result.json has no messages list";
    throw importInvalid("unknown_format", why, { file: chatFile });
  }
  const base = dirOf(chatFile);
  const out: ParsedExport = {
    source: "telegram",
    title: typeof root.name === "string" ? root.name : "",
    chatFile,
    messages: [],
    serviceSkipped: 0,
    unsupportedSkipped: 0,
  };
  const seen = new Set<string>();
  root.messages.forEach((raw: unknown, index: number) => {
    const m = message(raw, index, base, chatFile);
    if (typeof m === "object") {
      if (seen.has(m.ref)) throw importInvalid("bad_message", "Two messages have the same id", { file: chatFile, messageId: m.ref });
      seen.add(m.ref);
    }
    if (m === "service") out.serviceSkipped += 1;
    else if (m === "unsupported") out.unsupportedSkipped += 1;
    else out.messages.push(m);
  });
  return out;
}

function message(raw: unknown, index: number, base: string, file: string): ImportedMessage | "service" | "unsupported" {
  if (!isObject(raw)) throw importInvalid("bad_message", `messages[${index}] is not an object`, { file });
  const id = raw.id;
  if (typeof id !== "number" || !Number.isInteger(id)) throw importInvalid("bad_message", `messages[${index}] has no numeric id`, { file });
  const where = { file, messageId: String(id) };
  if (raw.type === "service") return "service";
  if (raw.type !== "message") throw importInvalid("bad_message", `Unknown message type ${JSON.stringify(raw.type)}`, where);
  const at = dateOf(raw.date_unixtime, raw.date, where);
  const editedAt = raw.edited_unixtime !== undefined || raw.edited !== undefined ? dateOf(raw.edited_unixtime, raw.edited, where) : null;
  const text = textOf(raw.text, where);
  const files = filesOf(raw, base);
  if (text.trim() === "" && files.length === 0) return "unsupported"; // a poll, location, contact, game …
  const reply = raw.reply_to_message_id;
  return {
    ref: String(id),
    author: authorOf(raw),
    at,
    text,
    editedAt,
    replyToRef: typeof reply === "number" ? String(reply) : null,
    files,
  };
}

/** Senders without a name: a deleted account (from null), or a channel post signed by nobody. */
function authorOf(raw: Json): string {
  if (typeof raw.from === "string" && raw.from.trim() !== "") return raw.from.trim();
  if (typeof raw.from_id === "string") return raw.from_id;
  return "Deleted Account";
}

function dateOf(unix: unknown, iso: unknown, where: { file: string; messageId: string }): number {
  if (typeof unix === "string" && /^\d{1,12}$/.test(unix)) return Number(unix) * 1000;
  // Older exports have only the local time the exporting computer showed, without a zone: read as UTC.
  if (typeof iso === "string" && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/.test(iso)) {
    const t = Date.parse(`${iso}Z`);
    if (Number.isFinite(t)) return t;
  }
  throw importInvalid("bad_date", `A date is missing or in an unknown form (${JSON.stringify(unix ?? iso ?? null)})`, where);
}

function textOf(text: unknown, where: { file: string; messageId: string }): string {
  if (text === undefined) return "";
  if (typeof text === "string") return text;
  if (!Array.isArray(text)) throw importInvalid("bad_message", "text is neither a string nor a list of entities", where);
  return text
    .map((part: unknown) => {
      if (typeof part === "string") return part;
      if (isObject(part) && typeof part.text === "string") return part.text;
      throw importInvalid("bad_message", "A text entity has no text", where);
    })
    .join("");
}

function filesOf(raw: Json, base: string): ImportedFile[] {
  const files: ImportedFile[] = [];
  const add = (path: unknown, voice: boolean, name?: unknown) => {
    if (typeof path !== "string" || path === "") return;
    const included = !NOT_INCLUDED.test(path);
    const own = typeof name === "string" && name !== "" ? name : included ? path.slice(path.lastIndexOf("/") + 1) : "file";
    files.push({ path: included ? base + path : null, name: own, voice });
  };
  add(raw.photo, false);
  add(raw.file, raw.media_type === "voice_message", raw.file_name);
  return files;
}

const isObject = (x: unknown): x is Json => typeof x === "object" && x !== null && !Array.isArray(x);
