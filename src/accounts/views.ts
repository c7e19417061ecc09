// Stored records → wire shapes. Only these fields leave the server.
import type { InviteInfo, Me, PublicUser, SessionInfo } from "../protocol/methods/accounts.ts";
import type { Invite, Session, User } from "../storage/port.ts";

export const publicUser = (u: User): PublicUser => ({
  id: u.id,
  username: u.username,
  displayName: u.displayName,
  bio: u.bio,
  role: u.role,
  createdAt: u.createdAt,
  ...(u.avatar ? { avatar: u.avatar } : {}),
});

export const me = (u: User): Me => ({ ...publicUser(u), totpEnabled: u.totpEnabled });

export const sessionInfo = (s: Session, currentSessionId: string): SessionInfo => ({
  id: s.id,
  deviceName: s.deviceName,
  ip: s.ip,
  createdAt: s.createdAt,
  lastSeenAt: s.lastSeenAt,
  current: s.id === currentSessionId,
});

export const inviteInfo = (i: Invite): InviteInfo => ({
  id: i.id,
  createdBy: i.createdBy,
  createdAt: i.createdAt,
  expiresAt: i.expiresAt,
  maxUses: i.maxUses,
  uses: i.uses,
  revokedAt: i.revokedAt,
});
