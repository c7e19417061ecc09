// X.509 name constraints (RFC 5280 §4.2.1.10) for the local CA: the only names and
// addresses a certificate it signs may carry. A device that trusts Hearth's CA then
// trusts it for the LAN and nothing else, even if the CA key leaks. @peculiar/x509 has
// no class for this extension, so the DER is written and read here; only the subset
// Hearth emits is parsed (permitted dNSName and iPAddress subtrees).
import { isIP } from "node:net";

export const NAME_CONSTRAINTS_OID = "2.5.29.30";

/** Permitted subtrees: DNS suffixes ("local" covers a.local) and CIDR ranges ("10.0.0.0/8", "fc00::/7"). */
export interface PermittedNames {
  dns: string[];
  ips: string[];
}

/**
 * The ranges a LAN address falls in, fixed so that a DHCP or Wi-Fi change needs no new CA:
 * RFC 1918, link-local, loopback, CGNAT/Tailscale (100.64/10), IPv6 loopback, ULA, link-local.
 */
export const PRIVATE_RANGES = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16", "127.0.0.0/8", "100.64.0.0/10", "::1/128", "fc00::/7", "fe80::/10"];

// ---- bytes ----

function ipBytes(ip: string): number[] {
  if (isIP(ip) === 4) return ip.split(".").map(Number);
  if (isIP(ip) !== 6) throw new Error(`not an IP address: ${ip}`);
  const [head = "", tail] = ip.toLowerCase().split("::") as [string, string?];
  const groups = (s: string) => (s ? s.split(":") : []);
  const h = groups(head);
  const t = tail === undefined ? [] : groups(tail);
  const all = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill("0"), ...t];
  return all.flatMap((g) => [parseInt(g, 16) >> 8, parseInt(g, 16) & 0xff]);
}

function maskBytes(bits: number, length: number): number[] {
  return Array.from({ length }, (_, i) => (bits >= (i + 1) * 8 ? 0xff : bits <= i * 8 ? 0 : (0xff << (8 - (bits - i * 8))) & 0xff));
}

/** "10.0.0.0/8" → address bytes and mask bytes; a bare address is a single host. */
export function parseCidr(cidr: string): { addr: number[]; mask: number[] } {
  const [ip = "", bitsText] = cidr.split("/");
  const addr = ipBytes(ip);
  const bits = bitsText === undefined ? addr.length * 8 : Number(bitsText);
  if (!Number.isInteger(bits) || bits < 0 || bits > addr.length * 8) throw new Error(`bad prefix length in ${cidr}`);
  const mask = maskBytes(bits, addr.length);
  return { addr: addr.map((b, i) => b & mask[i]!), mask };
}

function formatCidr(addr: number[], mask: number[]): string {
  const bits = mask.reduce((n, b) => n + (b.toString(2).match(/1/g)?.length ?? 0), 0);
  if (addr.length === 4) return `${addr.join(".")}/${bits}`;
  const groups = Array.from({ length: 8 }, (_, i) => ((addr[2 * i]! << 8) | addr[2 * i + 1]!).toString(16));
  return `${new URL(`http://[${groups.join(":")}]/`).hostname.slice(1, -1)}/${bits}`;
}

// ---- DER ----

function tlv(tag: number, body: number[]): number[] {
  const n = body.length;
  const len = n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : [0x82, n >> 8, n & 0xff];
  return [tag, ...len, ...body];
}

/** NameConstraints ::= SEQUENCE { permittedSubtrees [0] GeneralSubtrees } with dNSName [2] and iPAddress [7] bases. */
export function encodeNameConstraints(p: PermittedNames): ArrayBuffer {
  const subtree = (name: number[]) => tlv(0x30, name);
  const dns = p.dns.map((d) => subtree(tlv(0x82, [...Buffer.from(d, "ascii")])));
  const ips = p.ips.map((c) => {
    const { addr, mask } = parseCidr(c);
    return subtree(tlv(0x87, [...addr, ...mask]));
  });
  return new Uint8Array(tlv(0x30, tlv(0xa0, [...dns, ...ips].flat()))).buffer;
}

