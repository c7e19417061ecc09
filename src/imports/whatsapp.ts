// WhatsApp's "Export chat": one text file (_chat.txt from iPhones, "WhatsApp Chat with
// X.txt" from Android) with the media beside it, usually in WhatsApp's own ZIP. A message
// starts a line with its date and time and goes on over the next lines until the next
// such line. The forms seen (the phone's locale decides):
//   [31/12/2025, 21:05:09] Name: text          iPhone
//   31/12/25, 21:05 - Name: text               Android, day first
//   12/31/25, 9:05 PM - Name: text             Android, US (month first, 12-hour)
// with "." or "/" between the date's parts and narrow no-break spaces before AM/PM. Which
// of day and month comes first is decided once for the whole file (a part above 12 tells;
// otherwise a 12-hour clock means month first). Lines without "Name:" are system lines
// (encryption notice, joins, subject changes): counted, not imported; so are iPhone notices
// written under the group's name, whose text starts with U+200E, and what is left of
// messages deleted before the export ("This message was deleted"). Attachments:
// "<attached: 00000012-PHOTO-2025-12-31-21-05-09.jpg>" (iPhone) or
// "IMG-20251231-WA0001.jpg (file attached)" (Android); "<Media omitted>" and
// "image omitted" when exported without media. "<This message was edited>" marks an
// edit (its time is not in the file: the message's own time is used). U+200E marks are
// dropped. Times are the phone's local time without a zone: read as UTC.
import { importInvalid } from "./problems.ts";
import { dirOf, type ImportedFile, type ImportedMessage, type ParsedExport } from "./model.ts";

const SP = "[ \\u00a0\\u202f]";
const DATE = "(\\d{1,2})[./-](\\d{1,2})[./-](\\d{2,4}),?";
const TIME = `(\\d{1,2})[:.](\\d{2})(?:[:.](\\d{2}))?(?:${SP}?([AaPp])\\.?${SP}?[Mm]\\.?)?`;
const IOS = new RegExp(`^\\[${DATE}${SP}${TIME}\\]${SP}(.*)$`, "s");
const ANDROID = new RegExp(`^${DATE}${SP}${TIME}${SP}[-–]${SP}(.*)$`, "s");

const MARKS = /[\u200e\u200f\u202a-\u202e]/g;
const EDITED = /\s*<This message was edited>\s*$/;
const IOS_ATTACHED = /<attached: ([^>]+)>/;
const ANDROID_ATTACHED = /^(.+?) \(file attached\)$/m;
const OMITTED = /^(?:<Media omitted>|(?:image|video|audio|sticker|GIF|document) omitted)$/i;
const VOICE = /^(?:PTT-|\d+-AUDIO-).*\.(?:opus|ogg|m4a)$/i;
// What is left of a message deleted before the export: nothing to import.
const DELETED = /^(?:This message was deleted|You deleted this message)\.?$/;

interface Header {
  line: number;
  parts: [number, number, number]; // as written: a/b/year
  h: number;
  min: number;
  s: number;
  ampm: string | undefined;
  rest: string;
  marked: boolean; // the text after "Name: " began with U+200E: how iPhones flag notices and attachments
}

export function isWhatsAppChatFile(name: string): boolean {
  const base = name.slice(name.lastIndexOf("/") + 1);
  return base === "_chat.txt" || /^WhatsApp Chat (?:with|-) .+\.txt$/.test(base);
}

export function parseWhatsApp(bytes: Uint8Array, chatFile: string, present: (path: string) => boolean): ParsedExport {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw importInvalid("unknown_format", "The chat file is not UTF-8 text", { file: chatFile });
  }
  const headers = splitMessages(text.replace(/^\ufeff/, "").split(/\r?\n/), chatFile);
  if (headers.length === 0) throw importInvalid("empty", "The chat file holds no messages", { file: chatFile });
  const dayFirst = dayFirstOf(headers, chatFile);
  const out: ParsedExport = { source: "whatsapp", title: titleOf(chatFile), chatFile, messages: [], serviceSkipped: 0, unsupportedSkipped: 0 };
  const base = dirOf(chatFile);
  for (const h of headers) {
    const at = timeOf(h, dayFirst, chatFile);
    const m = /^([^:\n]{1,200}): ([\s\S]*)$/.exec(h.rest);
    if (!m) {
      out.serviceSkipped += 1;
      continue;
    }
    if (DELETED.test(m[2]!.trim())) {
      out.serviceSkipped += 1;
      continue;
    }
    const msg = messageOf(h, m[1]!.trim(), m[2]!, at, base, present);
    // "Group: ‎Messages and calls are end-to-end encrypted…": a notice under the group's name
    if (h.marked && msg.files.length === 0) out.serviceSkipped += 1;
    else out.messages.push(msg);
  }
  return out;
}

