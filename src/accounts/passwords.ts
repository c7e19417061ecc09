// Password hashing with argon2id through Bun.password (no native addon, so it works
// inside the single executable). Parameters are explicit rather than Bun's defaults so
// a Bun upgrade cannot silently change them: 64 MiB and 2 passes is RFC 9106's
// memory-constrained profile and above OWASP's minimum (19 MiB, t=2); one hash costs
// tens of milliseconds of one core here, which login throttling keeps bounded.
// Old hashes keep verifying after a change: the parameters live inside each hash.
// Every hash and verification in this process goes through one gate: at most
// `limits.passwordHashRunningMax` at once (each holds 64 MiB and a core), at most
// `limits.passwordHashWaitingMax` waiting, the rest refused with `unavailable`. A flood
// of sign-in or registration attempts thus costs bounded memory and CPU, and a real
// login waits behind at most a queue's worth of hashes.
import { randomToken } from "../ids.ts";
import { limits } from "../limits.ts";
import { Gate } from "./gate.ts";

const params = { algorithm: "argon2id", memoryCost: 64 * 1024, timeCost: 2 } as const; // memoryCost in KiB

export const passwordWork = new Gate(
  limits.passwordHashRunningMax,
  limits.passwordHashWaitingMax,
  "Too many sign-ins are being checked right now; try again in a moment",
);

export function hashPassword(password: string): Promise<string> {
  return passwordWork.run(() => Bun.password.hash(password, params));
}

/** False for a wrong password and for a hash that cannot be parsed; throws only `unavailable` (gate full). */
export function verifyPassword(password: string, hash: string): Promise<boolean> {
  return passwordWork.run(() => verifyUngated(password, hash));
}

async function verifyUngated(password: string, hash: string): Promise<boolean> {
  try {
    return await Bun.password.verify(password, hash, "argon2id");
  } catch {
    return false;
  }
}

// A hash of a random password with the same parameters, made once. Verifying against
// it when the username is unknown costs what a real check costs, so response time
// does not reveal which usernames exist.
let dummyHash: Promise<string> | null = null;

/** Always false, after spending the time of a real verification. */
export function verifyDummy(password: string): Promise<false> {
  return passwordWork.run(async () => {
    // Made inside the slot, and never cached as a failure: one gate refusal must not break every later call.
    dummyHash ??= Bun.password.hash(randomToken(16), params).catch((err: unknown) => {
      dummyHash = null;
      throw err;
    });
    await verifyUngated(password, await dummyHash);
    return false as const;
  });
}

/** verifyPassword when the account exists, verifyDummy when it does not. */
export function verifyPasswordOrDummy(password: string, hash: string | null | undefined): Promise<boolean> {
  return hash ? verifyPassword(password, hash) : verifyDummy(password);
}

/** A password for `admin reset-password`: 20 base64url characters, 120 bits. */
export function generatePassword(): string {
  return randomToken(15);
}