/** Reads TLVs from `bytes[start, end)`; only short and 1-2 byte long lengths (all Hearth writes). */
function* tlvs(bytes: Uint8Array, start: number, end: number): Generator<{ tag: number; from: number; to: number }> {
  let i = start;
  while (i < end) {
    const tag = bytes[i]!;
    let len = bytes[i + 1]!;
    let head = 2;
    if (len & 0x80) {
      const k = len & 0x7f;
      if (k < 1 || k > 2) throw new Error("unsupported DER length");
      len = k === 1 ? bytes[i + 2]! : (bytes[i + 2]! << 8) | bytes[i + 3]!;
      head = 2 + k;
    }
    const from = i + head;
    const to = from + len;
    if (to > end) throw new Error("truncated DER");
    yield { tag, from, to };
    i = to;
  }
}

/** The permitted DNS and IP subtrees of an encoded extension value; other name types are ignored. */
export function decodeNameConstraints(value: ArrayBuffer | Uint8Array): PermittedNames {
  const bytes = value instanceof Uint8Array ? value : new Uint8Array(value);
  const out: PermittedNames = { dns: [], ips: [] };
  for (const seq of tlvs(bytes, 0, bytes.length)) {
    for (const part of tlvs(bytes, seq.from, seq.to)) {
      if (part.tag !== 0xa0) continue;
      for (const subtree of tlvs(bytes, part.from, part.to)) {
        const base = tlvs(bytes, subtree.from, subtree.to).next().value;
        if (!base) continue;
        const raw = [...bytes.subarray(base.from, base.to)];
        if (base.tag === 0x82) out.dns.push(Buffer.from(raw).toString("ascii").toLowerCase());
        if (base.tag === 0x87 && (raw.length === 8 || raw.length === 32)) out.ips.push(formatCidr(raw.slice(0, raw.length / 2), raw.slice(raw.length / 2)));
      }
    }
  }
  return out;
}

// ---- matching (what verifiers do) ----

/** RFC 5280: a dNSName constraint is satisfied by the name itself or any name with labels added on the left. */
export function dnsPermitted(name: string, permitted: readonly string[]): boolean {
  const n = name.toLowerCase().replace(/\.$/, "");
  return permitted.some((c) => {
    const base = c.toLowerCase().replace(/^\./, "");
    return n === base || n.endsWith(`.${base}`);
  });
}

export function ipPermitted(ip: string, permitted: readonly string[]): boolean {
  let addr: number[];
  try {
    addr = ipBytes(ip);
  } catch {
    return false;
  }
  return permitted.some((c) => {
    const range = parseCidr(c);
    return range.addr.length === addr.length && addr.every((b, i) => (b & range.mask[i]!) === range.addr[i]);
  });
}

/** The names of `leaf` a CA constrained to `permitted` could not vouch for. */
export function unpermittedNames(leaf: { dns: readonly string[]; ips: readonly string[] }, permitted: PermittedNames): string[] {
  return [...leaf.dns.filter((d) => !dnsPermitted(d, permitted.dns)), ...leaf.ips.filter((ip) => !ipPermitted(ip, permitted.ips))];
}

/**
 * What the CA permits for a server with these names: `.local`, `localhost`, every other
 * DNS name the certificate carries (hostname, public URL host), the private ranges, and
 * each address outside them (a public IPv6 or a public announced address) as one host.
 */
export function permittedFor(leaf: { dns: readonly string[]; ips: readonly string[] }): PermittedNames {
  const dns = ["local", "localhost"];
  for (const d of leaf.dns) if (!dnsPermitted(d, dns)) dns.push(d);
  const ips = [...PRIVATE_RANGES];
  for (const ip of leaf.ips) if (!ipPermitted(ip, ips)) ips.push(`${ip}/${isIP(ip) === 4 ? 32 : 128}`);
  return { dns, ips };
}
