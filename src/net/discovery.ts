// How LAN devices find Hearth: the mDNS announcement of the HTTPS listener and the line
// printed at start that tells the admin which address to give people.
import type { Config } from "../config/schema.ts";
import type { Logger } from "../log/port.ts";
import type { RunningServer } from "../server/app.ts";
import { isLoopbackHost, lanAddress, lanAddresses } from "./lan.ts";
import { type Announcer, startMdns } from "./mdns.ts";

const boundToLoopback = (config: Config) => isLoopbackHost(config.server.host);

/** Announces <mdns.name>.local and its _https._tcp service; null when off, loopback-only or without HTTPS. */
export async function startAnnouncer(config: Config, log: Logger, server: Pick<RunningServer, "httpsUrl">): Promise<Announcer | null> {
  const url = server.httpsUrl;
  if (!config.mdns.enabled || !url || boundToLoopback(config)) return null;
  const announcer = startMdns({ name: config.mdns.name, port: Number(new URL(url).port || 443), addresses: () => lanAddresses(), log });
  await announcer.ready.catch(() => {});
  return announcer;
}

/** "Other devices: …" for the start-up output, or null when only this machine can connect. */
export function lanHint(config: Config, server: Pick<RunningServer, "httpsUrl" | "port">): string | null {
  const ip = lanAddress();
  if (boundToLoopback(config) || !ip) return null;
  const https = server.httpsUrl;
  if (!https) return `\n  Other devices: http://${ip}:${server.port} (no HTTPS: calls and the installable app need a secure context; see tls.mode)\n\n`;
  const port = new URL(https).port;
  if (config.server.publicUrl.startsWith("https://")) return `\n  Other devices: ${config.server.publicUrl}\n\n`;
  if (config.tls.mode === "acme") return `\n  Other devices: https://${config.tls.acmeDomain}${port ? `:${port}` : ""}\n\n`;
  const name = config.mdns.enabled ? `https://${config.mdns.name}.local${port ? `:${port}` : ""} or ` : "";
  const trust = config.tls.mode === "local-ca" ? `\n  First visit from a device: http://${ip}:${server.port} explains how to trust Hearth's certificate.` : "";
  return `\n  Other devices: ${name}https://${ip}${port ? `:${port}` : ""}${trust}\n\n`;
}
