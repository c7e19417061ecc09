// Chooses the TLS source for tls.mode. off → null: plain HTTP only (behind a proxy).
import { hostname } from "node:os";
import type { Config } from "../config/schema.ts";
import { FatalError } from "../errors.ts";
import type { Logger } from "../log/port.ts";
import { lanAddresses } from "../net/lan.ts";
import { startLocalCa } from "./local-ca-source.ts";
import { isDnsName, serverNames } from "./names.ts";
import { startOwnCert } from "./own.ts";
import type { TlsSource } from "./source.ts";

export interface TlsStartOptions {
  log: Logger;
  now?: () => number;
}

/** The names the local CA certificate covers now: this machine's hostname and LAN addresses. */
export const currentServerNames = (config: Config) => serverNames(config, { hostname: hostname(), addresses: lanAddresses() });

export async function startTls(config: Config, opts: TlsStartOptions): Promise<TlsSource | null> {
  const now = opts.now ?? Date.now;
  if (!isDnsName(config.mdns.name) || config.mdns.name.includes(".")) {
    throw new FatalError(`mdns.name "${config.mdns.name}" must be one DNS label: letters, digits and hyphens (e.g. hearth)`);
  }
  switch (config.tls.mode) {
    case "off":
      return null;
    case "own":
      return startOwnCert(config, opts.log);
    case "local-ca":
      return startLocalCa({ config, log: opts.log, now, names: () => currentServerNames(config) });
    case "acme": {
      const { startAcme } = await import("./acme.ts");
      return startAcme(config, opts.log, now);
    }
  }
}
