// Export archives the import tests write themselves (nothing downloaded): a ZIP writer
// (stored or deflated entries, with a way to lie about sizes for the zip-bomb and
// truncation cases), a Telegram Desktop export and a WhatsApp export in the shapes those
// apps write, with real media (a JPEG with GPS EXIF made by sharp, the repo's Opus voice
// and MP4 video fixtures).
import { deflateRawSync } from "node:zlib";

export interface ZipInput {
  name: string;
  data: Uint8Array | string;
  store?: boolean; // method 0 instead of deflate
  declaredSize?: number; // what the directory says it unpacks to (a lie, for bombs)
}

const u8 = (d: Uint8Array | string) => (typeof d === "string" ? new TextEncoder().encode(d) : d);

export function zipOf(entries: ZipInput[]): Uint8Array {
  const locals: Buffer[] = [];
  const cen: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const data = u8(e.data);
    const body = e.store ? Buffer.from(data) : deflateRawSync(data);
    const name = Buffer.from(e.name, "utf8");
    const crc = Bun.hash.crc32(data) >>> 0;
    const size = e.declaredSize ?? data.byteLength;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(e.store ? 0 : 8, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    locals.push(local, name, body);
    const c = Buffer.alloc(46);
    c.writeUInt32LE(0x02014b50, 0);
    c.writeUInt16LE(20, 4);
    c.writeUInt16LE(20, 6);
    c.writeUInt16LE(0x0800, 8);
    c.writeUInt16LE(e.store ? 0 : 8, 10);
    c.writeUInt32LE(crc, 16);
    c.writeUInt32LE(body.length, 20);
    c.writeUInt32LE(size, 24);
    c.writeUInt16LE(name.length, 28);
    c.writeUInt32LE(offset, 42);
    cen.push(c, name);
    offset += 30 + name.length + body.length;
  }
  const cenBytes = Buffer.concat(cen);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cenBytes.length, 12);
  end.writeUInt32LE(offset, 16);
  return new Uint8Array(Buffer.concat([...locals, cenBytes, end]));
}

const media = (name: string) => Bun.file(new URL(`./fixtures/media/${name}`, import.meta.url).pathname).bytes();

/** A 400×300 JPEG that carries GPS EXIF (to prove the import strips it). */
export async function exifJpeg(): Promise<Uint8Array> {
  const sharp = (await import("sharp")).default;
  const jpeg = await sharp({ create: { width: 400, height: 300, channels: 3, background: "#d07030" } })
    .jpeg()
    .withExifMerge({ IFD0: { Make: "ExportCam" }, IFD3: { GPSLatitudeRef: "N", GPSLatitude: "59/1 56/1 0/1", GPSLongitudeRef: "E", GPSLongitude: "30/1 18/1 0/1" } })
    .toBuffer();
  return new Uint8Array(jpeg);
}

const NOT_INCLUDED = "(File not included. Change data exporting settings to download.)";
const unix = (iso: string) => String(Date.parse(`${iso}Z`) / 1000);

/** One Telegram message as Telegram Desktop writes it. */
function tg(id: number, iso: string, from: string, fromId: string, text: unknown, extra: Record<string, unknown> = {}) {
  return { id, type: "message", date: iso, date_unixtime: unix(iso), from, from_id: fromId, text, text_entities: [], ...extra };
}

export const TELEGRAM_DIR = "ChatExport_2025-12-31";

