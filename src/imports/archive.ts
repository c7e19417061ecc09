// Which export an archive holds: a Telegram result.json (at the root or in the one folder
// Telegram Desktop writes, e.g. ChatExport_2025-12-31/) wins over a WhatsApp chat file,
// which wins over any other .json (read as a DiscordChatExporter channel); the shallowest
// match counts. Then the chat file is read (≤ limits.importChatFileBytesMax)
// and parsed.
import { limits } from "../limits.ts";
import type { ParsedExport } from "./model.ts";
import { importInvalid } from "./problems.ts";
import { parseTelegram } from "./telegram.ts";
import { isWhatsAppChatFile, parseWhatsApp } from "./whatsapp.ts";
import { isDiscordExport, parseDiscord } from "./discord.ts";
import type { ZipArchive, ZipEntry } from "./zip.ts";

const depth = (name: string) => name.split("/").length - 1;

function shallowest(entries: Iterable<ZipEntry>, match: (name: string) => boolean): ZipEntry | null {
  let best: ZipEntry | null = null;
  for (const e of entries) {
    if (e.name.startsWith("__MACOSX/") || !match(e.name) || depth(e.name) > 1) continue;
    if (!best || depth(e.name) < depth(best.name)) best = e;
  }
  return best;
}

export async function parseArchive(zip: ZipArchive): Promise<ParsedExport> {
  const telegram = shallowest(zip.entries.values(), (n) => n === "result.json" || n.endsWith("/result.json"));
  const whatsapp = telegram ? null : shallowest(zip.entries.values(), isWhatsAppChatFile);
  // DiscordChatExporter names its file after the channel: any other .json is tried as one
  const discord = telegram || whatsapp ? null : shallowest(zip.entries.values(), (n) => n.toLowerCase().endsWith(".json"));
  const entry = telegram ?? whatsapp ?? discord;
  if (!entry) {
    throw importInvalid("unknown_format", "The archive holds neither a Telegram export (result.json), a WhatsApp chat (_chat.txt or \"WhatsApp Chat with … .txt\") nor a Discord channel (DiscordChatExporter .json)");
  }
  if (entry.size > limits.importChatFileBytesMax) {
    throw importInvalid("too_large", `The chat file is larger than ${limits.importChatFileBytesMax} bytes`, { file: entry.name });
  }
  const bytes = await zip.read(entry);
  const parsed = telegram ? parseTelegram(bytes, entry.name) : whatsapp ? parseWhatsApp(bytes, entry.name, (p) => zip.entries.has(p)) : discordOf(bytes, entry.name);
  // A file the chat file names but the archive lacks (a partial export, a folder zipped
  // without its media) is a missing file like one the export left out: counted, not fatal.
  for (const m of parsed.messages) for (const f of m.files) if (f.path !== null && !zip.entries.has(f.path)) f.path = null;
  return parsed;
}

function discordOf(bytes: Uint8Array, file: string): ParsedExport {
  let root: unknown;
  try {
    root = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch (err) {
    throw importInvalid("bad_json", `${file} is not valid JSON: ${(err as Error).message}`, { file });
  }
  if (!isDiscordExport(root)) throw importInvalid("unknown_format", "This .json is no Telegram, WhatsApp or DiscordChatExporter export", { file });
  return parseDiscord(root, file);
}
