// base64url without padding (RFC 7515 §2), the encoding of every Web Push key and token.
export const b64u = (bytes: Uint8Array): string => Buffer.from(bytes).toString("base64url");

/** Decodes strict base64url (no padding, no other characters); null if it is not. */
export function fromB64u(s: string): Uint8Array | null {
  if (!/^[A-Za-z0-9_-]*$/.test(s)) return null;
  return new Uint8Array(Buffer.from(s, "base64url"));
}

export const concat = (...parts: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};
