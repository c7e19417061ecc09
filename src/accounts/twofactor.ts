// Optional TOTP two-factor authentication with single-use recovery codes (stored as
// sha-256 hashes: they carry 50 random bits and guessing is throttled like passwords).
// A setup lives in memory until confirmed with a valid code, so an abandoned setup
// never locks anyone out.
import { randomBytes } from "node:crypto";
import { AppError, invalidField } from "../errors.ts";
import { hashToken } from "../ids.ts";
import { limits } from "../limits.ts";
import type { Deps } from "../core/deps.ts";
import { usernameKey } from "../storage/errors.ts";
import type { UserCredentials } from "../storage/port.ts";
import { currentUser } from "./access.ts";
import { draft, publish } from "./notify.ts";
import { verifyPassword } from "./passwords.ts";
import { throttled } from "./guard.ts";
import { accountsState, boundMap } from "./state.ts";
import { base32Encode, newTotpSecret, otpauthUrl, verifyTotp } from "./totp.ts";

const ISSUER = "Hearth";
// "used": the code is right but its 30 s step was already accepted — the person should
// wait for the next code rather than retype this one.
const invalidTwoFactor = (reason: "wrong" | "used" = "wrong") =>
  new AppError("invalid_two_factor", reason === "used" ? "That code was already used; wait for the next one" : "The code is wrong", { reason });

/** "abcde-fghij": 10 base32 characters (50 bits), grouped for reading aloud. */
export function newRecoveryCode(): string {
  const text = base32Encode(randomBytes(7)).slice(0, 10).toLowerCase();
  return `${text.slice(0, 5)}-${text.slice(5)}`;
}

export const recoveryCodeHash = (code: string) => hashToken(code.toLowerCase().replace(/[^a-z0-9]/g, ""));

/**
 * Accepts a TOTP code once: the step it matched is recorded in storage with a
 * compare-and-set, so neither a restart nor a second server process takes it twice.
 */
async function acceptTotp(deps: Deps, creds: UserCredentials, secret: string, code: string): Promise<"ok" | "wrong" | "used"> {
  const step = verifyTotp(secret, code, deps.now(), creds.totpLastStep);
  if (step !== null) return (await deps.storage.users.useTotpStep(creds.id, step)) ? "ok" : "used";
  // Matches a step at or before the last accepted one: a replay, not a typo.
  return verifyTotp(secret, code, deps.now()) !== null ? "used" : "wrong";
}

/** At login: nothing to do without 2FA; otherwise a TOTP or recovery code must match. */
export async function checkSecondFactor(deps: Deps, creds: UserCredentials, body: { totp?: string; recoveryCode?: string }): Promise<void> {
  if (!creds.totpSecret) return;
  if (body.totp) {
    const outcome = await acceptTotp(deps, creds, creds.totpSecret, body.totp);
    if (outcome !== "ok") throw invalidTwoFactor(outcome);
    return;
  }
  if (body.recoveryCode) {
    const used = await deps.storage.users.consumeRecoveryCode(creds.id, recoveryCodeHash(body.recoveryCode), deps.now());
    if (!used) throw invalidTwoFactor();
    return;
  }
  throw new AppError("two_factor_required", "Enter the code from your authenticator app or a recovery code");
}

export async function setupTwoFactor(deps: Deps, userId: string) {
  const user = await currentUser(deps, userId);
  if (user.totpEnabled) throw new AppError("conflict", "Two-factor authentication is already on", { what: "twofactor" });
  const secret = newTotpSecret();
  const expiresAt = deps.now() + limits.totpSetupTtlMs;
  const { pendingTotp } = accountsState(deps);
  pendingTotp.set(userId, { secret, expiresAt });
  boundMap(pendingTotp, (p) => p.expiresAt <= deps.now());
  return { secret, otpauthUrl: otpauthUrl(ISSUER, user.username, secret), expiresAt };
}

export async function enableTwoFactor(deps: Deps, userId: string, code: string) {
  const user = await currentUser(deps, userId);
  if (user.totpEnabled) throw new AppError("conflict", "Two-factor authentication is already on", { what: "twofactor" });
  const { pendingTotp } = accountsState(deps);
  const pending = pendingTotp.get(userId);
  if (!pending || pending.expiresAt <= deps.now()) {
    throw new AppError("invalid_two_factor", "No two-factor setup in progress; start it again", { reason: "wrong" });
  }
  // The confirming code is recorded as used with the secret, so it cannot sign in afterwards.
  const usedStep = verifyTotp(pending.secret, code, deps.now());
  if (usedStep === null) throw invalidTwoFactor();
  // Taken before the await: a concurrent enable with the same code finds no setup, instead
  // of replacing these recovery codes with its own after this caller was shown them.
  pendingTotp.delete(userId);
  const recoveryCodes = Array.from({ length: limits.recoveryCodeCount }, newRecoveryCode);
  const committed = await deps.storage.users.setTotp(
    userId,
    { secret: pending.secret, recoveryCodeHashes: recoveryCodes.map(recoveryCodeHash), usedStep },
    { emit: () => [draft([userId], "twofactor.updated", { enabled: true })] },
  );
  await publish(deps, committed.events);
  return { recoveryCodes };
}

async function checkProof(deps: Deps, creds: UserCredentials, proof: { password?: string; code?: string }) {
  if (proof.password !== undefined) {
    if (!(await verifyPassword(proof.password, creds.passwordHash))) throw new AppError("invalid_credentials", "Wrong password");
    return;
  }
  const code = proof.code ?? "";
  await checkSecondFactor(deps, creds, /^\s*\d{6}\s*$/.test(code) ? { totp: code } : { recoveryCode: code });
}

/** Needs the password, a current TOTP code, or a recovery code. */
export async function disableTwoFactor(deps: Deps, userId: string, ip: string, proof: { password?: string; code?: string }) {
  const creds = await deps.storage.users.credentialsById(userId);
  if (!creds || creds.disabled) throw new AppError("account_disabled", "The account is disabled");
  if (proof.password === undefined && proof.code === undefined) throw invalidField("password", "give the password or a code");
  if (!creds.totpSecret) return {};
  await throttled(deps, usernameKey(creds.username), ip, () => checkProof(deps, creds, proof));
  await currentUser(deps, userId); // re-checked after the proof's awaits
  const committed = await deps.storage.users.setTotp(userId, null, { emit: () => [draft([userId], "twofactor.updated", { enabled: false })] });
  await publish(deps, committed.events);
  return {};
}