/** result.json of a small group: service messages, entities, a reply, an edit, a photo, a voice message, a video, a missing file. */
export function telegramResult(): Record<string, unknown> {
  return {
    name: "Семья 👪 家族",
    type: "private_group",
    id: 4242,
    messages: [
      { id: 1, type: "service", date: "2025-12-31T20:00:00", date_unixtime: unix("2025-12-31T20:00:00"), actor: "Анна Петрова", actor_id: "user1", action: "create_group", title: "Семья", members: ["Анна Петрова"], text: "", text_entities: [] },
      tg(2, "2025-12-31T20:01:00", "Анна Петрова", "user1", "Всем привет! С наступающим 🎄"),
      tg(3, "2025-12-31T20:02:30", "田中 太郎", "user2", ["Happy new year, ", { type: "bold", text: "everyone" }, "!\nSecond line of a long message."], { edited: "2025-12-31T20:05:00", edited_unixtime: unix("2025-12-31T20:05:00") }),
      tg(4, "2025-12-31T20:03:00", "🦊 Fox", "user3", "Replying to Anna", { reply_to_message_id: 2 }),
      tg(5, "2025-12-31T20:04:00", "Анна Петрова", "user1", "Фото с ёлки", { photo: "photos/photo_1@31-12-2025_20-04-00.jpg", width: 400, height: 300 }),
      tg(6, "2025-12-31T20:05:00", "田中 太郎", "user2", "", { file: "voice_messages/audio_1@31-12-2025_20-05-00.ogg", media_type: "voice_message", mime_type: "audio/ogg", duration_seconds: 2 }),
      tg(7, "2025-12-31T20:06:00", "🦊 Fox", "user3", "", { file: "video_files/clip.mp4", media_type: "video_file", mime_type: "video/mp4", duration_seconds: 2, width: 64, height: 48 }),
      tg(8, "2025-12-31T20:07:00", "Анна Петрова", "user1", "The big file", { file: NOT_INCLUDED, media_type: "video_file", mime_type: "video/mp4" }),
      tg(9, "2025-12-31T20:08:00", "🦊 Fox", "user3", "Reply to something older than the export", { reply_to_message_id: 999 }),
      { id: 10, type: "service", date: "2025-12-31T20:09:00", date_unixtime: unix("2025-12-31T20:09:00"), actor: "Анна Петрова", actor_id: "user1", action: "pin_message", message_id: 2, text: "", text_entities: [] },
      tg(11, "2025-12-31T20:10:00", "Анна Петрова", "user1", "", { poll: { question: "Салат?", answers: [] } }),
      tg(12, "2025-12-31T20:11:00", "🦊 Fox", "user3", "", { photo: "(File exceeds maximum size. Change data exporting settings to download.)" }),
    ],
  };
}

export async function telegramZip(result: unknown = telegramResult(), drop: string[] = []): Promise<Uint8Array> {
  const files: ZipInput[] = [
    { name: `${TELEGRAM_DIR}/result.json`, data: typeof result === "string" ? result : JSON.stringify(result, null, 1) },
    { name: `${TELEGRAM_DIR}/photos/photo_1@31-12-2025_20-04-00.jpg`, data: await exifJpeg(), store: true },
    { name: `${TELEGRAM_DIR}/voice_messages/audio_1@31-12-2025_20-05-00.ogg`, data: await media("voice-1500ms.ogg"), store: true },
    { name: `${TELEGRAM_DIR}/video_files/clip.mp4`, data: await media("video-2s-64x48.mp4"), store: true },
  ];
  return zipOf(files.filter((f) => !drop.some((d) => f.name.endsWith(d))));
}

/** An iPhone _chat.txt: bracketed dates, U+200E marks, <attached: …>, system lines, an edit, a multi-line message. */
export function whatsappChat(): string {
  const L = "\u200e";
  return [
    `[31/12/2025, 21:00:00] Семья: ${L}Messages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them.`,
    `[31/12/2025, 21:01:05] Мария Иванова: С Новым годом!`,
    `Это второе сообщение в несколько строк`,
    `и третья строка`,
    `[31/12/2025, 21:02:10] 李小龙: 新年快乐 🎆`,
    `${L}[31/12/2025, 21:03:00] Мария Иванова: ${L}<attached: 00000012-PHOTO-2025-12-31-21-03-00.jpg>`,
    `${L}[31/12/2025, 21:04:00] 李小龙: ${L}<attached: 00000013-AUDIO-2025-12-31-21-04-00.opus>`,
    `[31/12/2025, 21:05:09] Мария Иванова: Fixed a typo ${L}<This message was edited>`,
    `${L}[31/12/2025, 21:06:00] 李小龙: ${L}image omitted`,
    `${L}[31/12/2025, 21:07:00] Мария Иванова added 🐙 Octo`,
    `[31/12/2025, 21:08:00] 🐙 Octo: Hi all`,
  ].join("\r\n");
}

