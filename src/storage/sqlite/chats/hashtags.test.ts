// Hashtags are stored for search (issue 4) though no use case reads them yet: this checks
// the rows themselves, through the real server path (entities resolved from the text) and
// a second read-only connection to the database file, as search will see them.
import { Database } from "bun:sqlite";
import { afterAll, beforeAll, expect, test } from "bun:test";
import { type Person, startChatsServer } from "../../../../tests/support/chats.ts";
import { databaseFile } from "../../../config/paths.ts";

let s: Awaited<ReturnType<typeof startChatsServer>>;
let ann: Person;
beforeAll(async () => {
  s = await startChatsServer();
  ann = await s.person("ann");
});
afterAll(() => s.stop());

const tagsOf = (messageId: string) => {
  const db = new Database(databaseFile(s.deps.config), { readonly: true });
  try {
    return (db.query("SELECT tag FROM message_hashtags WHERE message_id = ? ORDER BY tag").all(messageId) as { tag: string }[]).map((r) => r.tag);
  } finally {
    db.close();
  }
};

test("a message's hashtags are stored lowercased, follow edits and go with a delete for everyone", async () => {
  const chatId = (await ann.request("chat.create", { kind: "saved" })).entry.chat.id;
  const { message } = await ann.request("message.send", { chatId, clientId: "h1", text: "#Release notes for #v2 and #release" });
  expect(tagsOf(message.id)).toEqual(["release", "v2"]);
  await ann.request("message.edit", { chatId, messageId: message.id, text: "now #Shipped" });
  expect(tagsOf(message.id)).toEqual(["shipped"]);
  await ann.request("message.delete", { chatId, messageId: message.id, forEveryone: true });
  expect(tagsOf(message.id)).toEqual([]);
});
