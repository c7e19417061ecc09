import { describe, expect, test } from "bun:test";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AppError } from "../errors.ts";
import { telegramResult, whatsappAndroidUs, whatsappChat, zipOf } from "../../tests/import-fixtures.ts";
import { parseTelegram } from "./telegram.ts";
import { parseWhatsApp } from "./whatsapp.ts";
import { openZip } from "./zip.ts";
import { limits } from "../limits.ts";

const bytes = (s: string) => new TextEncoder().encode(s);
const problem = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    return { code: (e as AppError).code, ...((e as AppError<"import_invalid">).data ?? {}) };
  }
  throw new Error("did not throw");
};
const at = (iso: string) => Date.parse(`${iso}Z`);

describe("Telegram result.json", () => {
  test("messages, entities joined, edits, replies, files in the export's folder, missing files; service messages and polls counted", () => {
    const p = parseTelegram(bytes(JSON.stringify(telegramResult())), "Chat/result.json");
    expect([p.source, p.title, p.serviceSkipped, p.unsupportedSkipped, p.messages.length]).toEqual(["telegram", "Семья 👪 家族", 2, 1, 9]);
    expect(p.messages[8]!.files).toEqual([{ path: null, name: "file", voice: false }]); // "(File exceeds maximum size…)"
    const [hello, edited, reply, photo, voice, video, missing] = p.messages;
    expect(hello).toMatchObject({ ref: "2", author: "Анна Петрова", at: at("2025-12-31T20:01:00"), editedAt: null, replyToRef: null, files: [] });
    expect(edited).toMatchObject({ text: "Happy new year, everyone!\nSecond line of a long message.", editedAt: at("2025-12-31T20:05:00") });
    expect(reply!.replyToRef).toBe("2");
    expect(photo!.files).toEqual([{ path: "Chat/photos/photo_1@31-12-2025_20-04-00.jpg", name: "photo_1@31-12-2025_20-04-00.jpg", voice: false }]);
    expect(voice!.files[0]).toMatchObject({ voice: true, path: "Chat/voice_messages/audio_1@31-12-2025_20-05-00.ogg" });
    expect(video!.files[0]!.voice).toBe(false);
    expect(missing!.files).toEqual([{ path: null, name: "file", voice: false }]);
  });

  test("bad JSON, a whole-account export, a message without an id, an unknown date: typed, with the place", () => {
    expect(problem(() => parseTelegram(bytes("{\"messages\": [1,"), "result.json"))).toMatchObject({ code: "import_invalid", reason: "bad_json", file: "result.json" });
    expect(problem(() => parseTelegram(bytes(JSON.stringify({ chats: { list: [] } })), "result.json"))).toMatchObject({ reason: "unknown_format" });
    expect(problem(() => parseTelegram(bytes(JSON.stringify({ messages: [{ type: "message" }] })), "result.json"))).toMatchObject({ reason: "bad_message" });
    const badDate = { messages: [{ id: 7, type: "message", date: "31.12.2025 20:00", from: "A", text: "x" }] };
    expect(problem(() => parseTelegram(bytes(JSON.stringify(badDate)), "result.json"))).toMatchObject({ reason: "bad_date", messageId: "7" });
  });
});

describe("WhatsApp chat files", () => {
  test("iPhone: multi-line messages, U+200E marks, attachments present and omitted, edits, system lines skipped", () => {
    const p = parseWhatsApp(bytes(whatsappChat()), "_chat.txt", (path) => path.startsWith("00000012"));
    expect([p.serviceSkipped, p.messages.length]).toEqual([2, 7]);
    const [multi, cjk, photo, voice, edited, omitted, octo] = p.messages;
    expect(multi).toMatchObject({ author: "Мария Иванова", at: at("2025-12-31T21:01:05"), text: "С Новым годом!\nЭто второе сообщение в несколько строк\nи третья строка" });
    expect(cjk).toMatchObject({ author: "李小龙", text: "新年快乐 🎆" });
    expect(photo!.files).toEqual([{ path: "00000012-PHOTO-2025-12-31-21-03-00.jpg", name: "00000012-PHOTO-2025-12-31-21-03-00.jpg", voice: false }]);
    expect(voice!.files).toEqual([{ path: null, name: "00000013-AUDIO-2025-12-31-21-04-00.opus", voice: true }]); // not in the archive here
    expect(edited).toMatchObject({ text: "Fixed a typo", editedAt: at("2025-12-31T21:05:09") });
    expect(omitted).toMatchObject({ text: "", files: [{ path: null }] });
    expect(octo!.author).toBe("🐙 Octo");
  });

  test("Android, US: month first, 12-hour clock with narrow spaces, (file attached) with a caption, <Media omitted>", () => {
    const p = parseWhatsApp(bytes(whatsappAndroidUs()), "WhatsApp Chat with Bob Smith.txt", () => true);
    expect([p.title, p.serviceSkipped, p.messages.length]).toEqual(["Bob Smith", 1, 4]);
    expect(p.messages.map((m) => m.at)).toEqual([at("2025-12-31T21:05:00"), at("2025-12-31T21:06:00"), at("2025-12-31T23:59:00"), at("2026-01-01T00:01:00")]);
    expect(p.messages[1]).toMatchObject({ text: "Caption on the next line", files: [{ path: "IMG-20251231-WA0001.jpg" }] });
    expect(p.messages[2]!.files).toEqual([{ path: null, name: "file", voice: false }]);
  });

  test("Android, day first, 24-hour: 31/12/25, 21:05 - Name: text", () => {
    const p = parseWhatsApp(bytes("31/12/25, 21:05 - Ana: Olá\n31/12/25, 21:06 - Ana: This message was deleted\n01/01/26, 00:10 - Ana: Tudo bem?"), "WhatsApp Chat with Ana.txt", () => false);
    expect(p.serviceSkipped).toBe(1); // the deleted one
    expect(p.messages.map((m) => [m.at, m.text])).toEqual([[at("2025-12-31T21:05:00"), "Olá"], [at("2026-01-01T00:10:00"), "Tudo bem?"]]);
  });

  test("an unknown date form, a date that does not exist, mixed day/month orders: bad_date with the line", () => {
    expect(problem(() => parseWhatsApp(bytes("2025-12-31 21:05 Ana: hi"), "_chat.txt", () => false))).toMatchObject({ reason: "bad_date", line: 1, file: "_chat.txt" });
    expect(problem(() => parseWhatsApp(bytes("[31/02/2025, 10:00:00] Ana: hi"), "_chat.txt", () => false))).toMatchObject({ reason: "bad_date", line: 1 });
    expect(problem(() => parseWhatsApp(bytes("[31/12/2025, 10:00:00] A: a\n[12/31/2025, 10:00:00] A: b"), "_chat.txt", () => false))).toMatchObject({ reason: "bad_date", line: 2 });
    expect(problem(() => parseWhatsApp(new Uint8Array([0xff, 0xfe, 0x00]), "_chat.txt", () => false))).toMatchObject({ reason: "unknown_format" });
  });
});

