// The SQLite schema, source of truth for `bun run db:generate` (drizzle-kit). Portable
// choices so the PostgreSQL adapter can mirror it: text ids, integer millisecond
// timestamps, JSON stored as text (jsonb there), booleans as 0/1 integers.
// Queries are hand-written SQL in the sub-stores (see adapter.ts for why).
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

export const users = sqliteTable(
  "users",
  {
    id: text("id").primaryKey(),
    username: text("username").notNull(), // as typed
    usernameKey: text("username_key").notNull(), // lowercased: case-insensitive uniqueness
    displayName: text("display_name").notNull(),
    bio: text("bio").notNull().default(""),
    role: text("role", { enum: ["owner", "admin", "member"] }).notNull(),
    disabled: integer("disabled").notNull().default(0),
    passwordHash: text("password_hash").notNull(),
    totpSecret: text("totp_secret"),
    // the last TOTP step accepted: in the database so no restart or second process takes a code twice
    totpLastStep: integer("totp_last_step").notNull().default(-1),
    createdAt: integer("created_at").notNull(),
    avatar: text("avatar"), // JSON { id, placeholder? } of a media (src/storage/sqlite/media/)
    // Account deletion (src/accounts/deletion.ts): when the purge is due, and who asked ("self" | "admin").
    deletionAt: integer("deletion_at"),
    deletionBy: text("deletion_by", { enum: ["self", "admin"] }),
    // Set once purged: the row is then only the "Deleted account" their remaining messages point to.
    deletedAt: integer("deleted_at"),
  },
  (t) => [uniqueIndex("users_username_key").on(t.usernameKey), index("users_role").on(t.role), index("users_deletion_at").on(t.deletionAt)],
);

export const sessions = sqliteTable(
  "sessions",
  {
    id: text("id").primaryKey(),
    userId: text("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
    deviceName: text("device_name").notNull(),
    ip: text("ip").notNull(),
    createdAt: integer("created_at").notNull(),
    lastSeenAt: integer("last_seen_at").notNull(),
    revokedAt: integer("revoked_at"),
    lastAckedEventId: integer("last_acked_event_id").notNull().default(0),
  },
  (t) => [index("sessions_user").on(t.userId, t.revokedAt)],
);

export const refreshTokens = sqliteTable(
  "refresh_tokens",
  {
    hash: text("hash").primaryKey(), // sha-256 of the token
    sessionId: text("session_id").notNull().references(() => sessions.id, { onDelete: "cascade" }),
    createdAt: integer("created_at").notNull(),
    expiresAt: integer("expires_at").notNull(),
    usedAt: integer("used_at"),
  },
  (t) => [index("refresh_tokens_session").on(t.sessionId)],
);

export const recoveryCodes = sqliteTable(
  "recovery_codes",
  {
    userId: text("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
    codeHash: text("code_hash").notNull(),
    usedAt: integer("used_at"),
  },
  (t) => [primaryKey({ columns: [t.userId, t.codeHash] })],
);

export const ownerClaims = sqliteTable("owner_claims", {
  tokenHash: text("token_hash").primaryKey(),
  createdAt: integer("created_at").notNull(),
  expiresAt: integer("expires_at").notNull(),
  usedAt: integer("used_at"),
});

export const invites = sqliteTable(
  "invites",
  {
    id: text("id").primaryKey(),
    codeHash: text("code_hash").notNull(),
    createdBy: text("created_by").notNull().references(() => users.id, { onDelete: "cascade" }),
    createdAt: integer("created_at").notNull(),
    expiresAt: integer("expires_at"),
    maxUses: integer("max_uses"),
    uses: integer("uses").notNull().default(0),
    revokedAt: integer("revoked_at"),
    // The clientId the code was made from (HMAC under invite-code-key): lets an admin
    // show a pending invite's link again; on its own (a backup) it is no code.
    clientId: text("client_id"),
  },
  (t) => [uniqueIndex("invites_code_hash").on(t.codeHash), index("invites_created_by").on(t.createdBy, t.createdAt)],
);

/** One-time password-reset links an admin hands a user; only the token's sha-256 is kept. */
export const passwordResets = sqliteTable(
  "password_resets",
  {
    tokenHash: text("token_hash").primaryKey(),
    userId: text("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
    createdBy: text("created_by").notNull(),
    createdAt: integer("created_at").notNull(),
    expiresAt: integer("expires_at").notNull(),
    usedAt: integer("used_at"),
  },
  (t) => [index("password_resets_user").on(t.userId)],
);

export const settings = sqliteTable("settings", {
  key: text("key").primaryKey(),
  value: text("value").notNull(), // JSON
});

export const eventQueues = sqliteTable("event_queues", {
  userId: text("user_id").primaryKey(), // no FK: events may address ids the store does not own
  queueId: text("queue_id").notNull(),
  lastEventId: integer("last_event_id").notNull(),
});

export const events = sqliteTable(
  "events",
  {
    userId: text("user_id").notNull(),
    id: integer("id").notNull(),
    type: text("type").notNull(),
    data: text("data").notNull(), // JSON
    at: integer("at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.id] }), index("events_at").on(t.at)],
);

export const idempotency = sqliteTable(
  "idempotency",
  {
    userId: text("user_id").notNull(),
    key: text("key").notNull(),
    method: text("method").notNull(),
    result: text("result").notNull(), // JSON of the first result
    createdAt: integer("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.key] }), index("idempotency_created_at").on(t.createdAt)],
);

