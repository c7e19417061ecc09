// The client's IP address, for login throttling and the session list. Forwarded headers
// are trivially forged, so they count ONLY when the TCP peer is a configured trusted
// proxy; then X-Forwarded-For is read right to left (each proxy appends the address it
// saw) and the first hop that is not itself a trusted proxy is the client. IPv4-mapped
// IPv6 addresses (::ffff:1.2.3.4, what a dual-stack socket reports) count as IPv4.

import { type Cidr, inCidr, normalizeIp, parseCidr, parseIp, stripPort } from "../net/ip.ts";

export { normalizeIp, parseIp } from "../net/ip.ts";
const compiled = new WeakMap<readonly string[], Cidr[]>();

/** Parsed once per list; entries that are not an address or CIDR are ignored (config validation reports them). */
function trustedCidrs(list: readonly string[]): Cidr[] {
  let cidrs = compiled.get(list);
  if (!cidrs) {
    cidrs = list.map(parseCidr).filter((c): c is Cidr => c !== null);
    compiled.set(list, cidrs);
  }
  return cidrs;
}

export const isValidProxyEntry = (text: string) => parseCidr(text) !== null;

export function isTrusted(ip: string, trustedProxies: readonly string[]): boolean {
  const bytes = parseIp(stripPort(ip.trim()));
  return bytes !== null && trustedCidrs(trustedProxies).some((c) => inCidr(bytes, c));
}

export function clientIp(request: Request, peerAddress: string, trustedProxies: readonly string[]): string {
  const peer = normalizeIp(peerAddress) ?? peerAddress;
  if (trustedProxies.length === 0 || !isTrusted(peer, trustedProxies)) return peer;
  const forwarded = request.headers.get("x-forwarded-for");
  if (forwarded) {
    const hops = forwarded.split(",").map((h) => h.trim()).filter((h) => h !== "");
    for (let i = hops.length - 1; i >= 0; i--) {
      const hop = normalizeIp(hops[i]!);
      if (!hop) return peer; // garbage where a proxy should have written an address: trust nothing further left
      if (!isTrusted(hop, trustedProxies)) return hop;
    }
    const leftmost = hops.length > 0 ? normalizeIp(hops[0]!) : null;
    return leftmost ?? peer; // every hop is a trusted proxy: the leftmost is the closest we know
  }
  const realIp = request.headers.get("x-real-ip");
  return (realIp && normalizeIp(realIp)) || peer;
}

/** 127.0.0.0/8 or ::1 (IPv4-mapped folded); false for anything that is not an address. */
export function isLoopbackIp(text: string): boolean {
  const bytes = parseIp(stripPort(text.trim()));
  if (!bytes) return false;
  return bytes.length === 4 ? bytes[0] === 127 : bytes.every((b, i) => b === (i === 15 ? 1 : 0));
}

/**
 * Whether a request comes from this machine: the TCP peer is loopback AND, when that peer
 * is a trusted proxy, the client it forwards for is too (a local reverse proxy otherwise
 * makes every outside request look local).
 */
export function isLocalClient(peer: string, client: string): boolean {
  return isLoopbackIp(peer) && isLoopbackIp(client);
}
