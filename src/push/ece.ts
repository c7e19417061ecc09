// Web Push message encryption, RFC 8291 (ECDH P-256 + HKDF-SHA-256) in the aes128gcm
// content coding of RFC 8188, with WebCrypto. One record: the payload plus the 0x02
// delimiter, no padding. The sender key pair and the salt are fresh per message; the
// known-answer test (ece.test.ts) passes fixed ones.
import { b64u, concat } from "./b64.ts";

const enc = new TextEncoder();
type Bytes = Uint8Array<ArrayBuffer>;
const own = (u: Uint8Array): Bytes => (u.buffer instanceof ArrayBuffer ? (u as Bytes) : new Uint8Array(u));
const RECORD_SIZE = 4096;
export const UA_PUBLIC_BYTES = 65; // uncompressed P-256 point
export const AUTH_BYTES = 16;

export interface SenderKeys {
  privateKey: CryptoKey; // ECDH P-256, usage deriveBits
  publicRaw: Uint8Array; // 65 bytes
}

export async function newSenderKeys(): Promise<SenderKeys> {
  const pair = (await crypto.subtle.generateKey({ name: "ECDH", namedCurve: "P-256" }, true, ["deriveBits"])) as CryptoKeyPair;
  return { privateKey: pair.privateKey, publicRaw: new Uint8Array(await crypto.subtle.exportKey("raw", pair.publicKey)) };
}

/** A sender key pair from a known private scalar and its public point (tests, the RFC vector). */
export async function senderKeysFrom(d: Uint8Array, publicRaw: Uint8Array): Promise<SenderKeys> {
  const jwk = { kty: "EC", crv: "P-256", d: b64u(d), x: b64u(publicRaw.subarray(1, 33)), y: b64u(publicRaw.subarray(33, 65)), ext: true };
  const privateKey = await crypto.subtle.importKey("jwk", jwk, { name: "ECDH", namedCurve: "P-256" }, false, ["deriveBits"]);
  return { privateKey, publicRaw };
}

async function hkdf(salt: Uint8Array, ikm: Uint8Array, info: Uint8Array, bytes: number): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey("raw", own(ikm), "HKDF", false, ["deriveBits"]);
  return new Uint8Array(await crypto.subtle.deriveBits({ name: "HKDF", hash: "SHA-256", salt: own(salt), info: own(info) }, key, bytes * 8));
}

/** Throws on a user-agent key that is not a point on the curve (the caller maps that to a dead subscription). */
export async function encrypt(
  plaintext: Uint8Array,
  uaPublic: Uint8Array,
  authSecret: Uint8Array,
  opts: { sender?: SenderKeys; salt?: Uint8Array } = {},
): Promise<Uint8Array> {
  const sender = opts.sender ?? (await newSenderKeys());
  const salt = opts.salt ?? crypto.getRandomValues(new Uint8Array(16));
  const ua = await crypto.subtle.importKey("raw", own(uaPublic), { name: "ECDH", namedCurve: "P-256" }, false, []);
  const shared = new Uint8Array(await crypto.subtle.deriveBits({ name: "ECDH", public: ua }, sender.privateKey, 256));
  // RFC 8291 §3.4: IKM = HKDF(auth_secret, ecdh_secret, "WebPush: info" || 0x00 || ua_public || as_public, 32)
  const keyInfo = concat(enc.encode("WebPush: info\0"), uaPublic, sender.publicRaw);
  const ikm = await hkdf(authSecret, shared, keyInfo, 32);
  const cek = await hkdf(salt, ikm, enc.encode("Content-Encoding: aes128gcm\0"), 16);
  const nonce = await hkdf(salt, ikm, enc.encode("Content-Encoding: nonce\0"), 12);
  const key = await crypto.subtle.importKey("raw", own(cek), "AES-GCM", false, ["encrypt"]);
  const record = new Uint8Array(await crypto.subtle.encrypt({ name: "AES-GCM", iv: own(nonce) }, key, own(concat(plaintext, new Uint8Array([2])))));
  // RFC 8188 §2.1 header: salt(16) || rs(uint32) || idlen(uint8) || keyid (the sender's public key)
  const header = new Uint8Array(16 + 4 + 1 + sender.publicRaw.length);
  header.set(salt, 0);
  new DataView(header.buffer).setUint32(16, RECORD_SIZE);
  header[20] = sender.publicRaw.length;
  header.set(sender.publicRaw, 21);
  return concat(header, record);
}
