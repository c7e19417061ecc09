// TOTP secrets at rest: AES-256-GCM with the key in <data>/secrets/totp-key (its own random
// secret, never derived from another). A copy of the database alone (a backup, a file sent
// for debugging) then holds no usable second factor. Stored form:
//   v1.<kid>.<iv>.<ciphertext+tag>   (base64url parts; kid names the key, so a rotated
//   key's rows are recognised and re-encrypted). A value without the prefix is a plaintext
//   secret from before encryption existed; the storage adapter re-encrypts those at open.
// The user id is authenticated data: a sealed secret copied to another row does not open.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import { FatalError } from "../errors.ts";

const PREFIX = "v1";
const IV_BYTES = 12;
const TAG_BYTES = 16;

export interface TotpBox {
  /** Id of the key new secrets are sealed with. */
  readonly currentKid: string;
  seal(userId: string, secret: string): string;
  /** The plain secret; throws FatalError for a key this server does not have. */
  open(userId: string, stored: string): string;
  /** The key id a stored value was sealed with, or null for a plaintext (legacy) value. */
  kidOf(stored: string): string | null;
}

/** A short public name for a key: a hash, so it says nothing about the key. */
export const keyId = (key: string) => createHash("sha256").update(`hearth totp key id\0${key}`).digest("base64url").slice(0, 12);

const keyBytes = (key: string) => createHash("sha256").update(`hearth totp aes-256-gcm\0${key}`).digest();

/** `current` seals; `retired` (keys replaced by `hearth secrets rotate totp-key`) still open. */
export function createTotpBox(current: string, retired: readonly string[] = []): TotpBox {
  const keys = new Map<string, Buffer>([current, ...retired].map((k) => [keyId(k), keyBytes(k)]));
  const currentKid = keyId(current);
  const currentKey = keys.get(currentKid)!;
  return {
    currentKid,
    seal(userId, secret) {
      const iv = randomBytes(IV_BYTES);
      const c = createCipheriv("aes-256-gcm", currentKey, iv).setAAD(Buffer.from(userId));
      const body = Buffer.concat([c.update(secret, "utf8"), c.final(), c.getAuthTag()]);
      return [PREFIX, currentKid, iv.toString("base64url"), body.toString("base64url")].join(".");
    },
    open(userId, stored) {
      const kid = this.kidOf(stored);
      if (kid === null) return stored;
      const key = keys.get(kid);
      if (!key) throw new FatalError(`a two-factor secret is encrypted with key ${kid}, which is not in the secrets directory (restore secrets/totp-key from the backup of this database)`);
      const [, , ivText = "", bodyText = ""] = stored.split(".");
      const body = Buffer.from(bodyText, "base64url");
      try {
        const d = createDecipheriv("aes-256-gcm", key, Buffer.from(ivText, "base64url")).setAAD(Buffer.from(userId));
        d.setAuthTag(body.subarray(body.length - TAG_BYTES));
        return Buffer.concat([d.update(body.subarray(0, body.length - TAG_BYTES)), d.final()]).toString("utf8");
      } catch {
        throw new FatalError(`the two-factor secret of user ${userId} does not decrypt with key ${kid} (damaged or moved between users)`);
      }
    },
    kidOf(stored) {
      const parts = stored.split(".");
      return parts.length === 4 && parts[0] === PREFIX ? parts[1]! : null;
    },
  };
}
