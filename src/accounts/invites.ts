// Invites (admins and the owner): a code that lets someone register while registration
// is invite-only. The code is HMAC(invite-code-key, creator, clientId): a retried
// registration_invite.create (same clientId) yields the same code, though only its hash is stored.
// Why a MAC and not a random code: a random code would have to be kept in plaintext (the
// idempotency record) for the retry to return it, and then a copy of the database alone
// (a backup) would hold live invite codes. invite-code-key is its own random secret, not
// derived from another; the codes are credentials issued under it, as access tokens are
// under access-token-key. Rotating the key leaves issued invites working (their hashes are
// stored); only a retry that spans the rotation gets a code that does not work (make a new
// invite then).
import { createHmac } from "node:crypto";
import { AppError, invalidField } from "../errors.ts";
import { hashToken, newId } from "../ids.ts";
import { limits } from "../limits.ts";
import type { Deps } from "../core/deps.ts";
import type { Invite, RegistrationMode } from "../storage/port.ts";
import { requireAdmin } from "./access.ts";
import { audit } from "./audit.ts";
import { publicBaseUrl } from "./registration.ts";
import { inviteInfo } from "./views.ts";

function inviteCode(deps: Deps, userId: string, clientId: string): string {
  const mac = createHmac("sha256", deps.secrets.get("invite-code-key")).update(`${userId}\0${clientId}`).digest();
  return mac.subarray(0, 16).toString("base64url"); // 128 bits
}

export async function createInvite(deps: Deps, userId: string, p: { clientId: string; expiresInMs?: number; maxUses?: number }) {
  const admin = await requireAdmin(deps, userId);
  if (p.maxUses !== undefined && p.maxUses > limits.inviteUsesMax) {
    throw invalidField("maxUses", `must be at most ${limits.inviteUsesMax}`);
  }
  if (p.expiresInMs !== undefined && p.expiresInMs > limits.inviteTtlMsMax) {
    throw invalidField("expiresInMs", "must be at most one year");
  }
  const now = deps.now();
  const code = inviteCode(deps, userId, p.clientId);
  const committed = await deps.storage.accounts.createInvite(
    {
      id: newId(now),
      codeHash: hashToken(code),
      createdBy: userId,
      createdAt: now,
      expiresAt: p.expiresInMs === undefined ? null : now + p.expiresInMs,
      maxUses: p.maxUses ?? null,
      clientId: p.clientId,
    },
    { idempotency: { userId, key: p.clientId, method: "registration_invite.create" } },
  );
  if (!committed.replayed) await audit(deps, admin, "invite.create", committed.value.id, inviteTerms(committed.value));
  return { invite: inviteInfo(committed.value), code, url: inviteUrl(deps, code) };
}

export async function listInvites(deps: Deps, userId: string) {
  await requireAdmin(deps, userId);
  const now = deps.now();
  const invites = await deps.storage.accounts.listInvites(null);
  return { invites: invites.map((i) => ({ ...inviteInfo(i), url: pendingUrl(deps, i, now) })) };
}

const pending = (i: Invite, now: number) =>
  i.revokedAt === null && (i.expiresAt === null || i.expiresAt > now) && (i.maxUses === null || i.uses < i.maxUses);

/**
 * A pending invite's link, rebuilt from its creator and clientId under invite-code-key —
 * only admins get here, and the database alone (a backup) still holds no usable code.
 * Null when it is no longer usable, predates stored clientIds, or the key was rotated since.
 */
function pendingUrl(deps: Deps, i: Invite, now: number): string | null {
  if (!pending(i, now) || i.clientId === null) return null;
  const code = inviteCode(deps, i.createdBy, i.clientId);
  return hashToken(code) === i.codeHash ? inviteUrl(deps, code) : null;
}

const inviteUrl = (deps: Deps, code: string) => `${publicBaseUrl(deps)}/invite#${code}`;

const inviteTerms = (i: Invite) =>
  [i.maxUses === null ? "unlimited uses" : `${i.maxUses} uses`, i.expiresAt === null ? "no expiry" : `expires ${new Date(i.expiresAt).toISOString()}`].join(", ");

export async function revokeInvite(deps: Deps, userId: string, inviteId: string) {
  const admin = await requireAdmin(deps, userId);
  if (!(await deps.storage.accounts.revokeInvite(inviteId, deps.now()))) throw new AppError("not_found", "No such invite");
  await audit(deps, admin, "invite.revoke", inviteId);
  return {};
}

export async function setRegistrationMode(deps: Deps, userId: string, mode: RegistrationMode) {
  const admin = await requireAdmin(deps, userId);
  await deps.storage.accounts.setRegistrationMode(mode);
  deps.log.info("registration mode set", { mode, by: admin.id });
  await audit(deps, admin, "settings.registration", mode);
  return { mode };
}
