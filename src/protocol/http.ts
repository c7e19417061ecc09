// HTTP endpoints of accounts (JSON bodies), shared by the server, the client module and
// the web client. Errors come back as a WireError body with the code's HTTP status
// (src/protocol/errors.ts). Everything else is WebSocket (src/protocol/frames.ts).
import { type Static, Type } from "@sinclair/typebox";
import {
  CodeSchema,
  DeviceNameSchema,
  DisplayNameSchema,
  PasswordSchema,
  RegistrationModeSchema,
  TokenSchema,
  UsernameSchema,
} from "./methods/accounts.ts";

export const authPaths = {
  claim: "/api/auth/claim",
  register: "/api/auth/register",
  login: "/api/auth/login",
  refresh: "/api/auth/refresh",
  logout: "/api/auth/logout", // Authorization: Bearer <accessToken>; 204
  info: "/api/auth/info", // GET
  inviteInfo: "/api/auth/invite-info", // who invites you where (for a live invite code)
  resetInfo: "/api/auth/reset-info", // whose password a live reset token sets
  reset: "/api/auth/reset", // set a new password with a reset token
} as const;

export const InviteInfoBodySchema = Type.Object({ inviteCode: TokenSchema });
export const InviteInfoSchema = Type.Object({ inviterName: Type.String(), serverName: Type.String() });
export const ResetInfoBodySchema = Type.Object({ token: TokenSchema });
export const ResetInfoSchema = Type.Object({ username: Type.String(), displayName: Type.String() });
export const ResetBodySchema = Type.Object({ token: TokenSchema, password: PasswordSchema });
export const ResetResultSchema = Type.Object({ username: Type.String() });

export const ClaimBodySchema = Type.Object({
  token: TokenSchema,
  username: UsernameSchema,
  password: PasswordSchema,
  displayName: Type.Optional(DisplayNameSchema),
  deviceName: DeviceNameSchema,
});

export const RegisterBodySchema = Type.Object({
  username: UsernameSchema,
  password: PasswordSchema,
  displayName: Type.Optional(DisplayNameSchema),
  inviteCode: Type.Optional(TokenSchema),
  deviceName: DeviceNameSchema,
});

export const LoginBodySchema = Type.Object({
  username: UsernameSchema,
  password: PasswordSchema,
  deviceName: DeviceNameSchema,
  totp: Type.Optional(CodeSchema),
  recoveryCode: Type.Optional(CodeSchema),
  // The account is scheduled for deletion (account_pending_deletion, cancellable): keep it and sign in.
  cancelDeletion: Type.Optional(Type.Boolean()),
});

export const RefreshBodySchema = Type.Object({ refreshToken: TokenSchema });

/** Answer of claim, register, login and refresh. Times are ms since the epoch. */
export const AuthTokensSchema = Type.Object({
  userId: Type.String(),
  sessionId: Type.String(),
  accessToken: Type.String(),
  accessExpiresAt: Type.Integer(),
  refreshToken: Type.String(),
  refreshExpiresAt: Type.Integer(),
});

export const AuthInfoSchema = Type.Object({
  registration: RegistrationModeSchema,
  ownerClaimPending: Type.Boolean(),
  passwordMinLength: Type.Integer(),
  /** How long a requested account deletion waits before the purge (accounts.deletionGraceMs). */
  deletionGraceMs: Type.Integer(),
});

export type ClaimBody = Static<typeof ClaimBodySchema>;
export type RegisterBody = Static<typeof RegisterBodySchema>;
export type LoginBody = Static<typeof LoginBodySchema>;
export type RefreshBody = Static<typeof RefreshBodySchema>;
export type AuthTokens = Static<typeof AuthTokensSchema>;
export type AuthInfo = Static<typeof AuthInfoSchema>;
export type InviteInfoBody = Static<typeof InviteInfoBodySchema>;
export type InviteInfoAnswer = Static<typeof InviteInfoSchema>;
export type ResetInfoAnswer = Static<typeof ResetInfoSchema>;
export type ResetBody = Static<typeof ResetBodySchema>;

/**
 * GET: your data as one tar archive (JSON, your files, an index.html), streamed;
 * `?userId=` for an admin exporting someone else's. Authorization: Bearer <access token>.
 */
export const exportPaths = { archive: "/api/export" } as const;
