// Admin actions on other users. The rules, one place:
// - nobody acts on themself here (password change and the CLI exist for that), and nobody
//   acts on the owner: the owner cannot be disabled, demoted or reset by an admin;
// - only the owner acts on admins (disable, demote, reset their password);
// - admins and the owner may promote members to admin; "owner" is never given here
//   (`hearth admin promote --role owner` is the deliberate way).
import { forbidden, notFound } from "../errors.ts";
import { limits } from "../limits.ts";
import type { AdminUser } from "../protocol/methods/accounts.ts";
import type { Deps } from "../core/deps.ts";
import type { User } from "../storage/port.ts";
import { requireAdmin } from "./access.ts";
import { audit } from "./audit.ts";
import { control, draft, publish } from "./notify.ts";
import { revokeSession } from "./sessions.ts";
import { issueResetLink } from "./reset.ts";
import { publicUser } from "./views.ts";

export const adminUser = (u: User): AdminUser => ({ ...publicUser(u), disabled: u.disabled, deletion: u.deletion ?? null });

type Action = "disable" | "demote" | "promote" | "reset" | "sessions" | "delete";

/** The actor (an admin) and the target, after the rules above; throws forbidden / not_found. */
export async function actOn(deps: Deps, actorId: string, targetId: string, action: Action): Promise<{ actor: User; target: User }> {
  const actor = await requireAdmin(deps, actorId);
  const target = await deps.storage.users.byId(targetId);
  if (!target || target.deletedAt !== undefined) throw notFound("No such user"); // a purged account is no one to act on
  if (target.id === actor.id) throw forbidden("You cannot do this to your own account");
  if (target.role === "owner") throw forbidden("Nobody may do this to the owner");
  if (target.role === "admin" && actor.role !== "owner" && action !== "promote") throw forbidden("Only the owner may do this to an admin");
  return { actor, target };
}

export async function setUserDisabled(deps: Deps, actorId: string, targetId: string, disabled: boolean) {
  const { actor } = await actOn(deps, actorId, targetId, "disable");
  const { user, revokedSessionIds } = await deps.storage.users.setDisabled(targetId, disabled);
  deps.log.info(disabled ? "user disabled" : "user enabled", { userId: user.id, by: actor.id, revokedSessions: revokedSessionIds.length });
  if (disabled) await control(deps, user.id, { kind: "user_disabled" });
  await audit(deps, actor, disabled ? "user.disable" : "user.enable", user.username, disabled ? `${revokedSessionIds.length} sessions signed out` : "");
  return publicUser(user);
}

export async function setUserRole(deps: Deps, actorId: string, targetId: string, role: "admin" | "member") {
  const { actor } = await actOn(deps, actorId, targetId, role === "admin" ? "promote" : "demote");
  // The person's own devices learn their new role at once (their Administration screen appears or goes).
  const committed = await deps.storage.users.setRole(targetId, role, { emit: (u) => [draft([u.id], "user.updated", { user: publicUser(u) })] });
  const user = committed.value;
  await publish(deps, committed.events);
  deps.log.info("user role set", { userId: user.id, role, by: actor.id });
  await audit(deps, actor, role === "admin" ? "user.promote" : "user.demote", user.username);
  return adminUser(user);
}

export async function userResetLink(deps: Deps, actorId: string, targetId: string) {
  const { actor, target } = await actOn(deps, actorId, targetId, "reset");
  const link = await issueResetLink(deps, actor.id, target.id);
  await audit(deps, actor, "user.reset_link", target.username, "a one-time password-reset link was made");
  return link;
}

/** A person's live sessions, as admins see them (no tokens: there are none to see). */
export async function userSessions(deps: Deps, actorId: string, targetId: string) {
  await requireAdmin(deps, actorId);
  const target = await deps.storage.users.byId(targetId);
  if (!target) throw notFound("No such user");
  const sessions = await deps.storage.sessions.listForUser(targetId);
  return { sessions: sessions.map((s) => ({ id: s.id, deviceName: s.deviceName, ip: s.ip, createdAt: s.createdAt, lastSeenAt: s.lastSeenAt })) };
}

/** Signs one device of another person out; the rules of actOn (not oneself here, not the owner, admins only by the owner). */
export async function revokeUserSession(deps: Deps, actorId: string, targetId: string, sessionId: string) {
  const { actor, target } = await actOn(deps, actorId, targetId, "sessions");
  const session = await deps.storage.sessions.byId(sessionId);
  await revokeSession(deps, target.id, sessionId); // not_found unless it is a live session of theirs
  await audit(deps, actor, "session.revoke", target.username, session ? `${session.deviceName} (${session.ip})` : sessionId);
  return {};
}

export async function listUsers(deps: Deps, actorId: string, p: { query?: string; afterUsername?: string; limit?: number }) {
  await requireAdmin(deps, actorId);
  const limit = Math.min(p.limit ?? limits.userListPageMax, limits.userListPageMax);
  const users = await deps.storage.users.list({ afterUsername: p.afterUsername, limit: limit + 1, query: p.query });
  return { users: users.slice(0, limit).map(adminUser), hasMore: users.length > limit };
}
