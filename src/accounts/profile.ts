// What a user says about themself, and what others may see of them.
import { AppError, notFound } from "../errors.ts";
import type { Deps } from "../core/deps.ts";
import { usernameKey } from "../storage/errors.ts";
import { currentUser } from "./access.ts";
import { throttled } from "./guard.ts";
import { draft, publish, revokedDrafts, sessionsRevoked } from "./notify.ts";
import { hashPassword, verifyPassword } from "./passwords.ts";
import { publicUser, me } from "./views.ts";
import { validateBio, validateDisplayName, validatePassword } from "./validate.ts";

export async function updateProfile(deps: Deps, userId: string, patch: { displayName?: string; bio?: string; avatarId?: string | null }) {
  await currentUser(deps, userId);
  if (patch.avatarId !== undefined) {
    // your finished avatar upload (not_found otherwise); null removes the picture
    const pic = await deps.storage.media.setUserAvatar(userId, patch.avatarId, {
      emit: (user) => [draft([user.id], "user.updated", { user: publicUser(user) })],
    });
    await publish(deps, pic.events);
    if (patch.displayName === undefined && patch.bio === undefined) return me(pic.value);
  }
  const clean: { displayName?: string; bio?: string } = {};
  if (patch.displayName !== undefined) clean.displayName = validateDisplayName(patch.displayName);
  if (patch.bio !== undefined) clean.bio = validateBio(patch.bio);
  const committed = await deps.storage.users.updateProfile(userId, clean, {
    emit: (user) => [draft([user.id], "user.updated", { user: publicUser(user) })],
  });
  await publish(deps, committed.events);
  return me(committed.value);
}

/** Any signed-in user may see a public profile; disabled users stay visible (their messages remain). */
export async function getPublicUser(deps: Deps, userId: string) {
  const user = await deps.storage.users.byId(userId);
  if (!user) throw notFound("No such user");
  return publicUser(user);
}

/** user.get for each id (duplicates once); ids with no account are left out. */
export async function getPublicUsers(deps: Deps, userIds: readonly string[]) {
  const found = await Promise.all([...new Set(userIds)].map((id) => deps.storage.users.byId(id)));
  return { users: found.flatMap((u) => (u ? [publicUser(u)] : [])) };
}

export async function findPublicUser(deps: Deps, username: string) {
  const user = await deps.storage.users.credentialsByUsername(username.trim());
  if (!user || user.disabled) throw notFound("No such user");
  return publicUser(user);
}

/**
 * Needs the current password (throttled like a login — the attempt is reserved before
 * argon2 — so a stolen access token cannot guess it); revokes every other session:
 * whoever knew the old password is out. The new password is validated before any hash.
 */
export async function changePassword(deps: Deps, userId: string, sessionId: string, ip: string, p: { currentPassword: string; newPassword: string }) {
  const user = await currentUser(deps, userId);
  const newPassword = validatePassword(p.newPassword);
  await throttled(deps, usernameKey(user.username), ip, async () => {
    const creds = await deps.storage.users.credentialsById(userId);
    if (!creds || !(await verifyPassword(p.currentPassword, creds.passwordHash))) {
      throw new AppError("invalid_credentials", "The current password is wrong");
    }
  });
  const hash = await hashPassword(newPassword);
  await currentUser(deps, userId); // re-checked after hashing: disabled meanwhile → account_disabled
  const committed = await deps.storage.users.setPassword(userId, hash, sessionId, { emit: (ids) => revokedDrafts(userId, ids) });
  const revoked = committed.value;
  deps.log.info("password changed", { userId, revokedSessions: revoked.length });
  await sessionsRevoked(deps, userId, revoked, committed.events);
  return { revokedSessions: revoked.length };
}
