// Message methods over WebSocket: send, forward, edit, delete, history paging and read
// state. Shapes come from ./chats.ts. Transport caps only; src/messages/ applies the
// real limits (text length in code points, page size) with typed errors.
import { type Static, Type } from "@sinclair/typebox";
import { PageLimitSchema } from "./paging.ts";
import { PreviewChoiceSchema } from "./previews.ts";
import { ChatIdSchema, ClientIdSchema, EntitySchema, MessageSchema, SeqSchema } from "./chats.ts";

const MessageIdSchema = Type.String({ minLength: 1, maxLength: 64 });
const TextSchema = Type.String({ maxLength: 65_536 });
const Ok = Type.Object({});
const InChat = { chatId: ChatIdSchema };
export const MediaTabSchema = Type.Union([Type.Literal("photos"), Type.Literal("videos"), Type.Literal("files"), Type.Literal("voice"), Type.Literal("links")]);
export type MediaTab = Static<typeof MediaTabSchema>;
const OnMessage = { chatId: ChatIdSchema, messageId: MessageIdSchema };

export const AnchorSchema = Type.Union([Type.Object({ seq: SeqSchema }), Type.Literal("latest"), Type.Literal("first_unread")]);
export const DirectionSchema = Type.Union([Type.Literal("before"), Type.Literal("after"), Type.Literal("around")]);

export const MessageEditSchema = Type.Object({
  version: Type.Integer(), // 1 = the original
  text: Type.String(),
  entities: Type.Array(EntitySchema),
  at: Type.Integer(), // when this version was written
});

export const ReadStateSchema = Type.Object({
  chatId: Type.String(),
  readSeq: SeqSchema,
  unreadCount: Type.Integer(),
  unreadMentionCount: Type.Integer(),
});

export const messageMethods = {
  /** Idempotent per (chat, sender, clientId): a retry returns the first message unchanged. */
  "message.send": {
    params: Type.Object({
      ...InChat,
      clientId: ClientIdSchema,
      text: TextSchema,
      replyToId: Type.Optional(MessageIdSchema), // must be in the same chat
      silent: Type.Optional(Type.Boolean()), // recipients are not notified
      // Attach the preview of this URL (it must occur in text); null or absent: none.
      preview: Type.Optional(PreviewChoiceSchema),
      // Your finished uploads (purpose attachment or voice), ≤ 10; text is then the caption and may be empty.
      attachments: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { maxItems: 64 })),
    }),
    result: Type.Object({ message: MessageSchema }),
  },
  /** Copies a message you can read into chatId, keeping its origin (chat, message, sender, time). */
  "message.forward": {
    params: Type.Object({
      ...InChat,
      clientId: ClientIdSchema,
      fromChatId: ChatIdSchema,
      messageId: MessageIdSchema,
      silent: Type.Optional(Type.Boolean()),
    }),
    result: Type.Object({ message: MessageSchema }),
  },
  /** Edits the text (the caption) only: attachments never change. */
  /** Edits the text (the caption) only: attachments never change. */
  "message.edit": { params: Type.Object({ ...OnMessage, text: TextSchema }), result: Type.Object({ message: MessageSchema }) },
  /** Every version, oldest first; the last one is the current text. */
  "message.edit_history": { params: Type.Object(OnMessage), result: Type.Object({ versions: Type.Array(MessageEditSchema) }) },
  /** forEveryone: the author, or an admin in groups and channels; otherwise hidden for you only. */
  "message.delete": { params: Type.Object({ ...OnMessage, forEveryone: Type.Boolean() }), result: Ok },
  /**
   * A page of history in ascending seq. anchor "latest": the newest; "first_unread": your
   * first unread message; {seq}: that message. "before"/"after" exclude the anchor, "around" includes it.
   */
  /**
   * The chat info's media tab: messages carrying photos, videos, files (and audio), voice
   * messages, or links (a preview or a URL in the text), newest first, before seq `beforeSeq`
   * (absent: from the newest). Deleted messages and your deleted-for-me ones are skipped.
   */
  "message.list_media": {
    params: Type.Object({
      ...InChat,
      kind: MediaTabSchema,
      beforeSeq: Type.Optional(SeqSchema),
      limit: Type.Optional(PageLimitSchema),
    }),
    result: Type.Object({ messages: Type.Array(MessageSchema), hasMore: Type.Boolean() }),
  },
  "message.list": {
    params: Type.Object({
      ...InChat,
      anchor: AnchorSchema,
      direction: DirectionSchema,
      limit: Type.Optional(PageLimitSchema),
    }),
    result: Type.Object({
      messages: Type.Array(MessageSchema), // tombstones included, your deleted-for-me excluded
      hasBefore: Type.Boolean(),
      hasAfter: Type.Boolean(),
      readSeq: SeqSchema,
    }),
  },
  /** Moves your read pointer forward (never back) to seq. */
  "read.update": { params: Type.Object({ ...InChat, seq: SeqSchema }), result: ReadStateSchema },
  /** Who has read a message: direct chats and groups up to limits.readReceiptsMembersMax members. */
  "read.list": {
    params: Type.Object(OnMessage),
    result: Type.Object({ readers: Type.Array(Type.Object({ userId: Type.String(), readSeq: SeqSchema })) }),
  },
} as const;

export type MessageMethodName = keyof typeof messageMethods;
export type MessageParams<M extends MessageMethodName> = Static<(typeof messageMethods)[M]["params"]>;
export type MessageResult<M extends MessageMethodName> = Static<(typeof messageMethods)[M]["result"]>;
export type WireReadState = Static<typeof ReadStateSchema>;
