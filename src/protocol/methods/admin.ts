// The admin console's methods (owner and admins only; every one re-checks the caller's
// stored role). Accounts themselves (list, disable, role, reset link, invites,
// registration mode, directory) are account methods (./accounts.ts); these add what the
// console needs beyond them: another person's sessions, storage per user and per chat,
// the live settings in one place, IP blocks, the audit log and health.
import { type Static, Type } from "@sinclair/typebox";
import { IdSchema, RegistrationModeSchema } from "./accounts.ts";

const Empty = Type.Object({});

export const AdminSessionSchema = Type.Object({
  id: Type.String(),
  deviceName: Type.String(),
  ip: Type.String(),
  createdAt: Type.Integer(),
  lastSeenAt: Type.Integer(),
});

/** Settings an admin changes while the server runs; stored in the database, they outlive a restart and win over the config file. */
export const LiveSettingsSchema = Type.Object({
  registration: RegistrationModeSchema,
  directory: Type.Boolean(),
});

export const IpBlockSchema = Type.Object({
  id: Type.String(),
  cidr: Type.String(), // canonical: an address is stored as /32 or /128
  note: Type.String(),
  createdBy: Type.Union([Type.String(), Type.Null()]), // null: the CLI
  createdAt: Type.Integer(),
  expiresAt: Type.Union([Type.Integer(), Type.Null()]), // null: until removed
});

export const AuditEntrySchema = Type.Object({
  id: Type.Integer(),
  at: Type.Integer(),
  actorId: Type.Union([Type.String(), Type.Null()]), // null: the CLI on the server machine
  actorName: Type.String(), // the actor's username when written, or "cli"
  action: Type.String(), // e.g. user.disable, ipblock.add
  target: Type.String(), // what it was done to: a username, a CIDR, a setting
  detail: Type.String(),
});

export const HealthSchema = Type.Object({
  calls: Type.Object({
    state: Type.Union([Type.Literal("not_started"), Type.Literal("running"), Type.Literal("unavailable")]),
    workers: Type.Integer(), // configured (0 in the config = one per core, resolved here)
    workersAlive: Type.Integer(),
    activeCalls: Type.Integer(),
    detail: Type.String(), // why it is unavailable, when it is
  }),
  disk: Type.Object({ path: Type.String(), freeBytes: Type.Integer(), totalBytes: Type.Integer() }),
  tls: Type.Object({
    mode: Type.String(),
    expiresAt: Type.Union([Type.Integer(), Type.Null()]), // null: TLS off, or no certificate yet
    subject: Type.String(),
  }),
  backup: Type.Union([Type.Null(), Type.Object({ at: Type.Integer(), bytes: Type.Integer(), ok: Type.Boolean(), detail: Type.String() })]), // null: no backup yet
  version: Type.String(),
  startedAt: Type.Integer(),
});

const UsageRowUser = Type.Object({ userId: Type.String(), username: Type.String(), displayName: Type.String(), usedBytes: Type.Integer(), files: Type.Integer() });
const UsageRowChat = Type.Object({ chatId: Type.String(), kind: Type.String(), title: Type.String(), usedBytes: Type.Integer(), files: Type.Integer() });

export const adminMethods = {
  /** Admin: a person's live sessions (devices), newest first. */
  "admin.sessions": { params: Type.Object({ userId: IdSchema }), result: Type.Object({ sessions: Type.Array(AdminSessionSchema) }) },
  /** Admin: sign one of a person's devices out (its sockets close at once); same rules as user.setDisabled. */
  "admin.revoke_session": { params: Type.Object({ userId: IdSchema, sessionId: IdSchema }), result: Type.Object({}) },
  /** Admin: media bytes per user (uploader) and per chat (attached to live messages there), heaviest first. */
  "admin.storage": {
    params: Empty,
    result: Type.Object({ users: Type.Array(UsageRowUser), chats: Type.Array(UsageRowChat), totalBytes: Type.Integer() }),
  },
  "admin.settings": { params: Empty, result: LiveSettingsSchema },
  /** Admin: change any of the live settings; answers all of them. */
  "admin.set_settings": {
    params: Type.Object({ registration: Type.Optional(RegistrationModeSchema), directory: Type.Optional(Type.Boolean()) }),
    result: LiveSettingsSchema,
  },
  /** Admin: blocks in force (expired ones are not listed), newest first. */
  "admin.ip_blocks": { params: Empty, result: Type.Object({ blocks: Type.Array(IpBlockSchema), max: Type.Integer() }) },
  /** Admin: refuse every HTTP request and WebSocket from an address or CIDR (IPv4 or IPv6), before authentication. */
  "admin.ip_block": {
    params: Type.Object({
      cidr: Type.String({ minLength: 1, maxLength: 64 }),
      note: Type.Optional(Type.String({ maxLength: 1024 })),
      expiresInMs: Type.Optional(Type.Integer({ minimum: 1 })),
    }),
    result: IpBlockSchema,
  },
  "admin.ip_unblock": { params: Type.Object({ id: IdSchema }), result: Type.Object({}) },
  /** Admin: what admins did, newest first; page with beforeId. */
  "admin.audit": {
    params: Type.Object({ beforeId: Type.Optional(Type.Integer({ minimum: 1 })), limit: Type.Optional(Type.Integer({ minimum: 1 })) }),
    result: Type.Object({ entries: Type.Array(AuditEntrySchema), hasMore: Type.Boolean() }),
  },
  "admin.health": { params: Empty, result: HealthSchema },
} as const;

export type AdminSession = Static<typeof AdminSessionSchema>;
export type LiveSettings = Static<typeof LiveSettingsSchema>;
export type IpBlockInfo = Static<typeof IpBlockSchema>;
export type AuditEntry = Static<typeof AuditEntrySchema>;
export type Health = Static<typeof HealthSchema>;
export type AdminMethodName = keyof typeof adminMethods;
export type AdminResult<M extends AdminMethodName> = Static<(typeof adminMethods)[M]["result"]>;
