// This machine's LAN addresses, found locally (no external "what is my IP" service). The
// ONE detection used by both the TLS certificate's names and the address WebRTC announces,
// so a call's media address is always one the certificate also covers.
import { type NetworkInterfaceInfo, networkInterfaces } from "node:os";

export type Interfaces = NodeJS.Dict<NetworkInterfaceInfo[]>;

const isPrivateV4 = (ip: string) => /^(10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.)/.test(ip);
// Link-local addresses change per boot/interface and need a zone id in URLs: useless in a certificate.
const isLinkLocal = (ip: string) => ip.startsWith("169.254.") || /^fe[89ab][0-9a-f]:/i.test(ip);

/** Every non-loopback, non-link-local address of this machine: IPv4 first, each list in interface order. */
export function lanAddresses(interfaces: Interfaces = networkInterfaces()): string[] {
  const v4: string[] = [];
  const v6: string[] = [];
  for (const list of Object.values(interfaces)) {
    for (const a of list ?? []) {
      if (a.internal || isLinkLocal(a.address)) continue;
      const into = a.family === "IPv4" ? v4 : v6;
      const address = a.address.toLowerCase();
      if (!into.includes(address)) into.push(address);
    }
  }
  return [...v4, ...v6];
}

/** First private IPv4 of a non-loopback interface; else any non-loopback IPv4; else null. */
export function lanAddress(interfaces: Interfaces = networkInterfaces()): string | null {
  const candidates = lanAddresses(interfaces).filter((a) => !a.includes(":"));
  return candidates.find(isPrivateV4) ?? candidates[0] ?? null;
}

/** What call clients are told to send media to: the configured address, the LAN address, or loopback. */
export function announcedAddress(configured: string, interfaces?: Interfaces): string {
  return configured.trim() || lanAddress(interfaces) || "127.0.0.1";
}

/** Whether a Host (name or IP, no port) is loopback: browsers treat these as secure contexts even over http. */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, "");
  return h === "localhost" || h.endsWith(".localhost") || /^127\.\d+\.\d+\.\d+$/.test(h) || h === "::1" || h === "0:0:0:0:0:0:0:1";
}

/** The host part of a Host header value ("[::1]:8080" → "::1", "a.local:80" → "a.local"). */
export function hostOnly(hostHeader: string): string {
  const h = hostHeader.trim();
  if (h.startsWith("[")) return h.slice(1, h.indexOf("]") > 0 ? h.indexOf("]") : undefined);
  const colon = h.indexOf(":");
  return colon >= 0 && h.indexOf(":", colon + 1) < 0 ? h.slice(0, colon) : h;
}
