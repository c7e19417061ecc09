// Account methods over WebSocket (req/res) and the shapes of account data on the wire,
// shared by HTTP bodies (../http.ts), these methods and events (../events/accounts.ts).
// Length caps here only bound transport; the real rules (src/accounts/validate.ts)
// answer `invalid_field` / `weak_password` with a reason.
import { type Static, Type } from "@sinclair/typebox";
import { AvatarSchema } from "../media.ts";

export const RoleSchema = Type.Union([Type.Literal("owner"), Type.Literal("admin"), Type.Literal("member")]);
export const RegistrationModeSchema = Type.Union([Type.Literal("open"), Type.Literal("invite"), Type.Literal("closed")]);

export const IdSchema = Type.String({ minLength: 1, maxLength: 64 });
export const UsernameSchema = Type.String({ maxLength: 256 });
export const PasswordSchema = Type.String({ maxLength: 4096 });
export const DisplayNameSchema = Type.String({ maxLength: 1024 });
export const BioSchema = Type.String({ maxLength: 8192 });
export const DeviceNameSchema = Type.String({ maxLength: 1024 });
export const TokenSchema = Type.String({ maxLength: 512 });
export const CodeSchema = Type.String({ maxLength: 64 }); // TOTP or recovery code

/** What anyone signed in may see about a user. */
export const PublicUserSchema = Type.Object({
  id: Type.String(),
  username: Type.String(),
  displayName: Type.String(),
  bio: Type.String(),
  role: RoleSchema,
  createdAt: Type.Integer(),
  avatar: Type.Optional(AvatarSchema), // absent = none (show initials)
});

/** What a user sees about themself. */
export const MeSchema = Type.Composite([PublicUserSchema, Type.Object({ totpEnabled: Type.Boolean() })]);

export const SessionInfoSchema = Type.Object({
  id: Type.String(),
  deviceName: Type.String(),
  ip: Type.String(),
  createdAt: Type.Integer(),
  lastSeenAt: Type.Integer(),
  current: Type.Boolean(), // the session making this request
  push: Type.Boolean(), // has a Web Push subscription (push.subscribe)
});

export const InviteSchema = Type.Object({
  id: Type.String(),
  createdBy: Type.String(),
  createdAt: Type.Integer(),
  expiresAt: Type.Union([Type.Integer(), Type.Null()]),
  maxUses: Type.Union([Type.Integer(), Type.Null()]),
  uses: Type.Integer(),
  revokedAt: Type.Union([Type.Integer(), Type.Null()]),
});

/** A pending invite as admins see it again: its link while it can still be rebuilt (null after an invite-code-key rotation). */
export const InviteWithUrlSchema = Type.Composite([InviteSchema, Type.Object({ url: Type.Union([Type.String(), Type.Null()]) })]);

/** What admins see of an account in the user list. */
export const AdminUserSchema = Type.Composite([
  PublicUserSchema,
  Type.Object({
    disabled: Type.Boolean(),
    // scheduled for deletion (user.delete / account.delete): purged at `at`; null: not scheduled
    deletion: Type.Union([Type.Object({ at: Type.Integer(), by: Type.Union([Type.Literal("self"), Type.Literal("admin")]) }), Type.Null()]),
  }),
]);

export type PublicUser = Static<typeof PublicUserSchema>;
export type AdminUser = Static<typeof AdminUserSchema>;
export type InviteWithUrl = Static<typeof InviteWithUrlSchema>;
export type Me = Static<typeof MeSchema>;
export type SessionInfo = Static<typeof SessionInfoSchema>;
export type InviteInfo = Static<typeof InviteSchema>;

// ---- WS methods: name → {params, result} ----
const Empty = Type.Object({});
const ClientIdSchema = Type.String({ minLength: 1, maxLength: 64 });