function splitMessages(lines: string[], file: string): Header[] {
  const out: Header[] = [];
  lines.forEach((raw, i) => {
    const line = raw.replace(MARKS, "");
    const m = IOS.exec(line) ?? ANDROID.exec(line);
    if (m) {
      const marked = /^\u200e?\[[^\]]+\][ \u00a0\u202f][^:]{1,200}: \u200e/.test(raw);
      out.push({ line: i + 1, parts: [Number(m[1]), Number(m[2]), Number(m[3])], h: Number(m[4]), min: Number(m[5]), s: Number(m[6] ?? 0), ampm: m[7], rest: m[8]!, marked });
      return;
    }
    const last = out.at(-1);
    if (!last) {
      if (line.trim() === "") return;
      throw importInvalid("bad_date", "The first message does not start with a date in a form WhatsApp writes", { file, line: i + 1 });
    }
    last.rest += `\n${line}`;
  });
  return out;
}

function dayFirstOf(headers: Header[], file: string): boolean {
  const firstBig = headers.find((h) => h.parts[0] > 12);
  const secondBig = headers.find((h) => h.parts[1] > 12);
  if (firstBig && secondBig) throw importInvalid("bad_date", "Dates are neither all day-first nor all month-first", { file, line: secondBig.line });
  if (firstBig) return true;
  if (secondBig) return false;
  return !headers.some((h) => h.ampm !== undefined);
}

function timeOf(h: Header, dayFirst: boolean, file: string): number {
  const [a, b, y] = h.parts;
  const day = dayFirst ? a : b;
  const month = dayFirst ? b : a;
  const year = y < 100 ? 2000 + y : y;
  let hour = h.h;
  if (h.ampm) {
    if (hour < 1 || hour > 12) throw importInvalid("bad_date", "A 12-hour time has an hour outside 1–12", { file, line: h.line });
    hour = (hour % 12) + (h.ampm.toLowerCase() === "p" ? 12 : 0);
  }
  const t = Date.UTC(year, month - 1, day, hour, h.min, h.s);
  const d = new Date(t);
  if (month < 1 || month > 12 || d.getUTCDate() !== day || hour > 23 || h.min > 59 || h.s > 59 || year < 2009) {
    throw importInvalid("bad_date", "A date or time does not exist", { file, line: h.line });
  }
  return t;
}

function messageOf(h: Header, author: string, body: string, at: number, base: string, present: (p: string) => boolean): ImportedMessage {
  let text = body;
  const edited = EDITED.test(text);
  if (edited) text = text.replace(EDITED, "");
  const files: ImportedFile[] = [];
  const attached = IOS_ATTACHED.exec(text) ?? ANDROID_ATTACHED.exec(text);
  if (attached) {
    const name = attached[1]!.trim();
    files.push({ path: present(base + name) ? base + name : null, name, voice: VOICE.test(name) });
    text = text.replace(attached[0], "");
  } else if (OMITTED.test(text.split("\n")[0]!.trim())) {
    files.push({ path: null, name: "file", voice: false });
    text = text.split("\n").slice(1).join("\n");
  }
  return { ref: `line ${h.line}`, author, at, text: text.trim(), editedAt: edited ? at : null, replyToRef: null, files };
}

function titleOf(chatFile: string): string {
  const m = /WhatsApp Chat (?:with|-) (.+)\.txt$/.exec(chatFile);
  return m ? m[1]! : "";
}
