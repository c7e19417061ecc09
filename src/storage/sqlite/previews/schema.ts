// The link-preview cache (drizzle-kit reads this file; see ../drizzle.config.ts).
// link_previews: one row per URL; preview is JSON LinkPreview or NULL for "no preview".
// message_previews: the preview each message carries.
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { messages } from "../chats/schema.ts";

export const linkPreviews = sqliteTable(
  "link_previews",
  {
    url: text("url").primaryKey(),
    preview: text("preview"), // JSON WireLinkPreview; NULL = the page has none
    fetchedAt: integer("fetched_at").notNull(),
    expiresAt: integer("expires_at").notNull(),
  },
  (t) => [index("link_previews_expires").on(t.expiresAt)],
);

/** The preview a message was sent with (a snapshot of the cache entry); gone with the message or its delete. */
export const messagePreviews = sqliteTable("message_previews", {
  messageId: text("message_id").primaryKey().references(() => messages.id, { onDelete: "cascade" }),
  preview: text("preview").notNull(), // JSON LinkPreview
});
