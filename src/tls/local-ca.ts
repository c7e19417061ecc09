// Mode local-ca: Hearth's own small CA in <data>/tls/, and a server certificate it issues
// for every name people use on the LAN. The CA is created once (people install it on
// their devices) with name constraints: it can vouch only for .local, localhost, this
// server's own names, the private address ranges and this server's other addresses.
// It is replaced (and the trust page asks people to re-trust) only when it expires, has
// no constraints (made by an older Hearth), or does not permit a DNS name the server now
// has (a new hostname or public URL: deliberate, rare changes). A public address that
// appears later (an IPv6 prefix change, a temporary address) is left out of the server
// certificate instead: replacing the CA for it would make every device re-trust daily.
// The server certificate is re-issued whenever it is missing, not signed by the CA,
// close to expiry, or its names no longer match.
import { createPrivateKey, X509Certificate } from "node:crypto";
import { hostname as osHostname } from "node:os";
import { join } from "node:path";
import { FatalError } from "../errors.ts";
import { limits } from "../limits.ts";
import { loadReplacement, recordReplacement } from "./ca-history.ts";
import { ensurePrivateDir, readIfExists, writeAtomic } from "./files.ts";
import { ipPermitted, permittedFor, unpermittedNames } from "./name-constraints.ts";
import { nameChanges, sameNames } from "./names.ts";
import { caPermitted, certNames, createCa, issueLeaf, sha256Fingerprint, type KeyedCert, type LeafNames } from "./x509.ts";

const DAY_MS = 86_400_000;

export const localCaFiles = (dataDir: string) => {
  const dir = join(dataDir, "tls");
  return { dir, caCert: join(dir, "ca.crt"), caKey: join(dir, "ca.key"), cert: join(dir, "server.crt"), key: join(dir, "server.key") };
};

/** Why `certPem` (with `keyPem`) must be re-issued for `wanted` at `now`, or null when it is fine. */
export function leafProblem(certPem: string | null, caPem: string, wanted: LeafNames, now: number, keyPem?: string): string | null {
  if (!certPem) return "no server certificate yet";
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(certPem);
  } catch {
    return "the server certificate cannot be parsed";
  }
  const ca = new X509Certificate(caPem);
  if (!cert.checkIssued(ca) || !cert.verify(ca.publicKey)) return "the server certificate is not signed by the current CA";
  if (keyPem !== undefined && !keyMatches(cert, keyPem)) return "the server key does not belong to the server certificate";
  const daysLeft = (Date.parse(cert.validTo) - now) / DAY_MS;
  if (daysLeft < limits.tlsRenewBeforeDays) return `the server certificate expires in ${Math.max(0, Math.floor(daysLeft))} days`;
  const have = certNames(certPem);
  if (!sameNames(have, wanted)) return `the names changed (${nameChanges(have, wanted)})`;
  return null;
}

function keyMatches(cert: X509Certificate, keyPem: string): boolean {
  try {
    return cert.checkPrivateKey(createPrivateKey(keyPem));
  } catch {
    return false;
  }
}

/** The CA pair as stored; FatalError when it is there but unusable (the admin decides: restore or start over). */
function readCa(f: ReturnType<typeof localCaFiles>): KeyedCert | null {
  const certPem = readIfExists(f.caCert);
  const keyPem = readIfExists(f.caKey);
  if (!certPem && !keyPem) return null;
  const startOver = `restore it from a backup, or delete ${f.caCert} and ${f.caKey} to create a new CA (every device must then trust the new one)`;
  if (!certPem || !keyPem) throw new FatalError(`${certPem ? f.caKey : f.caCert} is missing; ${startOver}`);
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(certPem);
  } catch {
    throw new FatalError(`${f.caCert} is not a PEM certificate; ${startOver}`);
  }
  if (!cert.ca) throw new FatalError(`${f.caCert} is not a CA certificate; ${startOver}`);
  if (!keyMatches(cert, keyPem)) throw new FatalError(`${f.caKey} is not the private key of ${f.caCert}; ${startOver}`);
  return { certPem, keyPem };
}

/** Whether the CA itself must be replaced (then every device has to trust the new one). */
export async function caProblem(caPem: string | null, wanted: LeafNames, now: number): Promise<string | null> {
  if (!caPem) return "no CA yet";
  const left = (Date.parse(new X509Certificate(caPem).validTo) - now) / DAY_MS;
  if (left < limits.tlsRenewBeforeDays) return `the CA expires in ${Math.max(0, Math.floor(left))} days`;
  const permitted = await caPermitted(caPem);
  if (!permitted) return "the CA has no name constraints (made by an older Hearth), so it could vouch for any website";
  const outside = unpermittedNames({ dns: wanted.dns, ips: [] }, permitted);
  return outside.length ? `the CA does not cover ${outside.join(", ")}` : null;
}

/** What the server certificate carries under `caPem`: `wanted` without the addresses the CA does not permit. */
export async function leafNamesFor(caPem: string, wanted: LeafNames): Promise<{ names: LeafNames; left: string[] }> {
  const permitted = await caPermitted(caPem);
  if (!permitted) return { names: wanted, left: [] };
  const left = wanted.ips.filter((ip) => !ipPermitted(ip, permitted.ips));
  return { names: { dns: wanted.dns, ips: wanted.ips.filter((ip) => !left.includes(ip)) }, left };
}

export interface LocalCaResult {
  ca: KeyedCert;
  leaf: KeyedCert;
  /** What was (re-)created and why; empty when the stored files were fine. */
  changes: string[];
}

/** Loads or creates the CA and server certificate so that they are valid for `wanted` at `now`. */
export async function ensureLocalCa(dataDir: string, wanted: LeafNames, now: number): Promise<LocalCaResult> {
  const f = localCaFiles(dataDir);
  ensurePrivateDir(f.dir);
  const changes: string[] = [];
  let ca = readCa(f);
  const caWhy = await caProblem(ca?.certPem ?? null, wanted, now);
  if (caWhy) {
    const previous = ca;
    ca = await createCa(`Hearth local CA (${osHostname()})`, now, limits.tlsCaValidDays, permittedFor(wanted));
    writeAtomic(f.caKey, ca.keyPem, 0o600);
    writeAtomic(f.caCert, ca.certPem, 0o600);
    if (previous) {
      recordReplacement(f.dir, { at: now, reason: caWhy, previousFingerprint: sha256Fingerprint(previous.certPem), caFingerprint: sha256Fingerprint(ca.certPem) });
      changes.push(`new CA: ${caWhy}; every device that trusted the previous CA must trust the new one (the trust page says how)`);
    } else changes.push(`new CA: ${caWhy}`);
  } else loadReplacement(f.dir, ca!.certPem);
  const caNow = ca!;
  const { names, left } = await leafNamesFor(caNow.certPem, wanted);
  let leaf: KeyedCert = { certPem: readIfExists(f.cert) ?? "", keyPem: readIfExists(f.key) ?? "" };
  const leafWhy = leaf.keyPem ? leafProblem(leaf.certPem || null, caNow.certPem, names, now, leaf.keyPem) : "no server key yet";
  if (leafWhy) {
    leaf = await issueLeaf(caNow, names, now, limits.tlsLeafValidDays);
    writeAtomic(f.key, leaf.keyPem, 0o600);
    writeAtomic(f.cert, leaf.certPem, 0o600);
    const outside = left.length ? ` (left out, the CA does not permit them: ${left.join(", ")})` : "";
    changes.push(`new server certificate: ${leafWhy}${outside}`);
  }
  return { ca: caNow, leaf, changes };
}
