// One participant's media inside a call: the transports, producers and consumers they
// own, all on one router (the worker they were placed on). Ids handed out are looked up
// only in the caller's own Peer, so another participant's id is simply not found.
import { AppError, invalidField, notFound } from "../errors.ts";
import type { CallSource } from "../protocol/methods/calls.ts";
import type { types } from "./mediasoup.ts";
import type { WorkerSlot } from "./pool.ts";

export type Direction = "send" | "recv";

export interface TransportEntry {
  transport: types.Transport;
  direction: Direction;
  webrtc: boolean;
  createdAt: number;
}

// A type alias, not an interface: mediasoup's AppData needs an index signature.
export type ProducerMeta = {
  userId: string;
  source: CallSource;
};

export class Peer {
  readonly transports = new Map<string, TransportEntry>();
  readonly producers = new Map<string, types.Producer<ProducerMeta>>();
  readonly consumers = new Map<string, types.Consumer>();
  lostTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    readonly userId: string,
    readonly slot: WorkerSlot,
    readonly router: types.Router,
  ) {}

  transport(id: string, direction?: Direction): TransportEntry {
    const t = this.transports.get(id);
    if (!t || t.transport.closed) throw notFound("Transport not found");
    if (direction && t.direction !== direction) throw invalidField("transportId", `not a ${direction} transport`);
    return t;
  }

  /** The given receive transport, or the newest one. */
  recvTransport(id?: string): TransportEntry {
    if (id) return this.transport(id, "recv");
    let newest: TransportEntry | null = null;
    for (const t of this.transports.values()) {
      if (t.direction === "recv" && !t.transport.closed && (!newest || t.createdAt >= newest.createdAt)) newest = t;
    }
    if (!newest) throw new AppError("not_found", "No receive transport: create one first");
    return newest;
  }

  producer(id: string): types.Producer<ProducerMeta> {
    const p = this.producers.get(id);
    if (!p || p.closed) throw notFound("Producer not found");
    return p;
  }

  consumer(id: string): types.Consumer {
    const c = this.consumers.get(id);
    if (!c || c.closed) throw notFound("Consumer not found");
    return c;
  }

  /** Some transport carries media (a WebRTC one with ICE up, or a plain one). */
  get reachable(): boolean {
    for (const t of this.transports.values()) {
      if (t.transport.closed) continue;
      if (!t.webrtc) return true;
      const ice = (t.transport as types.WebRtcTransport).iceState;
      if (ice === "connected" || ice === "completed") return true;
    }
    return false;
  }

  live(source: CallSource): boolean {
    for (const p of this.producers.values()) if (p.appData.source === source && !p.closed && !p.paused) return true;
    return false;
  }

  close(): void {
    if (this.lostTimer) clearTimeout(this.lostTimer);
    this.lostTimer = null;
    for (const t of this.transports.values()) t.transport.close();
    this.transports.clear();
  }
}

/**
 * Runs a mediasoup operation on client-supplied parameters: mediasoup's validation
 * errors become `invalid_field` naming the field; an object closed meanwhile is `not_found`.
 */
export async function clientInput<T>(field: string, op: () => Promise<T>): Promise<T> {
  try {
    return await op();
  } catch (err) {
    if (err instanceof AppError) throw err;
    const e = err as Error;
    if (e.name === "InvalidStateError") throw notFound("That media object is gone");
    throw invalidField(field, e.message.slice(0, 300));
  }
}
