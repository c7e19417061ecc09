// Tables of media (drizzle-kit reads this file; see ../drizzle.config.ts). Blob content
// lives in files under <data dir>/media/ named by sha-256; these rows say which exist and
// who refers to them. A user's and a chat's picture are `avatar` columns on users and
// chats (JSON { id, placeholder? }), defined there.
import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { users } from "../schema.ts";

export const mediaUploads = sqliteTable(
  "media_uploads",
  {
    id: text("id").primaryKey(),
    userId: text("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
    purpose: text("purpose", { enum: ["attachment", "voice", "avatar", "poster"] }).notNull(),
    chatId: text("chat_id"),
    forMediaId: text("for_media_id"),
    name: text("name").notNull(),
    size: integer("size").notNull(),
    offset: integer("offset").notNull().default(0), // bytes fsync'd in the part file
    waveform: text("waveform"),
    durationMs: integer("duration_ms"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [index("media_uploads_user").on(t.userId), index("media_uploads_updated").on(t.updatedAt)],
);

export const mediaBlobs = sqliteTable("media_blobs", {
  sha256: text("sha256").primaryKey(),
  size: integer("size").notNull(),
  createdAt: integer("created_at").notNull(),
});

export const media = sqliteTable(
  "media",
  {
    id: text("id").primaryKey(),
    ownerId: text("owner_id").references(() => users.id, { onDelete: "set null" }),
    purpose: text("purpose", { enum: ["attachment", "voice", "avatar", "poster", "preview"] }).notNull(),
    blobSha256: text("blob_sha256").notNull().references(() => mediaBlobs.sha256),
    size: integer("size").notNull(),
    mime: text("mime").notNull(),
    kind: text("kind", { enum: ["photo", "video", "audio", "voice", "file"] }).notNull(),
    name: text("name").notNull(),
    width: integer("width"),
    height: integer("height"),
    durationMs: integer("duration_ms"),
    waveform: text("waveform"),
    placeholder: text("placeholder"),
    thumbs: integer("thumbs").notNull().default(0),
    createdAt: integer("created_at").notNull(),
    attachedAt: integer("attached_at"),
  },
  (t) => [index("media_owner").on(t.ownerId), index("media_blob").on(t.blobSha256)],
);

export const mediaVariants = sqliteTable(
  "media_variants",
  {
    mediaId: text("media_id").notNull().references(() => media.id, { onDelete: "cascade" }),
    name: text("name", { enum: ["display", "thumb320", "thumb800", "thumb1280", "poster"] }).notNull(),
    blobSha256: text("blob_sha256").notNull().references(() => mediaBlobs.sha256),
    size: integer("size").notNull(),
    mime: text("mime").notNull(),
    width: integer("width"),
    height: integer("height"),
  },
  (t) => [primaryKey({ columns: [t.mediaId, t.name] }), index("media_variants_blob").on(t.blobSha256)],
);

/** Which live messages carry which media, in order; a tombstone's rows are deleted. */
export const messageMedia = sqliteTable(
  "message_media",
  {
    messageId: text("message_id").notNull(),
    position: integer("position").notNull(),
    mediaId: text("media_id").notNull(),
    chatId: text("chat_id").notNull(),
  },
  (t) => [primaryKey({ columns: [t.messageId, t.position] }), index("message_media_media").on(t.mediaId)],
);
