// Tables of chats and messages (drizzle-kit reads this file; see ../drizzle.config.ts).
// Same portable choices as ../schema.ts. Designed to grow by adding tables, not by
// reshaping these: reactions, pins, invite links and blocks get their own tables keyed
// by (chat_id, …) / (user_id, …); per-member settings are columns of chat_members.
import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { users } from "../schema.ts";

export const chats = sqliteTable(
  "chats",
  {
    id: text("id").primaryKey(),
    kind: text("kind", { enum: ["direct", "saved", "group", "channel", "space_channel"] }).notNull(),
    title: text("title").notNull().default(""),
    description: text("description").notNull().default(""),
    createdBy: text("created_by").notNull(),
    createdAt: integer("created_at").notNull(),
    // direct/saved only: "<smaller id>:<larger id>" (saved: "<id>:<id>"), so a pair has one chat
    pairKey: text("pair_key"),
    spaceId: text("space_id"),
    memberCount: integer("member_count").notNull().default(0),
    lastSeq: integer("last_seq").notNull().default(0), // the next message gets last_seq + 1
    lastAt: integer("last_at").notNull(),
    avatar: text("avatar"), // JSON { id, placeholder? } of a media (../media/)
    // retention (src/retention/): messages older than this many days are deleted; NULL = off
    autoDeleteDays: integer("auto_delete_days"),
    // disappearing messages: each message sent while set expires this long after it was sent; NULL = off
    disappearSeconds: integer("disappear_seconds"),
    // the chat log's counter: the newest chat_log pos (bumped in the change's transaction)
    logPos: integer("log_pos").notNull().default(0),
    // auto-delete's cursor: every message at or below this seq is deleted (./retention.ts)
    autoDeletedSeq: integer("auto_deleted_seq").notNull().default(0),
  },
  (t) => [uniqueIndex("chats_pair_key").on(t.pairKey), index("chats_auto_delete").on(t.id).where(sql`auto_delete_days IS NOT NULL`)],
);

