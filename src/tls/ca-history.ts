// When the local CA was replaced, and why: stored beside it (<data>/tls/ca-replaced.json)
// so the trust page can tell people who trusted the earlier CA to trust the new one, for
// limits.tlsCaReplacedNoticeDays. The trust page gets only the CA's PEM from the edge, so
// the record is also kept in memory, keyed by the fingerprint of the CA it introduced.
import { join } from "node:path";
import { readIfExists, writeAtomic } from "./files.ts";
import { sha256Fingerprint } from "./x509.ts";

export interface CaReplacement {
  /** ms since epoch */
  at: number;
  reason: string;
  previousFingerprint: string;
  /** Fingerprint of the CA that replaced it. */
  caFingerprint: string;
}

const RECORDS_MAX = 64; // one per CA a process has seen; tests create many
const byCa = new Map<string, CaReplacement>();

const historyFile = (tlsDir: string) => join(tlsDir, "ca-replaced.json");

function remember(r: CaReplacement): void {
  byCa.delete(r.caFingerprint);
  byCa.set(r.caFingerprint, r);
  while (byCa.size > RECORDS_MAX) byCa.delete(byCa.keys().next().value!);
}

export function recordReplacement(tlsDir: string, r: CaReplacement): void {
  writeAtomic(historyFile(tlsDir), `${JSON.stringify(r)}\n`, 0o600);
  remember(r);
}

/** Loads the stored record (if it belongs to `caPem`) so the trust page finds it after a restart. */
export function loadReplacement(tlsDir: string, caPem: string): CaReplacement | null {
  const text = readIfExists(historyFile(tlsDir));
  if (!text) return null;
  try {
    const r = JSON.parse(text) as CaReplacement;
    if (typeof r.at !== "number" || typeof r.reason !== "string" || r.caFingerprint !== sha256Fingerprint(caPem)) return null;
    remember(r);
    return r;
  } catch {
    return null; // a damaged record only loses the notice, never the CA
  }
}

export const replacementOf = (caPem: string): CaReplacement | null => byCa.get(sha256Fingerprint(caPem)) ?? null;
