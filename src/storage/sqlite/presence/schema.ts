// Last seen and privacy settings, one row per user that has either (drizzle-kit reads
// this file; see ../drizzle.config.ts). A missing row means: never seen, default privacy.
import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { users } from "../schema.ts";

export const userPresence = sqliteTable("user_presence", {
  userId: text("user_id").primaryKey().references(() => users.id, { onDelete: "cascade" }),
  lastSeenAt: integer("last_seen_at"),
  lastSeenVisibility: text("last_seen_visibility", { enum: ["everyone", "contacts", "nobody"] }).notNull().default("everyone"),
  readReceiptsVisibility: text("read_receipts_visibility", { enum: ["everyone", "contacts", "nobody"] }).notNull().default("everyone"),
  groupAddVisibility: text("group_add_visibility", { enum: ["everyone", "contacts", "nobody"] }).notNull().default("everyone"),
});
