// The call history table (drizzle-kit reads this file; see ../drizzle.config.ts).
// One row per finished call; deleted with its chat.
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { chats } from "../chats/schema.ts";

export const callHistory = sqliteTable(
  "call_history",
  {
    id: text("id").primaryKey(),
    chatId: text("chat_id").notNull().references(() => chats.id, { onDelete: "cascade" }),
    startedBy: text("started_by").notNull(),
    startedAt: integer("started_at").notNull(),
    endedAt: integer("ended_at").notNull(),
    reason: text("reason", { enum: ["ended", "declined", "missed", "failed"] }).notNull(),
    participantIds: text("participant_ids").notNull(), // JSON array of user ids
  },
  (t) => [index("call_history_chat").on(t.chatId, t.endedAt, t.id)],
);
