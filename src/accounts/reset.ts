// One-time password-reset links: an admin makes one for a user (user.resetLink), the
// user opens <base>/reset#<token> and sets a new password. The token is random, stored
// only as its sha-256, single-use, expires after passwordResetTtlMs, and a new link
// replaces the unused one. Setting the password revokes every session of the user —
// like the owner claim, the link is the credential, so it works once.
import { hashToken, randomToken } from "../ids.ts";
import { limits } from "../limits.ts";
import type { ResetBody, ResetInfoAnswer } from "../protocol/http.ts";
import type { Deps } from "../core/deps.ts";
import { resetInvalid } from "../storage/errors.ts";
import { takeLookup } from "./lookups.ts";
import { sessionsRevoked } from "./notify.ts";
import { hashPassword } from "./passwords.ts";
import { publicBaseUrl } from "./registration.ts";
import { validatePassword } from "./validate.ts";

export async function issueResetLink(deps: Deps, actorId: string, userId: string) {
  const token = randomToken();
  const now = deps.now();
  const expiresAt = now + limits.passwordResetTtlMs;
  await deps.storage.accounts.createPasswordReset({ tokenHash: hashToken(token), userId, createdBy: actorId, createdAt: now, expiresAt });
  deps.log.info("password reset link issued", { userId, by: actorId });
  return { url: `${publicBaseUrl(deps)}/reset#${token}`, expiresAt };
}

export async function resetInfo(deps: Deps, token: string, ip: string): Promise<ResetInfoAnswer> {
  takeLookup(deps, ip);
  const user = await deps.storage.accounts.passwordResetUser(hashToken(token), deps.now());
  if (!user) throw resetInvalid();
  return { username: user.username, displayName: user.displayName };
}

export async function resetPassword(deps: Deps, body: ResetBody, ip: string) {
  takeLookup(deps, ip);
  const hash = await hashPassword(validatePassword(body.password));
  const { user, revokedSessionIds } = await deps.storage.accounts.resetPassword(hashToken(body.token), hash, deps.now());
  deps.log.info("password reset", { userId: user.id, revokedSessions: revokedSessionIds.length, ip });
  await sessionsRevoked(deps, user.id, revokedSessionIds, []); // their sockets close now
  return { username: user.username };
}
