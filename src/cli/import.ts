// `hearth import <file.zip> --as <username> [--chat <id> | --title <t>] [--map "Name=username"]…`:
// the same import as the web's chat.import (src/imports/), from the server's shell — safe
// beside a running server (WAL; the one import transaction waits on the busy timeout).
// Its events are stored, and people see the chat when their clients next catch up.
import { existsSync } from "node:fs";
import { basename, resolve } from "node:path";
import { FatalError } from "../errors.ts";
import { type Command, stringFlag, UsageError } from "./command.ts";
import { importSourceName } from "../protocol/methods/imports.ts";
import { findUser, plural, withStorage } from "./storage.ts";

function mappings(values: unknown): [string, string][] {
  const list = Array.isArray(values) ? (values as string[]) : typeof values === "string" ? [values] : [];
  return list.map((v) => {
    const at = v.lastIndexOf("=");
    if (at <= 0 || at === v.length - 1) throw new UsageError(`--map wants "Name in the export=username", not "${v}"`, "import");
    return [v.slice(0, at).trim(), v.slice(at + 1).trim()];
  });
}

export const importCommand: Command = {
  name: "import",
  summary: "Import a Telegram Desktop export (result.json + media), a WhatsApp chat export or a DiscordChatExporter JSON export, zipped, into a chat",
  args: [{ name: "file", required: true, desc: "The export as a .zip (Telegram: the export folder zipped; WhatsApp: its own zip; Discord: the .json and its _Files folder)" }],
  flags: {
    as: { type: "string", value: "username", desc: "Who imports (required): owns the new group, or is owner/admin of --chat" },
    chat: { type: "string", value: "id", desc: "Import into this existing chat instead of a new group" },
    title: { type: "string", value: "title", desc: "Title of the new group (default: the export's chat name)" },
    map: { type: "string", multiple: true, value: "Name=username", desc: "Make an export sender that user; repeatable. Unmapped senders stay named placeholders" },
  },
  details:
    "All or nothing: the messages go into the database in one transaction, or nothing does; a malformed archive is refused with what is wrong and where. What is kept and skipped: docs/operations.md, \"Importing chats\".",
  examples: ['hearth import ~/ChatExport_2025-12-31.zip --as alice --map "Alice Smith=alice" --map "Bob=bob"', 'hearth import "WhatsApp Chat with Bob.zip" --as alice --chat 01J9Z8K3ZK4Q4V6Y3W2N1M0P9R'],
  async run({ positionals, flags, globals }) {
    const as = stringFlag(flags, "as");
    if (!as) throw new UsageError("hearth import needs --as <username>", "import");
    const chatId = stringFlag(flags, "chat");
    const title = stringFlag(flags, "title");
    if (chatId && title) throw new UsageError("--chat and --title exclude each other (a title is for a new group)", "import");
    const file = resolve(positionals[0]!);
    if (!existsSync(file)) throw new FatalError(`${file} does not exist`);
    const pairs = mappings(flags.map);
    const { runImport } = await import("../imports/import.ts");
    const { KeyedMutex } = await import("../media/mutex.ts");
    const report = await withStorage(globals, async (storage, config) => {
      const importer = await findUser(storage, as);
      const map = new Map<string, string>();
      for (const [name, username] of pairs) map.set(name, (await findUser(storage, username)).id);
      const done = await runImport(
        { storage, config, now: Date.now, blobLocks: new KeyedMutex() },
        { archivePath: file, importerId: importer.id, target: chatId ? { chatId } : { title: title ?? null }, map, archiveName: basename(file) },
      );
      return done.report;
    });
    const out = [
      `imported ${plural(report.messages, "message")} from ${importSourceName(report.source)} into ${report.created ? "the new group" : "chat"} ${report.chatId}`,
      `  files: ${report.files} stored, ${report.missingFiles} not in the export`,
      `  skipped: ${report.serviceSkipped} service, ${report.unsupportedSkipped} unsupported; replies to messages not in the export: ${report.repliesDropped}; texts cut: ${report.textsCut}`,
      ...report.authors.map((a) => `  ${a.name}: ${plural(a.messages, "message")}, ${a.userId ? "mapped" : "placeholder"}`),
    ];
    process.stdout.write(`${out.join("\n")}\n`);
    return 0;
  },
};
