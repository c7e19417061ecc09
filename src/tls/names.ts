// The names a Hearth server certificate must cover: every way people on the LAN may type
// its address. Pure: the hostname and addresses are passed in (tests inject them).
import { isIP } from "node:net";
import type { Config } from "../config/schema.ts";
import { canonicalIp, type LeafNames } from "./x509.ts";

const DNS_NAME = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;

export const isDnsName = (name: string) => DNS_NAME.test(name);

export interface NameInputs {
  hostname: string;
  addresses: readonly string[];
}

/** mdns name first (it becomes the subject CN), then hostnames, localhost; loopback and LAN IPs. */
export function serverNames(config: Config, inputs: NameInputs): LeafNames {
  const dns: string[] = [];
  const ips: string[] = [];
  const add = (raw: string) => {
    const name = raw.trim().toLowerCase().replace(/^\[|\]$/g, "").replace(/\.$/, "");
    if (!name) return;
    if (isIP(name)) {
      const ip = canonicalIp(name);
      if (!ips.includes(ip)) ips.push(ip);
    } else if (isDnsName(name) && !dns.includes(name)) {
      dns.push(name);
    }
  };
  add(`${config.mdns.name}.local`);
  const host = inputs.hostname.toLowerCase();
  add(host);
  if (isDnsName(host)) add(`${host.split(".")[0]}.local`);
  add("localhost");
  add(publicHost(config.server.publicUrl));
  add("127.0.0.1");
  add("::1");
  for (const a of inputs.addresses) add(a);
  add(config.calls.announcedAddress);
  return { dns, ips };
}

function publicHost(url: string): string {
  if (!url) return "";
  try {
    return new URL(url).hostname;
  } catch {
    return "";
  }
}

/** Whether two name sets are equal, ignoring order. */
export function sameNames(a: LeafNames, b: LeafNames): boolean {
  const key = (n: LeafNames) => [...n.dns.map((d) => `d:${d}`), ...n.ips.map((i) => `i:${canonicalIp(i)}`)].sort().join(",");
  return key(a) === key(b);
}

/** "+10.0.0.7 -192.168.1.20" for log lines. */
export function nameChanges(from: LeafNames, to: LeafNames): string {
  const a = new Set([...from.dns, ...from.ips]);
  const b = new Set([...to.dns, ...to.ips]);
  return [...[...b].filter((x) => !a.has(x)).map((x) => `+${x}`), ...[...a].filter((x) => !b.has(x)).map((x) => `-${x}`)].join(" ");
}
