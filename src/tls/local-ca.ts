// Mode local-ca: Hearth's own small CA in <data>/tls/, and a server certificate it issues
// for every name people use on the LAN. The CA is created once (people install it on
// their devices); the server certificate is re-issued whenever it is missing, not signed
// by the CA, close to expiry, or its names no longer match the machine's addresses.
import { X509Certificate } from "node:crypto";
import { hostname as osHostname } from "node:os";
import { join } from "node:path";
import { limits } from "../limits.ts";
import { ensurePrivateDir, readIfExists, writeAtomic } from "./files.ts";
import { nameChanges, sameNames } from "./names.ts";
import { certNames, createCa, issueLeaf, type KeyedCert, type LeafNames } from "./x509.ts";

const DAY_MS = 86_400_000;

export const localCaFiles = (dataDir: string) => {
  const dir = join(dataDir, "tls");
  return { dir, caCert: join(dir, "ca.crt"), caKey: join(dir, "ca.key"), cert: join(dir, "server.crt"), key: join(dir, "server.key") };
};

/** Why `certPem` must be re-issued for `wanted` at `now`, or null when it is fine. */
export function leafProblem(certPem: string | null, caPem: string, wanted: LeafNames, now: number): string | null {
  if (!certPem) return "no server certificate yet";
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(certPem);
  } catch {
    return "the server certificate cannot be parsed";
  }
  const ca = new X509Certificate(caPem);
  if (!cert.checkIssued(ca) || !cert.verify(ca.publicKey)) return "the server certificate is not signed by the current CA";
  const daysLeft = (Date.parse(cert.validTo) - now) / DAY_MS;
  if (daysLeft < limits.tlsRenewBeforeDays) return `the server certificate expires in ${Math.max(0, Math.floor(daysLeft))} days`;
  const have = certNames(certPem);
  if (!sameNames(have, wanted)) return `the names changed (${nameChanges(have, wanted)})`;
  return null;
}

/** Whether the CA itself must be replaced (then every device has to trust the new one). */
export function caProblem(caPem: string | null, now: number): string | null {
  if (!caPem) return "no CA yet";
  const left = (Date.parse(new X509Certificate(caPem).validTo) - now) / DAY_MS;
  return left < limits.tlsRenewBeforeDays ? `the CA expires in ${Math.max(0, Math.floor(left))} days` : null;
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
  let ca: KeyedCert = { certPem: readIfExists(f.caCert) ?? "", keyPem: readIfExists(f.caKey) ?? "" };
  const caWhy = !ca.keyPem ? "no CA yet" : caProblem(ca.certPem || null, now);
  if (caWhy) {
    ca = await createCa(`Hearth local CA (${osHostname()})`, now, limits.tlsCaValidDays);
    writeAtomic(f.caKey, ca.keyPem, 0o600);
    writeAtomic(f.caCert, ca.certPem, 0o644);
    changes.push(`new CA: ${caWhy}`);
  }
  let leaf: KeyedCert = { certPem: readIfExists(f.cert) ?? "", keyPem: readIfExists(f.key) ?? "" };
  const leafWhy = leaf.keyPem ? leafProblem(leaf.certPem || null, ca.certPem, wanted, now) : "no server key yet";
  if (leafWhy) {
    leaf = await issueLeaf(ca, wanted, now, limits.tlsLeafValidDays);
    writeAtomic(f.key, leaf.keyPem, 0o600);
    writeAtomic(f.cert, leaf.certPem, 0o644);
    changes.push(`new server certificate: ${leafWhy}`);
  }
  return { ca, leaf, changes };
}
