// Imports through the promised interfaces: the export ZIP goes up the resumable upload
// (HTTP), chat.import and chat.import_map over the WebSocket, the result read back with
// message.list and the media routes. Archives are written by tests/import-fixtures.ts.
// A refused import leaves the database exactly as it was (rows counted before and after).
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { Database } from "bun:sqlite";
import { join } from "node:path";
import sharp from "sharp";
import { importsModule } from "../src/imports/module.ts";
import { mediaState } from "../src/media/state.ts";
import { bearer, type MediaPerson, startMediaServer, uploadBytes } from "./support/media.ts";
import type { ImportReport } from "../src/protocol/methods/imports.ts";
import type { WireMessage } from "../src/protocol/methods/chats.ts";
import { mediaPaths } from "../src/protocol/media.ts";
import { TELEGRAM_DIR, telegramResult, telegramZip, whatsappChat, whatsappZip, zipOf } from "./import-fixtures.ts";

setDefaultTimeout(60_000);

let s: Awaited<ReturnType<typeof startMediaServer>>;
let anna: MediaPerson;
let taro: MediaPerson;
let ben: MediaPerson;

beforeAll(async () => {
  s = await startMediaServer({ modules: (deps) => [importsModule(deps, mediaState(deps))] });
  [anna, taro, ben] = await Promise.all([s.person("anna"), s.person("taro"), s.person("ben")]);
});
afterAll(() => s.stop());

const upload = async (p: MediaPerson, zip: Uint8Array) => (await uploadBytes(s.url, p.token, zip, { name: "export.zip" }, 1024 * 1024)).id;
const history = async (p: MediaPerson, chatId: string) =>
  (await p.request<{ messages: WireMessage[] }>("message.list", { chatId, anchor: "latest", direction: "before", limit: 100 })).messages;
const at = (iso: string) => Date.parse(`${iso}Z`);

