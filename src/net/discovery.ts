// How LAN devices find Hearth: the mDNS announcement of the HTTPS listener and the line
// printed at start that tells the admin which address to give people.
import type { Config } from "../config/schema.ts";
import type { Logger } from "../log/port.ts";
import { isLoopbackHost, lanAddress, lanAddresses } from "./lan.ts";
import { type Announcer, startMdns } from "./mdns.ts";

/**
 * What this module reads of the running server (src/server/app.ts RunningServer) and
 * writes into Deps (linkBaseUrl): structural, so net/ does not import server/, which
 * imports net/ (tests/architecture.test.ts forbids the cycle).
 */
type Listeners = { readonly url: string; readonly port: number; readonly httpsUrl: string | null };
type LinkDeps = { config: Config; linkBaseUrl?: () => string | null };

const boundToLoopback = (config: Config) => isLoopbackHost(config.server.host);

/** Announces <mdns.name>.local and its _https._tcp service; null when off, loopback-only or without HTTPS. */
export async function startAnnouncer(config: Config, log: Logger, server: Pick<Listeners, "httpsUrl">): Promise<Announcer | null> {
  const url = server.httpsUrl;
  if (!config.mdns.enabled || !url || boundToLoopback(config)) return null;
  const announcer = startMdns({ name: config.mdns.name, port: Number(new URL(url).port || 443), addresses: () => lanAddresses(), log });
  await announcer.ready.catch(() => {});
  return announcer;
}

/**
 * The address other devices use: what start-up prints after "Other devices:". Null when
 * only this machine can connect (bound to loopback, or no LAN address).
 */
export function otherDevicesUrl(config: Config, server: Pick<Listeners, "httpsUrl" | "port">, ip: string | null = lanAddress()): string | null {
  if (boundToLoopback(config) || !ip) return null;
  const https = server.httpsUrl;
  const host = ip.includes(":") ? `[${ip}]` : ip;
  if (!https) return `http://${host}:${server.port}`;
  const port = new URL(https).port;
  if (config.server.publicUrl.startsWith("https://")) return config.server.publicUrl.replace(/\/+$/, "");
  if (config.tls.mode === "acme") return `https://${config.tls.acmeDomain}${port ? `:${port}` : ""}`;
  return `https://${host}${port ? `:${port}` : ""}`;
}

/** "Other devices: …" for the start-up output, or null when only this machine can connect. */
export function lanHint(config: Config, server: Pick<Listeners, "httpsUrl" | "port">, ip: string | null = lanAddress()): string | null {
  const url = otherDevicesUrl(config, server, ip);
  if (!url) return null;
  if (!server.httpsUrl) return `\n  Other devices: ${url} (no HTTPS: calls and the installable app need a secure context; see tls.mode)\n\n`;
  if (config.server.publicUrl.startsWith("https://") || config.tls.mode === "acme") return `\n  Other devices: ${url}\n\n`;
  const port = new URL(server.httpsUrl).port;
  const name = config.mdns.enabled ? `https://${config.mdns.name}.local${port ? `:${port}` : ""} or ` : "";
  const trust = config.tls.mode === "local-ca" ? `\n  First visit from a device: http://${ip}:${server.port} explains how to trust Hearth's certificate.` : "";
  return `\n  Other devices: ${name}${url}${trust}\n\n`;
}

/**
 * Links the server hands out (owner claim, invites, chat links, password resets) use
 * server.publicUrl, else the address for other devices: a link opened on a phone must
 * not point at the phone's own localhost.
 */
export function advertiseLinks(deps: LinkDeps, server: Listeners): void {
  // Bound to loopback only this machine connects: the address it reaches, with the real port.
  deps.linkBaseUrl = () => otherDevicesUrl(deps.config, server) ?? server.url;
}
