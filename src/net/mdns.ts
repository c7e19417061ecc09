// mDNS/DNS-SD announcer (RFC 6762/6763) with multicast-dns: answers queries for
//   _https._tcp.local          PTR  <name>._https._tcp.local
//   <name>._https._tcp.local   SRV  <name>.local:<port>, TXT path=/
//   <name>.local               A/AAAA  the LAN addresses
// announces once at start (twice, 1 s apart, as RFC 6762 §8.3 asks) and says goodbye
// (TTL 0) on stop, so browsers on the LAN can open https://<name>.local:<port>.
import multicastDns, { type Mdns, type MdnsPacket, type MdnsRecord } from "multicast-dns";
import { limits } from "../limits.ts";
import type { Logger } from "../log/port.ts";

export const SERVICE_TYPE = "_https._tcp.local";
const SERVICES = "_services._dns-sd._udp.local";

export interface MdnsOptions {
  /** One DNS label: the host is <name>.local, the service instance <name>._https._tcp.local. */
  name: string;
  port: number;
  path?: string;
  /** Re-read on every answer, so address changes need no restart. */
  addresses: () => string[];
  /** Send and listen on this interface address only (tests use 127.0.0.1); default all. */
  interface?: string;
  log: Logger;
}

export interface Announcer {
  readonly ready: Promise<void>;
  stop(): Promise<void>;
}

/** The records for `opts` with `ttl` (0 = goodbye). */
export function records(opts: Pick<MdnsOptions, "name" | "port" | "path">, addresses: string[], ttl: number) {
  const host = `${opts.name}.local`;
  const instance = `${opts.name}.${SERVICE_TYPE}`;
  const addr: MdnsRecord[] = addresses.map((a) => ({ name: host, type: a.includes(":") ? "AAAA" : "A", ttl, flush: true, data: a }));
  return {
    host,
    instance,
    ptr: { name: SERVICE_TYPE, type: "PTR", ttl, data: instance } as MdnsRecord,
    services: { name: SERVICES, type: "PTR", ttl, data: SERVICE_TYPE } as MdnsRecord,
    srv: { name: instance, type: "SRV", ttl, flush: true, data: { port: opts.port, weight: 0, priority: 0, target: host } } as MdnsRecord,
    txt: { name: instance, type: "TXT", ttl, flush: true, data: [`path=${opts.path ?? "/"}`] } as MdnsRecord,
    addr,
  };
}

/** What to answer for one question (answers + additionals), or null when it is not about us. */
export function answer(q: { name: string; type: string }, r: ReturnType<typeof records>): { answers: MdnsRecord[]; additionals: MdnsRecord[] } | null {
  const name = q.name.toLowerCase();
  const any = q.type === "ANY";
  if (name === SERVICES && (any || q.type === "PTR")) return { answers: [r.services], additionals: [] };
  if (name === SERVICE_TYPE && (any || q.type === "PTR")) return { answers: [r.ptr], additionals: [r.srv, r.txt, ...r.addr] };
  if (name === r.instance.toLowerCase()) {
    const answers = [...(any || q.type === "SRV" ? [r.srv] : []), ...(any || q.type === "TXT" ? [r.txt] : [])];
    return answers.length ? { answers, additionals: r.addr } : null;
  }
  if (name === r.host.toLowerCase()) {
    const answers = r.addr.filter((a) => any || a.type === q.type);
    return answers.length ? { answers, additionals: [] } : null;
  }
  return null;
}

export function startMdns(opts: MdnsOptions): Announcer {
  const mdns: Mdns = multicastDns({ interface: opts.interface, bind: "0.0.0.0", loopback: true, reuseAddr: true });
  const current = (ttl: number) => records(opts, opts.addresses(), ttl);
  const announce = (ttl: number) => {
    const r = current(ttl);
    mdns.respond({ answers: [r.ptr, r.srv, r.txt, ...r.addr], additionals: [] });
  };
  mdns.on("query", (packet: MdnsPacket) => {
    const r = current(limits.mdnsTtlSec);
    for (const q of packet.questions ?? []) {
      const a = answer(q, r);
      if (a) mdns.respond(a);
    }
  });
  mdns.on("warning", (err) => opts.log.debug("mDNS warning", { err }));
  let timer: ReturnType<typeof setTimeout> | null = null;
  const ready = new Promise<void>((resolve, reject) => {
    mdns.on("ready", () => {
      announce(limits.mdnsTtlSec);
      timer = setTimeout(() => announce(limits.mdnsTtlSec), 1000);
      timer.unref();
      resolve();
    });
    mdns.on("error", (err) => {
      opts.log.warn("mDNS announcer stopped: the LAN will not find Hearth by name", { err });
      reject(err);
    });
  });
  ready.catch(() => {}); // the error is logged; the server runs without discovery
  return {
    ready,
    stop: () =>
      new Promise<void>((resolve) => {
        if (timer) clearTimeout(timer);
        const r = current(0); // goodbye: resolvers drop the records at once
        mdns.respond({ answers: [r.ptr, r.srv, r.txt, ...r.addr] }, undefined, () => mdns.destroy(() => resolve()));
      }),
  };
}
