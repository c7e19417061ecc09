// Becoming a user: the one-time owner claim, and registration in the mode an admin
// chose (open, invite, closed). Input is validated and the password hashed before
// storage is asked, so a refused write costs no half-made account.
import { AppError } from "../errors.ts";
import { hashToken, newId, randomToken } from "../ids.ts";
import { limits } from "../limits.ts";
import type { ClaimBody, RegisterBody } from "../protocol/http.ts";
import type { Deps } from "../server/deps.ts";
import type { NewUser, RegistrationMode, Role } from "../storage/port.ts";
import { hashPassword } from "./passwords.ts";
import { type Issued, startSession } from "./sessions.ts";
import { validateDeviceName, validateDisplayName, validatePassword, validateUsername } from "./validate.ts";

export async function registrationMode(deps: Deps): Promise<RegistrationMode> {
  return (await deps.storage.accounts.getRegistrationMode()) ?? deps.config.accounts.registration;
}

/**
 * Base of every link the server hands out, without a trailing slash: server.publicUrl,
 * else the address other devices use (never localhost while LAN devices can connect),
 * else — bound to loopback, so only this machine connects — http://localhost:port.
 */
export function publicBaseUrl(deps: Deps): string {
  const configured = deps.config.server.publicUrl.replace(/\/+$/, "");
  return configured || deps.linkBaseUrl?.() || `http://localhost:${deps.config.server.port}`;
}

/**
 * While no owner exists, makes a fresh claim token (replacing any unused one) and
 * returns the claim URL to print; null once an owner exists.
 */
export async function ensureOwnerClaim(deps: Deps, baseUrl: string): Promise<string | null> {
  if (await deps.storage.users.ownerExists()) return null;
  const token = randomToken();
  await deps.storage.accounts.createOwnerClaim(hashToken(token), deps.now() + limits.ownerClaimTtlMs);
  return `${baseUrl.replace(/\/+$/, "")}/claim#${token}`;
}

async function newUser(deps: Deps, body: { username: string; password: string; displayName?: string }, role: Role): Promise<NewUser> {
  const username = validateUsername(body.username);
  const password = validatePassword(body.password);
  const displayName = validateDisplayName(body.displayName ?? username);
  const now = deps.now();
  return { id: newId(now), username, displayName, passwordHash: await hashPassword(password), role, createdAt: now };
}

export async function claimOwner(deps: Deps, body: ClaimBody, ip: string): Promise<Issued> {
  const deviceName = validateDeviceName(body.deviceName);
  const owner = await newUser(deps, body, "owner");
  const user = await deps.storage.accounts.claimOwner(hashToken(body.token), owner, deps.now());
  deps.log.info("owner claimed", { userId: user.id, username: user.username, ip });
  return startSession(deps, user.id, deviceName, ip);
}

async function assertMayRegister(deps: Deps, inviteCode: string | undefined): Promise<void> {
  const mode = await registrationMode(deps);
  if (mode === "closed") throw new AppError("registration_closed", "Registration is closed");
  if (mode === "invite" && !inviteCode) throw new AppError("registration_closed", "Registration needs an invite");
}

export async function register(deps: Deps, body: RegisterBody, ip: string): Promise<Issued> {
  await assertMayRegister(deps, body.inviteCode);
  const deviceName = validateDeviceName(body.deviceName);
  const draft = await newUser(deps, body, "member");
  await assertMayRegister(deps, body.inviteCode); // an admin may have closed it while we hashed
  const user = body.inviteCode
    ? await deps.storage.accounts.registerWithInvite(hashToken(body.inviteCode.trim()), draft, deps.now())
    : (await deps.storage.users.create(draft)).value;
  deps.log.info("user registered", { userId: user.id, username: user.username, ip, invited: Boolean(body.inviteCode) });
  return startSession(deps, user.id, deviceName, ip);
}
