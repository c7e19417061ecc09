// Bringing another messenger's history in: a Telegram Desktop export (result.json with its
// media) or a WhatsApp chat export, as a ZIP uploaded first like any file (POST
// /api/uploads, purpose "attachment"). chat.import answers once the import is stored —
// all of it in one transaction, or nothing (import_invalid says what is wrong with the
// archive). Senders named in `map` become those members; the others stay placeholders
// (the message's `imported.author`), which the chat's owner or an admin maps later with
// chat.import_map.
import { type Static, Type } from "@sinclair/typebox";
import { ChatIdSchema, ImportSourceSchema } from "./chats.ts";

export { type ImportSource, importSourceName } from "./chats.ts";

const Name = Type.String({ minLength: 1, maxLength: 256 });
const UserId = Type.String({ minLength: 1, maxLength: 64 });

export const ImportReportSchema = Type.Object({
  chatId: Type.String(),
  created: Type.Boolean(), // a new group (true) or an existing chat
  source: ImportSourceSchema,
  messages: Type.Integer(), // imported
  files: Type.Integer(), // stored as attachments
  missingFiles: Type.Integer(), // referred to by the export but not in it
  serviceSkipped: Type.Integer(), // joins, pins, title changes, WhatsApp system lines: not imported
  unsupportedSkipped: Type.Integer(), // polls, locations, contacts: nothing Hearth shows
  repliesDropped: Type.Integer(), // replies to a message not in the export: kept without the reply
  textsCut: Type.Integer(), // texts longer than limits.messageTextLengthMax, cut there
  authors: Type.Array(Type.Object({ name: Type.String(), userId: Type.Union([Type.String(), Type.Null()]), messages: Type.Integer() })),
});

export type ImportReport = Static<typeof ImportReportSchema>;

export const importMethods = {
  /**
   * Imports the export in your finished upload `mediaId` (a .zip) into the chat `chatId`
   * (you must be its owner or an admin) or, without chatId, into a new group you own
   * titled `title` (default: the export's chat name). `map`: export sender name → user.
   */
  "chat.import": {
    params: Type.Object({
      mediaId: Type.String({ minLength: 1, maxLength: 64 }),
      chatId: Type.Optional(ChatIdSchema),
      title: Type.Optional(Type.String({ maxLength: 512 })),
      map: Type.Optional(Type.Array(Type.Object({ author: Name, userId: UserId }), { maxItems: 500 })),
    }),
    result: ImportReportSchema,
  },
  /**
   * Owner or admin: the messages imported under placeholder `author` become `userId`'s
   * (a member of the chat); null makes them placeholders again. Members get chat.imported.
   */
  "chat.import_map": {
    params: Type.Object({ chatId: ChatIdSchema, author: Name, userId: Type.Union([UserId, Type.Null()]) }),
    result: Type.Object({ changed: Type.Integer() }),
  },
  /** The import authors of a chat (owner or admin): each name, whom it is mapped to, how many messages. */
  "chat.import_authors": {
    params: Type.Object({ chatId: ChatIdSchema }),
    result: Type.Object({ authors: ImportReportSchema.properties.authors }),
  },
} as const;
