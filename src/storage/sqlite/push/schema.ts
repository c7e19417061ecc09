// Web Push subscriptions (one per session) and global notification settings (one row
// per user that changed them). drizzle-kit reads this file; see ../drizzle.config.ts.
// The migration that creates these also adds the trigger that drops a session's
// subscription when the session is revoked (drizzle has no trigger syntax).
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { sessions, users } from "../schema.ts";

export const pushSubscriptions = sqliteTable(
  "push_subscriptions",
  {
    sessionId: text("session_id").primaryKey().references(() => sessions.id, { onDelete: "cascade" }),
    userId: text("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
    endpoint: text("endpoint").notNull(),
    p256dh: text("p256dh").notNull(),
    auth: text("auth").notNull(),
    keyId: text("key_id").notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [uniqueIndex("push_subscriptions_endpoint").on(t.endpoint), index("push_subscriptions_user").on(t.userId)],
);

export const notifySettings = sqliteTable("notify_settings", {
  userId: text("user_id").primaryKey().references(() => users.id, { onDelete: "cascade" }),
  dndUntil: integer("dnd_until"),
  dndSchedule: text("dnd_schedule"), // JSON DndSchedule, or NULL
  callsBypassDnd: integer("calls_bypass_dnd").notNull().default(0),
  allMentionsNotify: integer("all_mentions_notify").notNull().default(1),
  hideContent: integer("hide_content").notNull().default(0),
});
