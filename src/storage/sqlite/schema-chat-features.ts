// Tables of the chat features built on the core chat tables (./chats/schema.ts):
// invite links, blocks between users, reactions and pinned messages. Each is its own
// table keyed by its owner, so the core tables keep their shape. Same portable choices
// as ./schema.ts (text ids, integer ms timestamps, 0/1 booleans).
import { foreignKey, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { chatMembers, chats, messages } from "./chats/schema.ts";
import { users } from "./schema.ts";

/** Invite links of groups and channels; only the sha-256 of a code is stored. */
export const chatInviteLinks = sqliteTable(
  "chat_invite_links",
  {
    id: text("id").primaryKey(),
    chatId: text("chat_id").notNull().references(() => chats.id, { onDelete: "cascade" }),
    codeHash: text("code_hash").notNull(),
    createdBy: text("created_by").notNull(),
    createdAt: integer("created_at").notNull(),
    expiresAt: integer("expires_at"),
    maxUses: integer("max_uses"),
    uses: integer("uses").notNull().default(0),
    revokedAt: integer("revoked_at"),
  },
  (t) => [uniqueIndex("chat_invite_links_code_hash").on(t.codeHash), index("chat_invite_links_chat").on(t.chatId, t.revokedAt)],
);

/** user_id blocked blocked_id: blocked_id may not message user_id in a direct chat. */
export const userBlocks = sqliteTable(
  "user_blocks",
  {
    userId: text("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
    blockedId: text("blocked_id").notNull().references(() => users.id, { onDelete: "cascade" }),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.blockedId] })],
);

/** One row per (message, emoji, user). */
export const messageReactions = sqliteTable(
  "message_reactions",
  {
    messageId: text("message_id").notNull().references(() => messages.id, { onDelete: "cascade" }),
    emoji: text("emoji").notNull(),
    userId: text("user_id").notNull(),
    chatId: text("chat_id").notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.messageId, t.emoji, t.userId] }), index("message_reactions_user").on(t.messageId, t.userId)],
);

export const messagePins = sqliteTable(
  "message_pins",
  {
    chatId: text("chat_id").notNull().references(() => chats.id, { onDelete: "cascade" }),
    messageId: text("message_id").notNull().references(() => messages.id, { onDelete: "cascade" }),
    pinnedBy: text("pinned_by").notNull(),
    pinnedAt: integer("pinned_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.chatId, t.messageId] }), index("message_pins_chat").on(t.chatId, t.pinnedAt)],
);

/**
 * The unsent text of one member in one chat. Keyed by the membership and deleted with
 * it, so a user holds at most one draft per chat they are in, and none after leaving.
 */
export const chatDrafts = sqliteTable(
  "chat_drafts",
  {
    chatId: text("chat_id").notNull(),
    userId: text("user_id").notNull(),
    text: text("text").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.chatId, t.userId] }),
    foreignKey({ columns: [t.chatId, t.userId], foreignColumns: [chatMembers.chatId, chatMembers.userId] }).onDelete("cascade"),
  ],
);
