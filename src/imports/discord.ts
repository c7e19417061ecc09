// A Discord channel exported with DiscordChatExporter as JSON (Discord itself exports no
// chat history): { guild: { name }, channel: { name }, messages: [{ id, type, timestamp,
// timestampEdited, content, author: { name, nickname }, attachments: [{ url, fileName }],
// reference?: { messageId } }] }. With --media the attachments' url is a path beside the
// .json (percent-encoded); without, a discord.com address: a file not in the export.
// "Default" and "Reply" are messages; the other types (joins, pins, boosts, calls, renames)
// are service messages.
import { dirOf, type ImportedFile, type ImportedMessage, type ParsedExport } from "./model.ts";
import { importInvalid } from "./problems.ts";

type Json = Record<string, unknown>;
const isObject = (x: unknown): x is Json => typeof x === "object" && x !== null && !Array.isArray(x);

/** Whether parsed JSON has the shape of a DiscordChatExporter export. */
export const isDiscordExport = (root: unknown): root is Json => isObject(root) && isObject(root.guild) && isObject(root.channel) && Array.isArray(root.messages);

export function parseDiscord(root: Json, chatFile: string): ParsedExport {
  const channel = root.channel as Json;
  const guild = root.guild as Json;
  const title = [guild.name, channel.name].filter((x): x is string => typeof x === "string" && x !== "" && x !== "Direct Messages").join(" · ");
  const out: ParsedExport = { source: "discord", title, chatFile, messages: [], serviceSkipped: 0, unsupportedSkipped: 0 };
  const seen = new Set<string>();
  (root.messages as unknown[]).forEach((raw, index) => {
    if (!isObject(raw) || typeof raw.id !== "string" || raw.id === "") throw importInvalid("bad_message", `messages[${index}] has no id`, { file: chatFile });
    const where = { file: chatFile, messageId: raw.id };
    if (seen.has(raw.id)) throw importInvalid("bad_message", "Two messages have the same id", where);
    seen.add(raw.id);
    if (raw.type !== "Default" && raw.type !== "Reply") {
      out.serviceSkipped += 1;
      return;
    }
    const m = messageOf(raw, where, dirOf(chatFile));
    if (m.text.trim() === "" && m.files.length === 0) out.unsupportedSkipped += 1; // an embed or sticker only
    else out.messages.push(m);
  });
  return out;
}

function messageOf(raw: Json, where: { file: string; messageId: string }, base: string): ImportedMessage {
  const author = isObject(raw.author) ? ((raw.author.nickname || raw.author.name) as unknown) : null;
  if (typeof author !== "string" || author.trim() === "") throw importInvalid("bad_message", "A message has no author", where);
  const reference = isObject(raw.reference) && typeof raw.reference.messageId === "string" ? raw.reference.messageId : null;
  return {
    ref: raw.id as string,
    author: author.trim(),
    at: dateOf(raw.timestamp, where),
    text: typeof raw.content === "string" ? raw.content : "",
    editedAt: raw.timestampEdited === null || raw.timestampEdited === undefined ? null : dateOf(raw.timestampEdited, where),
    replyToRef: raw.type === "Reply" ? reference : null,
    files: Array.isArray(raw.attachments) ? raw.attachments.filter(isObject).map((a) => fileOf(a, base)) : [],
  };
}

// ISO 8601 with an offset, as the exporter writes it ("2025-12-31T21:05:09.123+00:00").
function dateOf(v: unknown, where: { file: string; messageId: string }): number {
  const t = typeof v === "string" && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/.test(v) ? Date.parse(v) : NaN;
  if (!Number.isFinite(t)) throw importInvalid("bad_date", `A date is missing or in an unknown form (${JSON.stringify(v ?? null)})`, where);
  return t;
}

function fileOf(a: Json, base: string): ImportedFile {
  const url = typeof a.url === "string" ? a.url : "";
  const name = typeof a.fileName === "string" && a.fileName !== "" ? a.fileName : "file";
  if (url === "" || /^[a-z]+:/i.test(url)) return { path: null, name, voice: false }; // not downloaded with the export
  let path = url.replace(/\\/g, "/");
  try {
    path = decodeURIComponent(path);
  } catch {
    // not percent-encoded after all: the path as written
  }
  return { path: base + path.replace(/^\.\//, ""), name, voice: /^voice-message\.ogg$/i.test(name) };
}
