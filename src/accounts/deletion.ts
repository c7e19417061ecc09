// Account deletion with a grace period. A request (the person, re-authenticated; or an
// admin) schedules the purge at now + accounts.deletionGraceMs and revokes every session
// at once. Until then the account is inert: signing in answers account_pending_deletion
// (a self-requested one may be cancelled there, see login.ts; an admin's only by an
// admin). When the time comes the sweeper purges it (storage: deletions-port.ts), then
// removes the blobs that became orphans and tells the people who shared a chat with them.
// What stays and what goes: docs/operations.md "Account deletion".
import { AppError, invalidField } from "../errors.ts";
import { limits } from "../limits.ts";
import type { Deps as CoreDeps } from "../core/deps.ts";
import type { PurgeReport } from "../storage/deletions-port.ts";
import { usernameKey } from "../storage/errors.ts";
import type { ChatLogDraft, EventDraft, User } from "../storage/port.ts";
import { publishCommitted } from "../events/publish.ts";
import { currentUser, isAdmin } from "./access.ts";
import { actOn, adminUser } from "./admin.ts";
import { audit } from "./audit.ts";
import { draft, sessionsRevoked } from "./notify.ts";
import { verifyPassword } from "./passwords.ts";
import { throttled } from "./guard.ts";
import { checkSecondFactor } from "./twofactor.ts";
import { publicUser } from "./views.ts";

// The dependencies of the helpers this builds on (throttle, audit), plus the media purge
// the composition root wires in (Deps.purgeMedia).
type Deps = Parameters<typeof throttled>[0] & Pick<CoreDeps, "purgeMedia">;

export const pendingDeletion = (d: NonNullable<User["deletion"]>) =>
  new AppError(
    "account_pending_deletion",
    d.by === "self" ? "This account is scheduled for deletion; you can still keep it" : "An administrator scheduled this account for deletion",
    { deleteAt: d.at, by: d.by, cancellable: d.by === "self" },
  );

/** Sockets close after the answer went out: the request that revoked them gets its result. */
function revokeAfterAnswer(deps: Deps, userId: string, sessionIds: string[]): void {
  setTimeout(() => void sessionsRevoked(deps, userId, sessionIds, []).catch((err) => deps.log.warn("closing sessions failed", { err })), 0);
}

export async function requestOwnDeletion(deps: Deps, userId: string, ip: string, proof: { password: string; totp?: string; recoveryCode?: string }) {
  const user = await currentUser(deps, userId);
  const creds = await deps.storage.users.credentialsById(userId);
  if (!creds) throw new AppError("unauthenticated", "Unknown user");
  if (proof.password === "") throw invalidField("password", "required");
  await throttled(deps, usernameKey(creds.username), ip, async () => {
    if (!(await verifyPassword(proof.password, creds.passwordHash))) throw new AppError("invalid_credentials", "Wrong password");
    await checkSecondFactor(deps, creds, proof);
  });
  await currentUser(deps, userId); // re-checked after the proof's awaits
  if (isAdmin(user) && !(await deps.storage.deletions.otherAdminExists(userId))) {
    throw new AppError("last_admin", "You are the only admin: make someone else admin before deleting your account");
  }
  const at = deps.now() + deps.config.accounts.deletionGraceMs;
  const { revokedSessionIds } = await deps.storage.deletions.schedule(userId, { at, by: "self" });
  deps.log.info("account deletion requested", { userId, deleteAt: at, revokedSessions: revokedSessionIds.length });
  revokeAfterAnswer(deps, userId, revokedSessionIds);
  return { deleteAt: at };
}

export async function adminDeleteUser(deps: Deps, actorId: string, targetId: string, immediate: boolean) {
  const { actor, target } = await actOn(deps, actorId, targetId, "delete");
  const at = immediate ? deps.now() : deps.now() + deps.config.accounts.deletionGraceMs;
  const { revokedSessionIds } = await deps.storage.deletions.schedule(target.id, { at, by: "admin" });
  await audit(deps, actor, "user.delete", target.username, immediate ? "purged at once" : `purge at ${new Date(at).toISOString()}`);
  revokeAfterAnswer(deps, target.id, revokedSessionIds);
  const purged = immediate ? (await purgeAccount(deps, target.id)) !== null : false;
  return { deleteAt: at, purged };
}

export async function adminCancelDeletion(deps: Deps, actorId: string, targetId: string) {
  const { actor, target } = await actOn(deps, actorId, targetId, "delete");
  if (!target.deletion) throw new AppError("conflict", "This account is not scheduled for deletion", { what: "deletion" });
  const user = await deps.storage.deletions.cancel(target.id);
  await audit(deps, actor, "user.delete_cancel", user.username);
  return adminUser(user);
}

/** What the people around the purged account learn: it is a Deleted account now, left its groups, and who owns what it owned. */
function purgeDrafts(r: PurgeReport): (EventDraft | ChatLogDraft)[] {
  const out: (EventDraft | ChatLogDraft)[] = [];
  if (r.contactIds.length > 0) out.push(draft(r.contactIds, "user.updated", { user: publicUser(r.user) }));
  // into the chats' logs (written here, not with chats/drafts.ts: accounts/ must not import chats/)
  for (const l of r.left) out.push({ chat: l.chat.id, type: "chat.member_removed", data: { chat: l.chat, userIds: [r.user.id] } } satisfies ChatLogDraft);
  for (const o of r.newOwners) out.push({ chat: o.chatId, type: "chat.member_updated", data: { chatId: o.chatId, member: o.member } } satisfies ChatLogDraft);
  return out;
}

/** Purges one account whose deletion is due; null if it is not (cancelled meanwhile), already purged, or gone. */
export async function purgeAccount(deps: Deps, userId: string): Promise<PurgeReport | null> {
  const report = await deps.storage.deletions.purge(userId, deps.now(), purgeDrafts);
  if (!report) return null;
  const blobs = (await deps.purgeMedia?.(report.blobCandidates, report.uploadIds)) ?? 0;
  await publishCommitted(deps, report);
  deps.log.info("account purged", { userId, chatsLeft: report.left.length, chatsRemoved: report.removedChatIds.length, blobsRemoved: blobs });
  return report;
}

/** One sweep: the accounts whose time has come, at most accountDeletionBatchMax of them. */
export async function sweepDeletions(deps: Deps): Promise<number> {
  let purged = 0;
  for (const id of await deps.storage.deletions.due(deps.now(), limits.accountDeletionBatchMax)) {
    if (await purgeAccount(deps, id)) purged += 1;
  }
  return purged;
}

/** Runs the sweep at start and every accountDeletionSweepMs; returns a stop function. A failed sweep is logged and retried next time. */
export function startDeletionSweeper(deps: Deps): () => void {
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const run = async () => {
    if (stopped) return;
    try {
      await sweepDeletions(deps);
    } catch (err) {
      deps.log.warn("account deletion sweep failed", { err });
    }
    if (!stopped) timer = setTimeout(run, limits.accountDeletionSweepMs);
  };
  void run();
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
  };
}