export async function whatsappZip(chat = whatsappChat(), name = "_chat.txt"): Promise<Uint8Array> {
  return zipOf([
    { name, data: chat },
    { name: "00000012-PHOTO-2025-12-31-21-03-00.jpg", data: await exifJpeg(), store: true },
    { name: "00000013-AUDIO-2025-12-31-21-04-00.opus", data: await media("voice-1500ms.ogg"), store: true },
  ]);
}

/** Android, US locale: "12/31/25, 9:05 PM - Name: text", "(file attached)", "<Media omitted>". */
export function whatsappAndroidUs(): string {
  const N = "\u202f";
  return [
    `12/31/25, 9:00${N}PM - Messages and calls are end-to-end encrypted. Only people in this chat can read, listen to, or share them.`,
    `12/31/25, 9:05${N}PM - Bob Smith: Happy new year`,
    `12/31/25, 9:06${N}PM - Алиса: IMG-20251231-WA0001.jpg (file attached)`,
    `Caption on the next line`,
    `12/31/25, 11:59${N}PM - Bob Smith: <Media omitted>`,
    `1/1/26, 12:01${N}AM - Алиса: First message of 2026`,
  ].join("\n");
}

/** A DiscordChatExporter JSON export of one channel, with --media (a photo beside it) and one attachment left as a URL. */
export function discordChannel(): Record<string, unknown> {
  const author = (id: string, name: string, nickname: string) => ({ id, name, discriminator: "0000", nickname, color: null, isBot: false, avatarUrl: "" });
  const msg = (id: string, type: string, timestamp: string, a: ReturnType<typeof author>, content: string, extra: Record<string, unknown> = {}) => ({
    id, type, timestamp, timestampEdited: null, callEndedTimestamp: null, isPinned: false, content, author: a, attachments: [], embeds: [], stickers: [], reactions: [], mentions: [], ...extra,
  });
  const olga = author("1", "olga", "Ольга 🌲");
  const kenji = author("2", "kenji", "健二");
  return {
    guild: { id: "10", name: "Клуб", iconUrl: "" },
    channel: { id: "20", type: "GuildTextChat", categoryId: "30", category: "Text", name: "general", topic: null },
    dateRange: { after: null, before: null },
    messages: [
      msg("100", "GuildMemberJoin", "2025-12-31T20:00:00.000+00:00", kenji, ""),
      msg("101", "Default", "2025-12-31T20:01:00.000+00:00", olga, "Привет всем!\nВторая строка"),
      msg("102", "Reply", "2025-12-31T20:02:00.000+03:00", kenji, "こんにちは", { reference: { messageId: "101", channelId: "20", guildId: "10" }, timestampEdited: "2025-12-31T20:03:00.000+03:00" }),
      msg("103", "Default", "2025-12-31T20:04:00.000+00:00", olga, "фото", { attachments: [{ id: "7", url: "general.json_Files/photo%20one-7A1B.jpg", fileName: "photo one.jpg", fileSizeBytes: 1 }] }),
      msg("104", "Default", "2025-12-31T20:05:00.000+00:00", kenji, "", { attachments: [{ id: "8", url: "https://cdn.discordapp.com/attachments/20/8/big.mp4", fileName: "big.mp4", fileSizeBytes: 1 }] }),
      msg("105", "ChannelPinnedMessage", "2025-12-31T20:06:00.000+00:00", olga, "Pinned a message."),
    ],
    messageCount: 6,
  };
}

export async function discordZip(): Promise<Uint8Array> {
  return zipOf([
    { name: "Клуб - general.json", data: JSON.stringify(discordChannel(), null, 2) },
    { name: "general.json_Files/photo one-7A1B.jpg", data: await exifJpeg(), store: true },
  ]);
}