const TABLES = ["chats", "chat_members", "messages", "message_media", "media", "media_variants", "media_blobs", "events"] as const;
function counts(): Record<string, number> {
  const db = new Database(join(s.t.dir, "hearth.sqlite"), { readonly: true });
  try {
    return Object.fromEntries(TABLES.map((t) => [t, (db.query(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n]));
  } finally {
    db.close();
  }
}

describe("a Telegram Desktop export", () => {
  test("becomes a new group: original dates, replies, edits, a photo without its EXIF, a voice message, a video, a missing file; service messages and polls skipped", async () => {
    const mediaId = await upload(anna, await telegramZip());
    const from = taro.events.length;
    const report = await anna.request<ImportReport>("chat.import", { mediaId, map: [{ author: "田中 太郎", userId: taro.id }] });
    expect(report).toMatchObject({ created: true, source: "telegram", messages: 9, files: 3, missingFiles: 2, serviceSkipped: 2, unsupportedSkipped: 1, repliesDropped: 1, textsCut: 0 });
    expect(report.authors.sort((a, b) => a.name.localeCompare(b.name))).toEqual([
      { name: "Анна Петрова", userId: null, messages: 3 },
      { name: "田中 太郎", userId: taro.id, messages: 2 },
      { name: "🦊 Fox", userId: null, messages: 4 },
    ].sort((a, b) => a.name.localeCompare(b.name)));
    // the mapped member was added and told; the chat is titled as the export
    const created = await taro.event<{ entry: { chat: { id: string; title: string } } }>("chat.joined", (d) => d.entry.chat.id === report.chatId, from);
    expect(created.entry.chat.title).toBe("Семья 👪 家族");

    const msgs = await history(anna, report.chatId);
    expect(msgs.map((m) => m.createdAt)).toEqual(["20:01:00", "20:02:30", "20:03:00", "20:04:00", "20:05:00", "20:06:00", "20:07:00", "20:08:00", "20:11:00"].map((t) => at(`2025-12-31T${t}`)));
    const [hello, edited, reply, photo, voice, video, missing, orphanReply, tooBig] = msgs as [WireMessage, ...WireMessage[]];
    expect(tooBig).toMatchObject({ text: "", imported: { author: "🦊 Fox", missingFiles: 1 } }); // "(File exceeds maximum size…)"
    expect(hello).toMatchObject({ senderId: anna.id, text: "Всем привет! С наступающим 🎄", imported: { source: "telegram", author: "Анна Петрова", mapped: false, missingFiles: 0 } });
    expect(edited).toMatchObject({ senderId: taro.id, text: "Happy new year, everyone!\nSecond line of a long message.", editedAt: at("2025-12-31T20:05:00"), imported: { mapped: true } });
    expect(reply!.replyToId).toBe(hello.id);
    expect(orphanReply!.replyToId).toBeNull();
    expect(missing).toMatchObject({ text: "The big file", imported: { missingFiles: 1 } });
    expect(missing!.attachments).toBeUndefined();
    expect(photo!.attachments).toMatchObject([{ kind: "photo", mime: "image/jpeg", width: 400, height: 300, thumbs: true }]);
    expect(voice!.attachments).toMatchObject([{ kind: "voice", mime: "audio/ogg" }]);
    expect(voice!.attachments![0]!.durationMs).toBeGreaterThan(1400);
    expect(video!.attachments).toMatchObject([{ kind: "video", mime: "video/mp4", width: 64, height: 48 }]);

    // the photo is served from the pipeline's copy: the GPS EXIF is gone
    const res = await fetch(s.url + mediaPaths.original(photo!.attachments![0]!.id), { headers: bearer(taro.token) });
    expect(res.status).toBe(200);
    expect((await sharp(Buffer.from(await res.arrayBuffer())).metadata()).exif).toBeUndefined();
    // old history is not unread news for the new members
    const entry = await taro.request<{ unreadCount: number }>("chat.get", { chatId: report.chatId });
    expect(entry.unreadCount).toBe(0);
  });

  test("a file the archive lacks is a missing file, not an error", async () => {
    const mediaId = await upload(anna, await telegramZip(telegramResult(), ["clip.mp4"]));
    const report = await anna.request<ImportReport>("chat.import", { mediaId, title: "Partial" });
    expect([report.files, report.missingFiles, report.messages]).toEqual([2, 3, 9]);
  });
});

describe("a WhatsApp export", () => {
  test("into an existing group the importer owns: placeholders, mapped later by the owner; members hear chat.imported", async () => {
    const { entry } = await anna.request<{ entry: { chat: { id: string } } }>("chat.create", { kind: "group", title: "Новый год", memberIds: [ben.id], clientId: "wa-group" });
    const chatId = entry.chat.id;
    await anna.request("message.send", { chatId, clientId: "before", text: "Written in Hearth before the import" });
    const mediaId = await upload(anna, await whatsappZip());
    const from = ben.events.length;
    const report = await anna.request<ImportReport>("chat.import", { mediaId, chatId });
    expect(report).toMatchObject({ created: false, source: "whatsapp", messages: 7, files: 2, missingFiles: 1, serviceSkipped: 2 });
    expect((await ben.event<{ chat: { id: string }; count: number }>("chat.imported", (d) => d.chat.id === chatId, from)).count).toBe(7);

    const msgs = await history(ben, chatId);
    expect(msgs[0]!.text).toBe("Written in Hearth before the import");
    const imported = msgs.slice(1);
    expect(imported.map((m) => m.imported?.author)).toEqual(["Мария Иванова", "李小龙", "Мария Иванова", "李小龙", "Мария Иванова", "李小龙", "🐙 Octo"]);
    expect(imported[0]).toMatchObject({ senderId: anna.id, createdAt: at("2025-12-31T21:01:05"), text: "С Новым годом!\nЭто второе сообщение в несколько строк\nи третья строка" });
    expect(imported[2]!.attachments).toMatchObject([{ kind: "photo", thumbs: true }]);
    expect(imported[3]!.attachments).toMatchObject([{ kind: "voice" }]);
    expect(imported[4]).toMatchObject({ text: "Fixed a typo", editedAt: at("2025-12-31T21:05:09") });
    expect(imported[5]).toMatchObject({ text: "", imported: { missingFiles: 1 } });

    // mapping later: only the owner or an admin, only to a member
    expect(await ben.code("chat.import_map", { chatId, author: "Мария Иванова", userId: ben.id })).toBe("forbidden");
    expect(await anna.code("chat.import_map", { chatId, author: "Мария Иванова", userId: taro.id })).toBe("invalid_field");
    expect(await anna.code("chat.import_map", { chatId, author: "Nobody", userId: ben.id })).toBe("not_found");
    const mapFrom = ben.events.length;
    expect(await anna.request("chat.import_map", { chatId, author: "Мария Иванова", userId: ben.id })).toEqual({ changed: 3 });
    await ben.event("chat.imported", (d: { chat: { id: string } }) => d.chat.id === chatId, mapFrom);
    const after = (await history(ben, chatId)).filter((m) => m.imported?.author === "Мария Иванова");
    expect(after.map((m) => [m.senderId, m.imported!.mapped])).toEqual(Array(3).fill([ben.id, true]));
    const { authors } = await anna.request<{ authors: ImportReport["authors"] }>("chat.import_authors", { chatId });
    expect(authors.find((a) => a.name === "Мария Иванова")).toEqual({ name: "Мария Иванова", userId: ben.id, messages: 3 });
    expect(await anna.request("chat.import_map", { chatId, author: "Мария Иванова", userId: null })).toEqual({ changed: 3 });
  });

  test("a member who is not an admin may not import into the group", async () => {
    const { entry } = await anna.request<{ entry: { chat: { id: string } } }>("chat.create", { kind: "group", title: "No", memberIds: [ben.id], clientId: "wa-no" });
    const mediaId = await upload(ben, await whatsappZip());
    const before = counts();
    expect(await ben.code("chat.import", { mediaId, chatId: entry.chat.id })).toBe("forbidden");
    expect(counts()).toEqual(before);
  });
});

describe("a malformed or partial export stores nothing", () => {
  const chat = whatsappChat();
  const cases: [string, () => Promise<Uint8Array>, Record<string, unknown>][] = [
    ["bad JSON", () => telegramZip("{\"name\": \"x\", \"messages\": [ {\"id\": 1,"), { reason: "bad_json", file: `${TELEGRAM_DIR}/result.json` }],
    ["no result.json nor chat file", async () => zipOf([{ name: `${TELEGRAM_DIR}/photos/p.jpg`, data: "x" }]), { reason: "unknown_format" }],
    ["an unknown date format", async () => zipOf([{ name: "_chat.txt", data: `2025-12-31 21:05 - Ana: hi\n${chat}` }]), { reason: "bad_date", file: "_chat.txt", line: 1 }],
    ["a Telegram message without a date", () => telegramZip({ name: "x", messages: [{ id: 5, type: "message", from: "A", text: "hi" }] }), { reason: "bad_date", messageId: "5" }],
    ["a truncated zip", async () => (await whatsappZip()).subarray(0, 2000), { reason: "zip_truncated" }],
    ["a zip bomb", async () => zipOf([{ name: "_chat.txt", data: new Uint8Array(32 * 1024 * 1024), declaredSize: 4096 }]), { reason: "zip_corrupt", file: "_chat.txt" }],
    ["not a zip at all", async () => new TextEncoder().encode("hello, this is a text file and no archive"), { reason: "not_zip" }],
  ];
  for (const [name, make, data] of cases) {
    test(name, async () => {
      const mediaId = await upload(anna, await make());
      const before = counts();
      const err = await anna.request("chat.import", { mediaId, title: "Should not exist" }).then(() => null, (e: { code: string; data: unknown }) => e);
      expect(err).toMatchObject({ code: "import_invalid", data });
      expect(counts()).toEqual(before);
    });
  }

  test("a mapping to an author the export does not have is refused before anything is written", async () => {
    const mediaId = await upload(anna, await whatsappZip());
    const before = counts();
    expect(await anna.code("chat.import", { mediaId, map: [{ author: "Someone Else", userId: ben.id }] })).toBe("invalid_field");
    expect(counts()).toEqual(before);
  });

  test("someone else's upload is not found", async () => {
    const mediaId = await upload(anna, await whatsappZip());
    expect(await ben.code("chat.import", { mediaId })).toBe("not_found");
  });
});

describe("hearth import", () => {
  test("imports from the shell with --map, and refuses a broken archive with the reason, storing nothing", async () => {
    const { mkdtempSync, writeFileSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const { hearth } = await import("./support/cli.ts");
    const dir = mkdtempSync(join(tmpdir(), "hearth-import-cli-"));
    const good = join(dir, "ChatExport.zip");
    writeFileSync(good, await telegramZip());
    const r = await hearth(["import", good, "--as", anna.username, "--title", "From the shell", "--map", `田中 太郎=${taro.username}`, "--data", s.t.dir]);
    expect([r.code, r.stderr]).toEqual([0, ""]);
    expect(r.stdout).toMatch(/^imported 9 messages from Telegram into the new group (\w+)\n {2}files: 3 stored, 2 not in the export\n/);
    expect(r.stdout).toContain("田中 太郎: 2 messages, mapped");
    expect(r.stdout).toContain("🦊 Fox: 4 messages, placeholder");
    const chatId = /new group (\w+)/.exec(r.stdout)![1]!;
    const msgs = await history(taro, chatId); // taro was made a member by the mapping
    expect(msgs.filter((m) => m.senderId === taro.id).length).toBe(2);

    const broken = join(dir, "broken.zip");
    writeFileSync(broken, (await whatsappZip()).subarray(0, 3000));
    const before = counts();
    const bad = await hearth(["import", broken, "--as", anna.username, "--data", s.t.dir]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^hearth: The archive .*(cut short|ends early)/);
    expect(counts()).toEqual(before);
    expect((await hearth(["import", good, "--data", s.t.dir])).code).toBe(2); // no --as
    expect((await hearth(["import", good, "--as", anna.username, "--map", "no-equals-sign", "--data", s.t.dir])).code).toBe(2);
  });
});

describe("bounds an upload also meets", () => {
  test("the export's files count against the importer's quota: quota_exceeded, nothing stored; a WhatsApp archive's name titles the group", async () => {
    const zip = await whatsappZip();
    const small = await startMediaServer({ modules: (deps) => [importsModule(deps, mediaState(deps))], set: [`media.userQuotaBytes=${Math.round(zip.length * 1.5)}`] });
    try {
      const p = await small.person("quota");
      const mediaId = (await uploadBytes(small.url, p.token, zip, { name: "WhatsApp Chat - Новый год.zip" }, 1024 * 1024)).id;
      const err = await p.request("chat.import", { mediaId }).then(() => null, (e: { code: string; data: unknown }) => e);
      expect(err).toMatchObject({ code: "quota_exceeded", data: { scope: "user" } });
      expect((await p.request<{ chats: unknown[] }>("chat.list", {})).chats).toEqual([]);
    } finally {
      await small.stop();
    }
    const mediaId = (await uploadBytes(s.url, anna.token, zip, { name: "WhatsApp Chat - Новый год.zip" }, 1024 * 1024)).id;
    const report = await anna.request<ImportReport>("chat.import", { mediaId });
    const entry = await anna.request<{ chat: { title: string } }>("chat.get", { chatId: report.chatId });
    expect(entry.chat.title).toBe("Новый год");
  });
});

describe("a data export after an import", () => {
  test("holds the imported messages mapped to the person, marked imported, and none of the placeholders they imported", async () => {
    const { mkdtempSync, readFileSync, readdirSync, writeFileSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const mediaId = await upload(ben, await telegramZip());
    const report = await ben.request<ImportReport>("chat.import", { mediaId, map: [{ author: "🦊 Fox", userId: ben.id }] });
    const res = await fetch(s.url + "/api/export", { headers: bearer(ben.token) });
    expect(res.status).toBe(200);
    const dir = mkdtempSync(join(tmpdir(), "hearth-import-export-"));
    writeFileSync(join(dir, "x.tar"), new Uint8Array(await res.arrayBuffer()));
    expect(Bun.spawnSync(["tar", "-xf", join(dir, "x.tar"), "-C", dir]).exitCode).toBe(0);
    const chatDir = join(dir, "chats", report.chatId);
    const parts = readdirSync(chatDir).filter((f) => f.endsWith(".json"));
    const messages = parts.flatMap((f) => (JSON.parse(readFileSync(join(chatDir, f), "utf8")) as { messages: { text: string; imported?: unknown }[] }).messages);
    // Fox's four (mapped to ben); Anna's and Taro's placeholders, which ben imported, are not his words
    expect(messages.map((m) => m.text)).toEqual(["Replying to Anna", "", "Reply to something older than the export", ""]);
    expect(messages.every((m) => JSON.stringify(m.imported) === JSON.stringify({ source: "telegram", author: "🦊 Fox" }))).toBe(true);
  });
});

describe("a failure inside the import's transaction", () => {
  test("rolls every row back; the blob files already written are stray files the media GC removes after its grace", async () => {
    const { collectMediaGarbage } = await import("../src/media/gc.ts");
    const { blobFiles } = await import("../src/media/blobs.ts");
    const { limits } = await import("../src/limits.ts");
    const clock = { offsetMs: 0 };
    const own = await startMediaServer({ modules: (deps) => [importsModule(deps, mediaState(deps))], clock });
    try {
      const [owner, outsider] = [await own.person("own"), await own.person("out")];
      const { entry } = await owner.request<{ entry: { chat: { id: string } } }>("chat.create", { kind: "group", title: "G", clientId: "g" });
      const mediaId = (await uploadBytes(own.url, owner.token, await whatsappZip(), { name: "export.zip" }, 1024 * 1024)).id;
      const files = async () => {
        const out: string[] = [];
        for await (const f of blobFiles(mediaState(own.deps).dir)) out.push(f.sha256);
        return out.sort();
      };
      const before = await files(); // the uploaded ZIP
      // the mapped person is no member: found only by the transaction, after the files were stored
      expect(await owner.code("chat.import", { mediaId, chatId: entry.chat.id, map: [{ author: "李小龙", userId: outsider.id }] })).toBe("invalid_field");
      const after = await files();
      const stray = after.filter((sha) => !before.includes(sha));
      expect(stray.length).toBeGreaterThanOrEqual(2); // the photo (and its derived files) and the voice message
      for (const sha of stray) expect(await own.deps.storage.media.blobExists(sha)).toBe(false);
      expect((await owner.request<{ messages: unknown[] }>("message.list", { chatId: entry.chat.id, anchor: "latest", direction: "before" })).messages).toEqual([]);
      await collectMediaGarbage(own.deps); // within the grace: kept
      expect(await files()).toEqual(after);
      clock.offsetMs = limits.mediaOrphanFileGraceMs + 60_000;
      await collectMediaGarbage(own.deps);
      expect(await files()).toEqual(before);
    } finally {
      await own.stop();
    }
  });
});

describe("a DiscordChatExporter export (bonus)", () => {
  test("becomes a group: a reply, an edit, a photo through the pipeline, an attachment left as a link counted missing", async () => {
    const { discordZip } = await import("./import-fixtures.ts");
    const mediaId = await upload(anna, await discordZip());
    const report = await anna.request<ImportReport>("chat.import", { mediaId });
    expect(report).toMatchObject({ source: "discord", messages: 4, files: 1, missingFiles: 1, serviceSkipped: 2 });
    expect((await anna.request<{ chat: { title: string } }>("chat.get", { chatId: report.chatId })).chat.title).toBe("Клуб · general");
    const [hi, reply, photo, link] = await history(anna, report.chatId);
    expect(reply).toMatchObject({ replyToId: hi!.id, text: "こんにちは", imported: { source: "discord", author: "健二" }, editedAt: at("2025-12-31T17:03:00") });
    expect(photo!.attachments).toMatchObject([{ kind: "photo", name: "photo one.jpg", thumbs: true }]);
    expect(link!.imported!.missingFiles).toBe(1);
  });
});