export const accountMethods = {
  "me.get": { params: Empty, result: MeSchema },
  "profile.update": {
    // avatarId: your finished "avatar" upload; null removes your picture.
    params: Type.Object({
      displayName: Type.Optional(DisplayNameSchema),
      bio: Type.Optional(BioSchema),
      avatarId: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 64 }), Type.Null()])),
    }),
    result: MeSchema,
  },
  "password.change": {
    params: Type.Object({ currentPassword: PasswordSchema, newPassword: PasswordSchema }),
    result: Type.Object({ revokedSessions: Type.Integer() }),
  },
  "session.list": { params: Empty, result: Type.Object({ sessions: Type.Array(SessionInfoSchema) }) },
  "session.revoke": { params: Type.Object({ sessionId: IdSchema }), result: Type.Object({}) },
  "twofactor.setup": {
    params: Empty,
    result: Type.Object({ secret: Type.String(), otpauthUrl: Type.String(), expiresAt: Type.Integer() }),
  },
  "twofactor.enable": {
    params: Type.Object({ code: CodeSchema }),
    result: Type.Object({ recoveryCodes: Type.Array(Type.String()) }),
  },
  "twofactor.disable": {
    params: Type.Object({ password: Type.Optional(PasswordSchema), code: Type.Optional(CodeSchema) }),
    result: Type.Object({}),
  },
  "registration_invite.create": {
    params: Type.Object({
      clientId: ClientIdSchema,
      expiresInMs: Type.Optional(Type.Integer({ minimum: 1 })),
      maxUses: Type.Optional(Type.Integer({ minimum: 1 })),
    }),
    // Only the code's hash is stored; a retry with the same clientId returns the same code.
    result: Type.Object({ invite: InviteSchema, code: Type.String(), url: Type.String() }),
  },
  /** Newest first; pending ones carry their link again (`url`), used-up, expired and revoked ones `url: null`. */
  "registration_invite.list": { params: Empty, result: Type.Object({ invites: Type.Array(InviteWithUrlSchema) }) },
  "registration_invite.revoke": { params: Type.Object({ inviteId: IdSchema }), result: Type.Object({}) },
  "registration.set": { params: Type.Object({ mode: RegistrationModeSchema }), result: Type.Object({ mode: RegistrationModeSchema }) },
  "user.get": { params: Type.Object({ userId: IdSchema }), result: PublicUserSchema },
  /**
   * Several public profiles at once (a client meeting a group's members): as user.get for
   * each (limits.userGetManyMax ids), in no promised order; an id with no account is left out.
   */
  "user.get_many": {
    params: Type.Object({ userIds: Type.Array(IdSchema, { minItems: 1, maxItems: 100 }) }),
    result: Type.Object({ users: Type.Array(PublicUserSchema) }),
  },
  /** Exact username (case-insensitive), to start a direct chat; disabled accounts are not found. */
  "user.find": { params: Type.Object({ username: UsernameSchema }), result: PublicUserSchema },
  /** People whose username or display name (or a word of it) starts with `query`: shared chats, plus everyone when the directory is on. */
  "user.search": {
    params: Type.Object({ query: Type.String({ minLength: 1, maxLength: 64 }), limit: Type.Optional(Type.Integer({ minimum: 1 })) }),
    result: Type.Object({ users: Type.Array(PublicUserSchema) }),
  },
  /** Admin: every account (disabled ones too), by username, optionally filtered by a name prefix. */
  "user.list": {
    params: Type.Object({
      query: Type.Optional(Type.String({ maxLength: 64 })),
      afterUsername: Type.Optional(UsernameSchema),
      limit: Type.Optional(Type.Integer({ minimum: 1 })),
    }),
    result: Type.Object({ users: Type.Array(AdminUserSchema), hasMore: Type.Boolean() }),
  },
  /** Admin: make an account admin or member (never owner; see docs/protocol.md for who may). */
  "user.set_role": {
    params: Type.Object({ userId: IdSchema, role: Type.Union([Type.Literal("admin"), Type.Literal("member")]) }),
    result: AdminUserSchema,
  },
  /** Admin: a one-time link (`/reset#<token>`) that lets the user set a new password; replaces their unused one. */
  "user.reset_link": {
    params: Type.Object({ userId: IdSchema }),
    result: Type.Object({ url: Type.String(), expiresAt: Type.Integer() }),
  },
  /** Server settings admins change at run time. */
  "server.settings": { params: Empty, result: Type.Object({ directory: Type.Boolean() }) },
  "server.set_directory": { params: Type.Object({ enabled: Type.Boolean() }), result: Type.Object({ directory: Type.Boolean() }) },
  /** Admin: disabling revokes every session and closes the user's sockets. */
  "user.set_disabled": { params: Type.Object({ userId: IdSchema, disabled: Type.Boolean() }), result: PublicUserSchema },
  /**
   * Delete your own account: needs the password (and a TOTP or recovery code when 2FA is
   * on). Every session is revoked at once (this socket closes right after the answer);
   * the account is purged at deleteAt unless you cancel by signing in with cancelDeletion.
   */
  "account.delete": {
    params: Type.Object({ password: PasswordSchema, totp: Type.Optional(CodeSchema), recoveryCode: Type.Optional(CodeSchema) }),
    result: Type.Object({ deleteAt: Type.Integer() }),
  },
  /** Admin: schedule another person's deletion after the grace period, or purge it now (immediate). */
  "user.delete": {
    params: Type.Object({ userId: IdSchema, immediate: Type.Optional(Type.Boolean()) }),
    result: Type.Object({ deleteAt: Type.Integer(), purged: Type.Boolean() }),
  },
  /** Admin: cancel a scheduled deletion (theirs or one an admin scheduled). */
  "user.cancel_deletion": { params: Type.Object({ userId: IdSchema }), result: AdminUserSchema },
} as const;

export type AccountMethodName = keyof typeof accountMethods;
export type AccountParams<M extends AccountMethodName> = Static<(typeof accountMethods)[M]["params"]>;
export type AccountResult<M extends AccountMethodName> = Static<(typeof accountMethods)[M]["result"]>;
