// Password hashing with argon2id through Bun.password (no native addon, so it works
// inside the single executable). Parameters are explicit rather than Bun's defaults so
// a Bun upgrade cannot silently change them: 64 MiB and 2 passes is RFC 9106's
// memory-constrained profile and above OWASP's minimum (19 MiB, t=2); one hash costs
// tens of milliseconds of one core here, which login throttling keeps bounded.
// Old hashes keep verifying after a change: the parameters live inside each hash.
import { randomToken } from "../ids.ts";

const params = { algorithm: "argon2id", memoryCost: 64 * 1024, timeCost: 2 } as const; // memoryCost in KiB

export function hashPassword(password: string): Promise<string> {
  return Bun.password.hash(password, params);
}

/** False for a wrong password and for a hash that cannot be parsed (never throws). */
export async function verifyPassword(password: string, hash: string): Promise<boolean> {
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
export async function verifyDummy(password: string): Promise<false> {
  dummyHash ??= hashPassword(randomToken(16));
  await verifyPassword(password, await dummyHash);
  return false;
}

/** verifyPassword when the account exists, verifyDummy when it does not. */
export function verifyPasswordOrDummy(password: string, hash: string | null | undefined): Promise<boolean> {
  return hash ? verifyPassword(password, hash) : verifyDummy(password);
}

/** A password for `admin reset-password`: 20 base64url characters, 120 bits. */
export function generatePassword(): string {
  return randomToken(15);
}
