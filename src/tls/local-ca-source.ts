// The local-ca TlsSource: ensures CA and server certificate at start, then re-checks on a
// timer (addresses may change: DHCP, Wi-Fi, VPN; expiry approaches) and hands a freshly
// issued certificate to the listener.
import type { Config } from "../config/schema.ts";
import type { Logger } from "../log/port.ts";
import { ensureLocalCa } from "./local-ca.ts";
import { createSource, type TlsMaterial, type TlsSource } from "./source.ts";
import type { KeyedCert, LeafNames } from "./x509.ts";

export interface LocalCaOptions {
  config: Config;
  log: Logger;
  now: () => number;
  /** The names the certificate must cover right now (re-evaluated on every check). */
  names: () => LeafNames;
  intervalMs?: number;
}

const material = (leaf: KeyedCert, ca: KeyedCert): TlsMaterial => ({ cert: `${leaf.certPem.trim()}\n${ca.certPem.trim()}\n`, key: leaf.keyPem });

/** A replaced CA breaks every device that trusted the old one: said at warn level, not only in the start notes. */
function warnReplaced(log: Logger, changes: string[]): void {
  for (const c of changes) if (c.startsWith("new CA:") && c.includes("previous CA")) log.warn("local CA replaced: devices must trust the new CA (see /trust)", { change: c });
}

export async function startLocalCa(opts: LocalCaOptions): Promise<TlsSource> {
  const dir = opts.config.data.dir;
  const first = await ensureLocalCa(dir, opts.names(), opts.now());
  warnReplaced(opts.log, first.changes);
  let caPem = first.ca.certPem;
  return createSource(
    {
      mode: "local-ca",
      hsts: false, // a private CA: a device that has not trusted it yet must still reach the trust page
      log: opts.log,
      intervalMs: opts.intervalMs,
      startNotes: first.changes,
      caPem: () => caPem,
      async refresh() {
        const r = await ensureLocalCa(dir, opts.names(), opts.now());
        if (r.changes.length === 0) return null;
        for (const c of r.changes) opts.log.info("local CA", { change: c });
        warnReplaced(opts.log, r.changes);
        caPem = r.ca.certPem;
        return material(r.leaf, r.ca);
      },
    },
    material(first.leaf, first.ca),
  );
}
