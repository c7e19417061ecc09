// Certificate creation with @peculiar/x509 on WebCrypto (ECDSA P-256): no openssl needed
// at run time, and it bundles into the single executable. reflect-metadata must run
// before @peculiar/x509 is evaluated (its DI container throws at import otherwise); in
// the compiled bundle static import order is not evaluation order, so the library is
// loaded with a dynamic import after the polyfill.
import "reflect-metadata";
import type * as X509 from "@peculiar/x509";
import { createHash, X509Certificate } from "node:crypto";
import { randomBytes } from "node:crypto";
import { decodeNameConstraints, encodeNameConstraints, NAME_CONSTRAINTS_OID, type PermittedNames } from "./name-constraints.ts";

let loaded: Promise<typeof X509> | null = null;
const lib = () => (loaded ??= import("@peculiar/x509"));

const ALG = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" } as const;
const DAY_MS = 86_400_000;

export interface KeyedCert {
  certPem: string;
  keyPem: string;
}

export interface LeafNames {
  dns: string[];
  ips: string[];
}

/** A random positive 128-bit serial (hex); RFC 5280 wants unique serials, at most 20 bytes. */
function serial(): string {
  const b = randomBytes(16);
  b[0] = (b[0]! & 0x7f) | 0x01;
  return b.toString("hex");
}

async function keyPair(): Promise<CryptoKeyPair> {
  return (await crypto.subtle.generateKey(ALG, true, ["sign", "verify"])) as CryptoKeyPair;
}

async function keyPem(key: CryptoKey): Promise<string> {
  const x509 = await lib();
  return `${x509.PemConverter.encode(await crypto.subtle.exportKey("pkcs8", key), "PRIVATE KEY").trim()}\n`;
}

async function importKey(pem: string): Promise<CryptoKey> {
  const x509 = await lib();
  return crypto.subtle.importKey("pkcs8", x509.PemConverter.decode(pem)[0]!, ALG, false, ["sign"]);
}

/**
 * A self-signed CA allowed to sign server certificates only (pathLen 0, EKU serverAuth)
 * and, with `permitted`, only for those names (a critical nameConstraints extension).
 */
export async function createCa(commonName: string, now: number, validDays: number, permitted?: PermittedNames): Promise<KeyedCert> {
  const x509 = await lib();
  const keys = await keyPair();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: [{ CN: [commonName] }, { O: ["Hearth"] }],
    notBefore: new Date(now - DAY_MS), // tolerate clients whose clock is a little behind
    notAfter: new Date(now + validDays * DAY_MS),
    keys,
    signingAlgorithm: ALG,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      // On a CA, EKU limits what its chain may be used for (honoured by Chromium, NSS, OpenSSL).
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      ...(permitted ? [new x509.Extension(NAME_CONSTRAINTS_OID, true, encodeNameConstraints(permitted))] : []),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { certPem: `${cert.toString("pem").trim()}\n`, keyPem: await keyPem(keys.privateKey) };
}

/** The CA's permitted names, or null when it has no nameConstraints (a CA from before they existed). */
export async function caPermitted(caPem: string): Promise<PermittedNames | null> {
  const x509 = await lib();
  const ext = new x509.X509Certificate(caPem).getExtension(NAME_CONSTRAINTS_OID);
  return ext ? decodeNameConstraints(ext.value) : null;
}

/** A server certificate for `names`, signed by `ca`, with a fresh key. */
export async function issueLeaf(ca: KeyedCert, names: LeafNames, now: number, validDays: number): Promise<KeyedCert> {
  const x509 = await lib();
  const caCert = new x509.X509Certificate(ca.certPem);
  const keys = await keyPair();
  const sans: X509.JsonGeneralName[] = [...names.dns.map((value) => ({ type: "dns" as const, value })), ...names.ips.map((value) => ({ type: "ip" as const, value }))];
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: [{ CN: [names.dns[0] ?? names.ips[0] ?? "hearth"] }],
    issuer: caCert.subjectName,
    notBefore: new Date(now - DAY_MS),
    notAfter: new Date(now + validDays * DAY_MS),
    signingKey: await importKey(ca.keyPem),
    publicKey: keys.publicKey,
    signingAlgorithm: ALG,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension(sans),
      await x509.AuthorityKeyIdentifierExtension.create(caCert),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { certPem: `${cert.toString("pem").trim()}\n`, keyPem: await keyPem(keys.privateKey) };
}

/** When a CA from createCa was made: its notBefore is backdated by one day for slow client clocks. */
export function caIssuedAt(caPem: string): number {
  return Date.parse(new X509Certificate(caPem).validFrom) + DAY_MS;
}

/** The names a certificate covers, from its subjectAltName (node's own X.509 parser). */
export function certNames(certPem: string): LeafNames {
  const san = new X509Certificate(certPem).subjectAltName ?? "";
  const out: LeafNames = { dns: [], ips: [] };
  for (const part of san.split(/,\s*/)) {
    if (part.startsWith("DNS:")) out.dns.push(part.slice(4).toLowerCase());
    else if (part.startsWith("IP Address:")) out.ips.push(canonicalIp(part.slice(11)));
  }
  return out;
}

/** IPv6 in its shortest lower-case form, so "0:0:0:0:0:0:0:1" equals "::1". */
export function canonicalIp(ip: string): string {
  if (!ip.includes(":")) return ip;
  try {
    return new URL(`http://[${ip}]/`).hostname.slice(1, -1);
  } catch {
    return ip.toLowerCase();
  }
}

/** SHA-256 of the DER certificate, as colon-separated upper-case hex (what OS dialogs show). */
export function sha256Fingerprint(certPem: string): string {
  return new X509Certificate(certPem).fingerprint256;
}

/** base64 SHA-256 of the certificate's SubjectPublicKeyInfo (Chromium's --ignore-certificate-errors-spki-list). */
export function spkiSha256(certPem: string): string {
  const der = new X509Certificate(certPem).publicKey.export({ type: "spki", format: "der" });
  return createHash("sha256").update(der).digest("base64");
}

/** The DER bytes of the first certificate in a PEM text. */
export function pemToDer(certPem: string): ArrayBuffer {
  const raw = new X509Certificate(certPem).raw;
  return raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength) as ArrayBuffer;
}