// A chat's log (issue #13): every chat-scoped change once, numbered per chat by
// chats.log_pos inside the writing transaction. The tail is pruned by count and age.
export const chatLog = sqliteTable(
  "chat_log",
  {
    chatId: text("chat_id").notNull().references(() => chats.id, { onDelete: "cascade" }),
    pos: integer("pos").notNull(),
    type: text("type").notNull(),
    data: text("data").notNull(), // JSON
    at: integer("at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.chatId, t.pos] }), index("chat_log_at").on(t.at)],
);

export const chatMembers = sqliteTable(
  "chat_members",
  {
    chatId: text("chat_id").notNull().references(() => chats.id, { onDelete: "cascade" }),
    userId: text("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
    role: text("role", { enum: ["owner", "admin", "member"] }).notNull(),
    joinedAt: integer("joined_at").notNull(),
    readSeq: integer("read_seq").notNull().default(0),
    muted: integer("muted").notNull().default(0),
    archived: integer("archived").notNull().default(0),
    pinnedAt: integer("pinned_at"),
    // notifications (src/push/): muted = 1 means until unmuted; mute_until a timed mute
    notifyLevel: text("notify_level", { enum: ["all", "mentions", "none"] }).notNull().default("all"),
    muteUntil: integer("mute_until"),
  },
  (t) => [primaryKey({ columns: [t.chatId, t.userId] }), index("chat_members_user").on(t.userId)],
);

export const messages = sqliteTable(
  "messages",
  {
    id: text("id").primaryKey(),
    chatId: text("chat_id").notNull().references(() => chats.id, { onDelete: "cascade" }),
    seq: integer("seq").notNull(),
    senderId: text("sender_id").notNull().references(() => users.id),
    clientId: text("client_id"),
    text: text("text").notNull(),
    entities: text("entities").notNull().default("[]"), // JSON Entity[]
    replyToId: text("reply_to_id"),
    fwdChatId: text("fwd_chat_id"),
    fwdMessageId: text("fwd_message_id"),
    fwdSenderId: text("fwd_sender_id"),
    fwdAt: integer("fwd_at"),
    silent: integer("silent").notNull().default(0),
    mentionsAll: integer("mentions_all").notNull().default(0),
    createdAt: integer("created_at").notNull(),
    editedAt: integer("edited_at"),
    editCount: integer("edit_count").notNull().default(0),
    deletedAt: integer("deleted_at"),
    deletedBy: text("deleted_by"),
    attachments: text("attachments"), // JSON StoredAttachment[] as sent (../media/); NULL: none
    // disappearing messages: stamped at send from the chat's timer (ms epoch); NULL: never
    expiresAt: integer("expires_at"),
    // Brought in from another messenger (src/imports/): NULL for messages written here.
    // sender_id is the mapped member, or the importer while the author is a placeholder
    // (import_mapped 0) that the chat's owner or an admin may map to a member later.
    importSource: text("import_source", { enum: ["telegram", "whatsapp", "discord"] }),
    importAuthor: text("import_author"), // the sender's name as the export showed it
    importMapped: integer("import_mapped").notNull().default(0),
    importMissing: integer("import_missing").notNull().default(0), // files the export referred to but did not include
  },
  // Every index here is paid for by every send (a B-tree leaf per chat, written again at
  // the commit: ≈ 8–18 µs of a durable send each in `bench messaging`), so there is no
  // (chat_id, seq) index of its own: messages_unread starts with those two columns and
  // serves every lookup and page by seq. A seq is unique per chat because the one writer
  // takes it from chats.last_seq in the insert's transaction (the storage contract checks
  // density under concurrent sends).
  (t) => [
    uniqueIndex("messages_chat_sender_client").on(t.chatId, t.senderId, t.clientId),
    // Unread counts read only this index over a backlog (see queries.ts).
    index("messages_unread").on(t.chatId, t.seq, t.senderId, t.deletedAt),
    index("messages_mention_all").on(t.chatId, t.seq).where(sql`mentions_all = 1`),
    // the retention sweeper's timer question: what has expired (auto-delete walks by seq)
    index("messages_expiry").on(t.expiresAt).where(sql`expires_at IS NOT NULL AND deleted_at IS NULL`),
    // The placeholders of a chat and the messages one of them wrote (mapping later).
    index("messages_import_author").on(t.chatId, t.importAuthor).where(sql`import_author IS NOT NULL`),
  ],
);

/** Previous versions of edited messages (version 1 = the original text). */
export const messageEdits = sqliteTable(
  "message_edits",
  {
    messageId: text("message_id").notNull().references(() => messages.id, { onDelete: "cascade" }),
    version: integer("version").notNull(),
    text: text("text").notNull(),
    entities: text("entities").notNull(),
    at: integer("at").notNull(), // when this version was written
  },
  (t) => [primaryKey({ columns: [t.messageId, t.version] })],
);

/** Who a message mentions by name (@all is messages.mentions_all): unread-mention counts. */
export const messageMentions = sqliteTable(
  "message_mentions",
  {
    messageId: text("message_id").notNull().references(() => messages.id, { onDelete: "cascade" }),
    userId: text("user_id").notNull(),
    chatId: text("chat_id").notNull(),
    seq: integer("seq").notNull(),
  },
  (t) => [primaryKey({ columns: [t.messageId, t.userId] }), index("message_mentions_user").on(t.userId, t.chatId, t.seq)],
);

/** Hashtags per message, lowercased, for search by tag. */
export const messageHashtags = sqliteTable(
  "message_hashtags",
  {
    messageId: text("message_id").notNull().references(() => messages.id, { onDelete: "cascade" }),
    tag: text("tag").notNull(),
    chatId: text("chat_id").notNull(),
    seq: integer("seq").notNull(),
  },
  (t) => [primaryKey({ columns: [t.messageId, t.tag] }), index("message_hashtags_tag").on(t.tag, t.chatId, t.seq)],
);

/** Messages a user deleted for themself only. */
export const messageHidden = sqliteTable(
  "message_hidden",
  {
    userId: text("user_id").notNull(),
    messageId: text("message_id").notNull().references(() => messages.id, { onDelete: "cascade" }),
    chatId: text("chat_id").notNull(),
    seq: integer("seq").notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.messageId] }), index("message_hidden_chat").on(t.userId, t.chatId, t.seq)],
);
