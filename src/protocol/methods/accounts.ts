// Account methods over WebSocket (req/res) and the shapes of account data on the wire,
// shared by HTTP bodies (../http.ts), these methods and events (../events/accounts.ts).
// Length caps here only bound transport; the real rules (src/accounts/validate.ts)
// answer `invalid_field` / `weak_password` with a reason.
import { type Static, Type } from "@sinclair/typebox";

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

export type PublicUser = Static<typeof PublicUserSchema>;
export type Me = Static<typeof MeSchema>;
export type SessionInfo = Static<typeof SessionInfoSchema>;
export type InviteInfo = Static<typeof InviteSchema>;

// ---- WS methods: name → {params, result} ----
const Empty = Type.Object({});
const ClientIdSchema = Type.String({ minLength: 1, maxLength: 64 });

export const accountMethods = {
  "me.get": { params: Empty, result: MeSchema },
  "profile.update": {
    params: Type.Object({ displayName: Type.Optional(DisplayNameSchema), bio: Type.Optional(BioSchema) }),
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
  "invite.create": {
    params: Type.Object({
      clientId: ClientIdSchema,
      expiresInMs: Type.Optional(Type.Integer({ minimum: 1 })),
      maxUses: Type.Optional(Type.Integer({ minimum: 1 })),
    }),
    // Only the code's hash is stored; a retry with the same clientId returns the same code.
    result: Type.Object({ invite: InviteSchema, code: Type.String(), url: Type.String() }),
  },
  "invite.list": { params: Empty, result: Type.Object({ invites: Type.Array(InviteSchema) }) },
  "invite.revoke": { params: Type.Object({ inviteId: IdSchema }), result: Type.Object({}) },
  "registration.set": { params: Type.Object({ mode: RegistrationModeSchema }), result: Type.Object({ mode: RegistrationModeSchema }) },
  "user.get": { params: Type.Object({ userId: IdSchema }), result: PublicUserSchema },
  /** Exact username (case-insensitive), to start a direct chat; disabled accounts are not found. */
  "user.find": { params: Type.Object({ username: UsernameSchema }), result: PublicUserSchema },
  /** Admin: disabling revokes every session and closes the user's sockets. */
  "user.setDisabled": { params: Type.Object({ userId: IdSchema, disabled: Type.Boolean() }), result: PublicUserSchema },
} as const;

export type AccountMethodName = keyof typeof accountMethods;
export type AccountParams<M extends AccountMethodName> = Static<(typeof accountMethods)[M]["params"]>;
export type AccountResult<M extends AccountMethodName> = Static<(typeof accountMethods)[M]["result"]>;
