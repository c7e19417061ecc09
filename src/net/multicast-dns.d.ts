// The part of multicast-dns (and its dns-packet records) that Hearth uses; the package ships no types.
declare module "multicast-dns" {
  import type { EventEmitter } from "node:events";
  export interface MdnsRecord {
    name: string;
    type: string;
    ttl?: number;
    class?: string;
    flush?: boolean;
    data?: unknown;
  }
  export interface MdnsQuestion {
    name: string;
    type: string;
  }
  export interface MdnsPacket {
    type: "query" | "response";
    questions?: MdnsQuestion[];
    answers?: MdnsRecord[];
    additionals?: MdnsRecord[];
  }
  export interface RemoteInfo {
    address: string;
    port: number;
  }
  export interface Mdns extends EventEmitter {
    query(q: MdnsQuestion[] | { questions: MdnsQuestion[] }, cb?: (err?: Error | null) => void): void;
    respond(res: { answers: MdnsRecord[]; additionals?: MdnsRecord[] }, rinfo?: RemoteInfo, cb?: (err?: Error | null) => void): void;
    destroy(cb?: () => void): void;
    on(event: "query" | "response", listener: (packet: MdnsPacket, rinfo: RemoteInfo) => void): this;
    on(event: "ready", listener: () => void): this;
    on(event: "error" | "warning", listener: (err: Error) => void): this;
  }
  export interface MdnsOptions {
    port?: number;
    ip?: string;
    interface?: string;
    bind?: string | false;
    multicast?: boolean;
    loopback?: boolean;
    reuseAddr?: boolean;
    ttl?: number;
  }
  export default function multicastDns(opts?: MdnsOptions): Mdns;
}

// dns-packet (a dependency of multicast-dns), as used by tests' stub DNS server.
declare module "dns-packet" {
  export interface Question {
    name: string;
    type: string;
  }
  export interface Packet {
    type?: "query" | "response";
    id?: number;
    flags?: number;
    questions?: Question[];
    answers?: { name: string; type: string; ttl?: number; data?: unknown }[];
  }
  export const AUTHORITATIVE_ANSWER: number;
  export function decode(buf: Buffer): Packet;
  export function encode(packet: Packet): Buffer;
  const dnsPacket: { decode: typeof decode; encode: typeof encode; AUTHORITATIVE_ANSWER: number };
  export default dnsPacket;
}
