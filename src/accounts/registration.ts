// Becoming a user: the one-time owner claim, and registration in the mode an admin
// chose (open, invite, closed). Both are unauthenticated and end in an argon2 hash, so
// the order is: count the attempt against the client IP's budget (synchronously, before
// any await); then every cheap check — fields, mode, claim token or invite, username —
// and only then the hash. A bogus token or invite costs no argon2 time. The storage
// write still decides atomically (a token or invite used up while we hashed is refused
// there), so a refused write costs no half-made account.
import { AppError } from "../errors.ts";
import { hashToken, newId, randomToken } from "../ids.ts";
import { limits } from "../limits.ts";
import type { ClaimBody, RegisterBody } from "../protocol/http.ts";
import type { Deps } from "../core/deps.ts";
import { claimInvalid, invalidInvite, usernameTaken } from "../storage/errors.ts";
import type { NewUser, RegistrationMode, Role } from "../storage/port.ts";
import { hashPassword } from "./passwords.ts";
import { type Issued, startSession } from "./sessions.ts";
import { accountsState } from "./state.ts";
import { ipKey, reserveOrRefuse } from "./throttle.ts";
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

/** Counts one attempt on the route's per-IP budget; rate_limited when it is spent. Never released. */
function countAttempt(deps: Deps, route: "register" | "claim", ip: string): void {
  const { accounts } = deps.config;
  const limit = route === "claim" ? accounts.claimAttemptsPerIp : accounts.registerAttemptsPerIp;
  const what = route === "claim" ? "owner-claim" : "registration";
  reserveOrRefuse(accountsState(deps).throttle, [{ key: ipKey(route, ip), limit }], deps.now(), `Too many ${what} attempts from this address; try again later`);
}

interface Fields {
  username: string;
  password: string;
  displayName: string;
}

function validateFields(body: { username: string; password: string; displayName?: string }): Fields {
  const username = validateUsername(body.username);
  const password = validatePassword(body.password);
  return { username, password, displayName: validateDisplayName(body.displayName ?? username) };
}

/** The last cheap check: a taken name is refused before hashing (the insert still decides). */
async function assertUsernameFree(deps: Deps, username: string): Promise<void> {
  if (await deps.storage.users.credentialsByUsername(username)) throw usernameTaken();
}

async function hashed(deps: Deps, f: Fields, role: Role): Promise<NewUser> {
  const passwordHash = await hashPassword(f.password);
  const now = deps.now();
  return { id: newId(now), username: f.username, displayName: f.displayName, passwordHash, role, createdAt: now };
}

export async function claimOwner(deps: Deps, body: ClaimBody, ip: string): Promise<Issued> {
  countAttempt(deps, "claim", ip);
  const deviceName = validateDeviceName(body.deviceName);
  const fields = validateFields(body);
  const tokenHash = hashToken(body.token);
  if (!(await deps.storage.accounts.ownerClaimUsable(tokenHash, deps.now()))) throw claimInvalid();
  await assertUsernameFree(deps, fields.username);
  const owner = await hashed(deps, fields, "owner");
  const user = await deps.storage.accounts.claimOwner(tokenHash, owner, deps.now());
  deps.log.info("owner claimed", { userId: user.id, username: user.username, ip });
  return startSession(deps, user.id, deviceName, ip);
}

async function assertMayRegister(deps: Deps, inviteCode: string | undefined): Promise<void> {
  const mode = await registrationMode(deps);
  if (mode === "closed") throw new AppError("registration_closed", "Registration is closed");
  if (mode === "invite" && !inviteCode) throw new AppError("registration_closed", "Registration needs an invite");
}

export async function register(deps: Deps, body: RegisterBody, ip: string): Promise<Issued> {
  countAttempt(deps, "register", ip);
  await assertMayRegister(deps, body.inviteCode);
  const deviceName = validateDeviceName(body.deviceName);
  const fields = validateFields(body);
  const codeHash = body.inviteCode ? hashToken(body.inviteCode.trim()) : null;
  if (codeHash && !(await deps.storage.accounts.inviteUsable(codeHash, deps.now()))) throw invalidInvite();
  await assertUsernameFree(deps, fields.username);
  const draft = await hashed(deps, fields, "member");
  await assertMayRegister(deps, body.inviteCode); // an admin may have closed it while we hashed
  const user = codeHash
    ? await deps.storage.accounts.registerWithInvite(codeHash, draft, deps.now())
    : (await deps.storage.users.create(draft)).value;
  deps.log.info("user registered", { userId: user.id, username: user.username, ip, invited: codeHash !== null });
  return startSession(deps, user.id, deviceName, ip);
}
