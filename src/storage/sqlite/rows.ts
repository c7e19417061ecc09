// Row shapes as SQLite returns them, and their mapping to the port's types.
import type { Avatar, Invite, Role, Session, User, UserCredentials } from "../port.ts";

export interface UserRow {
  id: string;
  username: string;
  display_name: string;
  bio: string;
  role: Role;
  disabled: number;
  password_hash: string;
  totp_secret: string | null;
  totp_last_step: number;
  created_at: number;
  avatar: string | null;
  deletion_at: number | null;
  deletion_by: "self" | "admin" | null;
  deleted_at: number | null;
}

export const USER_COLS = "id, username, display_name, bio, role, disabled, password_hash, totp_secret, totp_last_step, created_at, avatar, deletion_at, deletion_by, deleted_at";

export function toUser(r: UserRow): User {
  return {
    id: r.id,
    username: r.username,
    displayName: r.display_name,
    bio: r.bio,
    role: r.role,
    disabled: r.disabled === 1,
    totpEnabled: r.totp_secret !== null,
    createdAt: r.created_at,
    ...(r.avatar ? { avatar: JSON.parse(r.avatar) as Avatar } : {}),
    ...(r.deletion_at !== null ? { deletion: { at: r.deletion_at, by: r.deletion_by ?? "self" } } : {}),
    ...(r.deleted_at !== null ? { deletedAt: r.deleted_at } : {}),
  };
}

export function toCredentials(r: UserRow): UserCredentials {
  return { ...toUser(r), passwordHash: r.password_hash, totpSecret: r.totp_secret, totpLastStep: r.totp_last_step };
}

export interface SessionRow {
  id: string;
  user_id: string;
  device_name: string;
  ip: string;
  created_at: number;
  last_seen_at: number;
  revoked_at: number | null;
  last_acked_event_id: number;
}

export const SESSION_COLS = "id, user_id, device_name, ip, created_at, last_seen_at, revoked_at, last_acked_event_id";

export function toSession(r: SessionRow): Session {
  return {
    id: r.id,
    userId: r.user_id,
    deviceName: r.device_name,
    ip: r.ip,
    createdAt: r.created_at,
    lastSeenAt: r.last_seen_at,
    revokedAt: r.revoked_at,
    lastAckedEventId: r.last_acked_event_id,
  };
}

export interface InviteRow {
  id: string;
  created_by: string;
  created_at: number;
  expires_at: number | null;
  max_uses: number | null;
  uses: number;
  revoked_at: number | null;
  client_id: string | null;
  code_hash: string;
}

export const INVITE_COLS = "id, created_by, created_at, expires_at, max_uses, uses, revoked_at, client_id, code_hash";

export function toInvite(r: InviteRow): Invite {
  return {
    id: r.id,
    createdBy: r.created_by,
    createdAt: r.created_at,
    expiresAt: r.expires_at,
    maxUses: r.max_uses,
    uses: r.uses,
    revokedAt: r.revoked_at,
    clientId: r.client_id,
    codeHash: r.code_hash,
  };
}
