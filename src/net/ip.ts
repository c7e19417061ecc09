// IP addresses and CIDR ranges as bytes: parsing (IPv4, IPv6, IPv4-mapped IPv6 folded to
// IPv4), canonical text, and range membership. Shared by the trusted-proxy resolution
// (src/server/client-ip.ts) and the admins' IP blocks (src/admin/ip-blocks.ts).
export type Bytes = number[]; // 4 bytes (IPv4) or 16 (IPv6)

export function parseIpv4(text: string): Bytes | null {
  const parts = text.split(".");
  if (parts.length !== 4) return null;
  const bytes = parts.map((p) => (/^\d{1,3}$/.test(p) ? Number(p) : 256));
  return bytes.every((b) => b <= 255) ? bytes : null;
}

export function parseIpv6(text: string): Bytes | null {
  const address = text.replace(/%.*$/, ""); // zone id (fe80::1%eth0) is not part of the address
  const halves = address.split("::");
  if (halves.length > 2) return null;
  const groups = (half: string): Bytes | null => {
    if (half === "") return [];
    const out: Bytes = [];
    const parts = half.split(":");
    for (const [i, part] of parts.entries()) {
      if (i === parts.length - 1 && part.includes(".")) {
        const v4 = parseIpv4(part);
        if (!v4) return null;
        out.push(...v4);
      } else if (/^[0-9a-f]{1,4}$/i.test(part)) {
        const n = Number.parseInt(part, 16);
        out.push(n >> 8, n & 0xff);
      } else return null;
    }
    return out;
  };
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  if (!head || !tail) return null;
  const missing = 16 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 2) return null;
  return [...head, ...new Array(missing).fill(0), ...tail];
}

export const isMappedV4 = (b: Bytes) => b.length === 16 && b.slice(0, 10).every((x) => x === 0) && b[10] === 0xff && b[11] === 0xff;

/** Bytes of an address, IPv4-mapped IPv6 folded to IPv4; null if not an address. */
export function parseIp(text: string): Bytes | null {
  const bytes = text.includes(":") ? parseIpv6(text) : parseIpv4(text);
  return bytes && isMappedV4(bytes) ? bytes.slice(12) : bytes;
}

export function formatIp(bytes: Bytes): string {
  if (bytes.length === 4) return bytes.join(".");
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i]! << 8) | bytes[i + 1]!).toString(16));
  // collapse the longest run of zero groups (RFC 5952)
  let best = { start: -1, len: 0 };
  for (let i = 0; i < 8; ) {
    let j = i;
    while (j < 8 && groups[j] === "0") j++;
    if (j - i > best.len && j - i > 1) best = { start: i, len: j - i };
    i = j === i ? i + 1 : j;
  }
  if (best.start < 0) return groups.join(":");
  return `${groups.slice(0, best.start).join(":")}::${groups.slice(best.start + best.len).join(":")}`;
}

/** Canonical text of an address (IPv4-mapped folded), or null. */
export function normalizeIp(text: string): string | null {
  const bytes = parseIp(stripPort(text.trim()));
  return bytes ? formatIp(bytes) : null;
}

// "1.2.3.4:5678" and "[::1]:80" appear in some proxies' headers.
export function stripPort(text: string): string {
  const bracket = /^\[([^\]]+)\](?::\d+)?$/.exec(text);
  if (bracket) return bracket[1]!;
  return /^[\d.]+:\d+$/.test(text) ? text.slice(0, text.lastIndexOf(":")) : text;
}

export interface Cidr {
  bytes: Bytes;
  prefix: number;
}

export function parseCidr(text: string): Cidr | null {
  const [addr = "", prefixText] = text.trim().split("/");
  const raw = addr.includes(":") ? parseIpv6(addr) : parseIpv4(addr);
  if (!raw) return null;
  let prefix = prefixText === undefined ? raw.length * 8 : /^\d+$/.test(prefixText) ? Number(prefixText) : -1;
  if (prefix < 0 || prefix > raw.length * 8) return null;
  if (isMappedV4(raw)) {
    if (prefix < 96) return null; // a range wider than the mapped block mixes families; refuse it
    return { bytes: raw.slice(12), prefix: prefix - 96 };
  }
  return { bytes: raw, prefix };
}

export function inCidr(ip: Bytes, cidr: Cidr): boolean {
  if (ip.length !== cidr.bytes.length) return false;
  for (let bit = 0; bit < cidr.prefix; bit += 8) {
    const bits = Math.min(8, cidr.prefix - bit);
    const mask = (0xff << (8 - bits)) & 0xff;
    if ((ip[bit / 8]! & mask) !== (cidr.bytes[bit / 8]! & mask)) return false;
  }
  return true;
}


/** Canonical text of a CIDR (an address alone is a /32 or /128; host bits cleared), or null. */
export function normalizeCidr(text: string): string | null {
  const c = parseCidr(text);
  if (!c) return null;
  const bytes = c.bytes.map((byte, i) => {
    const bits = Math.max(0, Math.min(8, c.prefix - i * 8));
    return byte & ((0xff << (8 - bits)) & 0xff);
  });
  return `${formatIp(bytes)}/${c.prefix}`;
}