describe("the ZIP reader", () => {
  const dir = mkdtempSync(join(tmpdir(), "hearth-zip-"));
  const file = (name: string, data: Uint8Array) => {
    const p = join(dir, name);
    writeFileSync(p, data);
    return p;
  };

  test("reads stored and deflated entries with UTF-8 names", async () => {
    const zip = await openZip(file("ok.zip", zipOf([{ name: "Чат/result.json", data: "{}" }, { name: "a.bin", data: new Uint8Array([1, 2, 3]), store: true }])));
    expect([...zip.entries.keys()]).toEqual(["Чат/result.json", "a.bin"]);
    expect(new TextDecoder().decode(await zip.read(zip.entries.get("Чат/result.json")!))).toBe("{}");
    expect([...(await zip.read(zip.entries.get("a.bin")!))]).toEqual([1, 2, 3]);
    await zip.close();
  });

  test("not a zip, truncated, a bomb that declares more than the bound, a bomb that lies about its size, a bad checksum", async () => {
    const reason = (p: Promise<unknown>) => p.then(() => "opened", (e: AppError<"import_invalid">) => e.data.reason);
    expect(await reason(openZip(file("text.zip", bytes("just some text, not an archive at all"))))).toBe("not_zip");
    const good = zipOf([{ name: "_chat.txt", data: "x".repeat(5000) }]);
    expect(await reason(openZip(file("cut.zip", good.subarray(0, good.length - 30))))).toBe("zip_truncated");
    const zeros = new Uint8Array(limits.importFileBytesMax + 1);
    expect(await reason(openZip(file("big.zip", zipOf([{ name: "big.bin", data: zeros }]))))).toBe("too_large");
    // 64 MiB of zeros claiming to be 1 KiB: inflating stops at the declared size
    const bomb = await openZip(file("bomb.zip", zipOf([{ name: "_chat.txt", data: new Uint8Array(64 * 1024 * 1024), declaredSize: 1024 }])));
    expect(await reason(bomb.read(bomb.entries.get("_chat.txt")!))).toBe("zip_corrupt");
    await bomb.close();
    const flipped = zipOf([{ name: "a.txt", data: "hello hello", store: true }]);
    flipped[35] = flipped[35]! ^ 0xff; // a byte of the stored data
    const z = await openZip(file("crc.zip", flipped));
    expect(await reason(z.read(z.entries.get("a.txt")!))).toBe("zip_corrupt");
    await z.close();
  });
});

describe("titles", () => {
  test("a WhatsApp archive's name gives the title when the chat file has none", async () => {
    const { titleFromArchiveName } = await import("./import.ts");
    expect(titleFromArchiveName("/tmp/WhatsApp Chat - Новый год 🎆.zip")).toBe("Новый год 🎆");
    expect(titleFromArchiveName("WhatsApp Chat with Bob Smith.ZIP")).toBe("Bob Smith");
    expect(titleFromArchiveName("ChatExport_2025-12-31.zip")).toBe("ChatExport_2025-12-31");
  });
});

describe("DiscordChatExporter JSON", () => {
  test("messages, replies, edits, times with offsets, downloaded and not downloaded attachments; joins and pins are service messages", async () => {
    const { discordChannel } = await import("../../tests/import-fixtures.ts");
    const { parseDiscord } = await import("./discord.ts");
    const p = parseDiscord(discordChannel(), "Клуб - general.json");
    expect([p.source, p.title, p.serviceSkipped, p.messages.length]).toEqual(["discord", "Клуб · general", 2, 4]);
    const [hi, reply, photo, url] = p.messages;
    expect(hi).toMatchObject({ ref: "101", author: "Ольга 🌲", at: at("2025-12-31T20:01:00"), text: "Привет всем!\nВторая строка" });
    expect(reply).toMatchObject({ author: "健二", replyToRef: "101", at: at("2025-12-31T17:02:00"), editedAt: at("2025-12-31T17:03:00") });
    expect(photo!.files).toEqual([{ path: "general.json_Files/photo one-7A1B.jpg", name: "photo one.jpg", voice: false }]);
    expect(url!.files).toEqual([{ path: null, name: "big.mp4", voice: false }]);
    const bad = { ...discordChannel(), messages: [{ id: "1", type: "Default", timestamp: "yesterday", author: { name: "a" }, content: "x" }] };
    expect(problem(() => parseDiscord(bad, "c.json"))).toMatchObject({ reason: "bad_date", messageId: "1" });
  });
});
