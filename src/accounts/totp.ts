// TOTP (RFC 6238 over RFC 4226 HOTP): HMAC-SHA-1, 6 digits, 30-second steps — what every
// authenticator app speaks. Pure functions over node:crypto; the caller keeps the last
// accepted step per user so one code cannot be used twice.
import { createHmac, randomBytes } from "node:crypto";

export const totpParams = { digits: 6, stepSec: 30, windowSteps: 1, secretBytes: 20 } as const;

const BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/** RFC 4648 base32 without padding (what otpauth:// URLs carry). */
export function base32Encode(bytes: Uint8Array): string {
  let out = "";
  let bits = 0;
  let value = 0;
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out;
}

/** Lenient decode: case, spaces and padding are ignored; null for any other character. */
export function base32Decode(text: string): Uint8Array | null {
  const clean = text.toUpperCase().replace(/[\s=]/g, "");
  const out: number[] = [];
  let bits = 0;
  let value = 0;
  for (const ch of clean) {
    const index = BASE32.indexOf(ch);
    if (index < 0) return null;
    value = ((value << 5) | index) & 0xffff; // only the low bits still pending matter
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Uint8Array.from(out);
}

export function newTotpSecret(): string {
  return base32Encode(randomBytes(totpParams.secretBytes));
}

/** RFC 4226 HOTP with dynamic truncation. `algorithm` is open only for the RFC's test vectors. */
export function hotp(key: Uint8Array, counter: number, digits: number = totpParams.digits, algorithm = "sha1"): string {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac(algorithm, key).update(message).digest();
  const offset = mac[mac.length - 1]! & 0x0f;
  const binary = (mac.readUInt32BE(offset) & 0x7fffffff) % 10 ** digits;
  return binary.toString().padStart(digits, "0");
}

export const totpStep = (nowMs: number) => Math.floor(nowMs / 1000 / totpParams.stepSec);

/**
 * The step a code matches within ±windowSteps of now, or null. Steps at or before
 * `lastUsedStep` are refused so a code (or an older one) cannot be replayed.
 */
export function verifyTotp(secret: string, code: string, nowMs: number, lastUsedStep = -1): number | null {
  const key = base32Decode(secret);
  const digits = code.replace(/\s/g, "");
  if (!key || !/^\d{6}$/.test(digits)) return null;
  const now = totpStep(nowMs);
  for (let step = now - totpParams.windowSteps; step <= now + totpParams.windowSteps; step++) {
    if (step > lastUsedStep && timingSafeEqualText(hotp(key, step), digits)) return step;
  }
  return null;
}

function timingSafeEqualText(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

/** The otpauth:// URL authenticator apps scan (Key Uri Format). */
export function otpauthUrl(issuer: string, account: string, secret: string): string {
  const label = encodeURIComponent(`${issuer}:${account}`);
  const query = new URLSearchParams({
    secret,
    issuer,
    algorithm: "SHA1",
    digits: String(totpParams.digits),
    period: String(totpParams.stepSec),
  });
  return `otpauth://totp/${label}?${query}`;
}
