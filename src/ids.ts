// App-generated ids: 26 characters of Crockford base32, the first 10 encode the
// millisecond time so ids sort by creation (ULID layout), the rest are 80 random bits.
// Text ids fit SQLite and PostgreSQL alike and leak no row counts.
const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

export function newId(now = Date.now()): string {
  let time = "";
  let t = now;
  for (let i = 0; i < 10; i++) {
    time = ALPHABET[t % 32] + time;
    t = Math.floor(t / 32);
  }
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  let rand = "";
  for (let i = 0; i < 16; i++) rand += ALPHABET[bytes[i]! % 32];
  return time + rand;
}

/** URL-safe random token with `bytes` bytes of entropy (secrets, refresh tokens, invite codes). */
export function randomToken(bytes = 32): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(bytes))).toString("base64url");
}

/** sha-256 hex: how tokens are stored (a leaked database yields no usable token). */
export function hashToken(token: string): string {
  return new Bun.CryptoHasher("sha256").update(token).digest("hex");
}
