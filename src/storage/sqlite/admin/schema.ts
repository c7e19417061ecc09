// The admin console's tables: IP blocks (enforced at the edge) and the audit log.
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

export const ipBlocks = sqliteTable(
  "ip_blocks",
  {
    id: text("id").primaryKey(),
    cidr: text("cidr").notNull(), // canonical text: address/prefix
    note: text("note").notNull().default(""),
    createdBy: text("created_by"), // a user id; null: the CLI (no FK: the block outlives its maker)
    createdAt: integer("created_at").notNull(),
    expiresAt: integer("expires_at"), // null: until removed
  },
  (t) => [uniqueIndex("ip_blocks_cidr").on(t.cidr)],
);

export const adminAudit = sqliteTable(
  "admin_audit",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    at: integer("at").notNull(),
    actorId: text("actor_id"), // no FK: the record outlives the account
    actorName: text("actor_name").notNull(),
    action: text("action").notNull(),
    target: text("target").notNull(),
    detail: text("detail").notNull().default(""),
  },
  (t) => [index("admin_audit_at").on(t.at)],
);
