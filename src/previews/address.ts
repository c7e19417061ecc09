// Which addresses the preview fetcher may connect to. The rule: EVERY address a name
// resolves to must be public unicast, else the whole name is refused (a name with one
// public and one private address could be steered to the private one). "Public unicast"
// is ipaddr.js range() === "unicast" after unwrapping IPv4-mapped IPv6 — which already
// excludes 0.0.0.0/8, 10/8, 100.64/10 (CGNAT), 127/8, 169.254/16, 172.16/12, 192.0.0/24,
// documentation and benchmarking nets, 192.168/16, multicast, 240/4, ::1, fe80::/10,
// fc00::/7 (ULA), ff00::/8, NAT64, 6to4, Teredo, 2001:db8::/32 — plus, for IPv6, only
// 2000::/3 (global unicast): the IPv4-compatible ::/96 and other unassigned space are out.
// The admin allowlist (previews.allowHosts) names hosts or CIDRs that may be internal.
import ipaddr from "ipaddr.js";

type Addr = ipaddr.IPv4 | ipaddr.IPv6;

const globalUnicastV6 = ipaddr.parseCIDR("2000::/3");

/** The address as IPv4 when it is IPv4-mapped IPv6 (::ffff:a.b.c.d), else as parsed; null if not an address. */
export function parseAddress(text: string): Addr | null {
  const bare = text.startsWith("[") && text.endsWith("]") ? text.slice(1, -1) : text;
  if (!ipaddr.isValid(bare)) return null;
  // Only canonical literals: "127.1" or "0x7f.1" never reach here from a parsed URL, and a
  // resolver does not answer them; refusing them keeps the classifier's input unambiguous.
  if (!bare.includes(":") && !ipaddr.IPv4.isValidFourPartDecimal(bare)) return null;
  const a = ipaddr.parse(bare);
  return a.kind() === "ipv6" && (a as ipaddr.IPv6).isIPv4MappedAddress() ? (a as ipaddr.IPv6).toIPv4Address() : a;
}

/** null when the address is public unicast; otherwise why not (its ipaddr.js range, or "invalid"). */
export function addressRefusal(text: string): string | null {
  const a = parseAddress(text);
  if (!a) return "invalid";
  const range = a.range();
  if (range !== "unicast") return range;
  if (a.kind() === "ipv6" && !a.match(globalUnicastV6)) return "not_global";
  return null;
}

/** previews.allowHosts parsed: lower-case host names and CIDRs (a bare address is a /32 or /128). */
export interface AllowList {
  hosts: Set<string>;
  nets: [Addr, number][];
}

export function parseAllowList(entries: readonly string[]): AllowList {
  const list: AllowList = { hosts: new Set(), nets: [] };
  for (const raw of entries) {
    const e = raw.trim().toLowerCase();
    if (!e) continue;
    if (e.includes("/")) list.nets.push(ipaddr.parseCIDR(e));
    else if (ipaddr.isValid(e)) {
      const a = parseAddress(e);
      if (a) list.nets.push([a, a.kind() === "ipv4" ? 32 : 128]);
    } else list.hosts.add(e.replace(/\.$/, ""));
  }
  return list;
}

/** Throws a readable message for a bad entry (config validation). */
export function checkAllowEntry(entry: string): string | null {
  const e = entry.trim().toLowerCase();
  if (e.includes("/")) return ipaddr.isValidCIDR(e) ? null : `"${entry}" is not a CIDR`;
  if (ipaddr.isValid(e)) return parseAddress(e) ? null : `"${entry}" is not a canonical address`;
  return /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*\.?$/.test(e) ? null : `"${entry}" is not a host name, address or CIDR`;
}

export const hostAllowed = (list: AllowList, host: string) => list.hosts.has(host.toLowerCase().replace(/\.$/, ""));

export function addressAllowed(list: AllowList, text: string): boolean {
  const a = parseAddress(text);
  if (!a) return false;
  return list.nets.some(([net, bits]) => net.kind() === a.kind() && a.match(net, bits));
}

/**
 * The verdict for one connection: null when every address may be used, else a reason.
 * An allowlisted host may resolve to anything; otherwise each address must be public or
 * inside an allowlisted CIDR.
 */
export function refuseAddresses(list: AllowList, host: string, addresses: readonly string[]): string | null {
  if (addresses.length === 0) return "no_address";
  if (hostAllowed(list, host)) return addresses.every((a) => parseAddress(a)) ? null : "invalid";
  for (const a of addresses) {
    if (addressAllowed(list, a)) continue;
    const why = addressRefusal(a);
    if (why) return `${why}:${a}`;
  }
  return null;
}
