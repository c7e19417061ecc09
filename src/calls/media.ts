// The SFU side of one call: a router on its home worker plus, when the call spans
// workers, a router on each other worker it uses, joined by pipeToRouter. This is the
// service API the signaling methods (calls.ts) drive, and the one tests and the
// benchmark drive directly with PlainTransports and generated RTP.
//
// Placement: a participant goes to the home worker while its load is under
// limits.callWorkerLoadSpill, else to the least-loaded worker. A producer is piped to
// another worker's router the first time someone there consumes it (one pipe per
// producer and router; mediasoup reuses one PipeTransport pair per router pair).
import { AppError, forbidden, invalidField } from "../errors.ts";
import { limits } from "../limits.ts";
import type { CallSource } from "../protocol/methods/calls.ts";
import { routerCodecs } from "./codecs.ts";
import type { types } from "./mediasoup.ts";
import { clientInput, type Direction, Peer, type ProducerMeta } from "./peer.ts";
import type { WorkerPool, WorkerSlot } from "./pool.ts";

export interface MediaOptions {
  maxIncomingBitrate: number; // 0: no cap
  initialOutgoingBitrate: number;
  /** How long a peer may have no reachable transport before onPeerLost (default limits.callPeerLostGraceMs). */
  peerLostGraceMs?: number;
  /** The loudest mic changed (per router: a call spanning workers has one per worker). */
  onSpeaker?: (userId: string) => void;
  /** A peer had no reachable transport for peerLostGraceMs. */
  onPeerLost?: (userId: string) => void;
  /** Load changed on some worker (metrics). */
  onLoad?: () => void;
}

interface RouterEntry {
  slot: WorkerSlot;
  router: types.Router;
  speaker: types.ActiveSpeakerObserver;
}

export interface ProducerEntry {
  producer: types.Producer<ProducerMeta>;
  home: RouterEntry;
  pipes: Map<number, Promise<void>>; // slot index → piped there
}

export class CallMedia {
  readonly peers = new Map<string, Peer>();
  readonly producers = new Map<string, ProducerEntry>();
  private readonly routers = new Map<number, Promise<RouterEntry>>();
  closed = false;

  constructor(
    readonly pool: WorkerPool,
    readonly home: WorkerSlot,
    private readonly opts: MediaOptions,
  ) {}

  /** Worker indexes this call has routers on. */
  get slotIndexes(): number[] {
    return [...this.routers.keys()];
  }

  usesSlot(slot: WorkerSlot): boolean {
    return this.home === slot || [...this.peers.values()].some((p) => p.slot === slot);
  }

  get rtpCapabilities(): Promise<types.RtpCapabilities> {
    return this.routerOn(this.home).then((r) => r.router.rtpCapabilities);
  }

  /** Places a new peer (forceSlot: tests and operators pin a worker). */
  async addPeer(userId: string, forceSlot?: number): Promise<Peer> {
    if (this.peers.has(userId)) throw new AppError("conflict", "Already in the call", { what: "participant" });
    const slot = forceSlot === undefined ? this.pick() : this.pool.slot(forceSlot);
    const entry = await this.routerOn(slot);
    this.assertOpen();
    if (this.peers.has(userId)) throw new AppError("conflict", "Already in the call", { what: "participant" });
    const peer = new Peer(userId, slot, entry.router);
    this.peers.set(userId, peer);
    this.watch(peer);
    return peer;
  }

  removePeer(userId: string): void {
    const peer = this.peers.get(userId);
    if (!peer) return;
    this.peers.delete(userId);
    peer.close();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const p of this.peers.values()) p.close();
    this.peers.clear();
    for (const r of this.routers.values()) void r.then((e) => e.router.close()).catch(() => {});
    this.routers.clear();
  }

  private pick(): WorkerSlot {
    if (this.home.alive && this.home.load < limits.callWorkerLoadSpill) return this.home;
    return this.pool.leastLoaded();
  }

  private routerOn(slot: WorkerSlot): Promise<RouterEntry> {
    let r = this.routers.get(slot.index);
    if (!r) {
      r = createRouter(slot, this.opts);
      this.routers.set(slot.index, r);
      r.catch(() => this.routers.delete(slot.index));
    }
    return r;
  }

  private assertOpen(): void {
    if (this.closed) throw new AppError("not_found", "The call ended");
  }

  // ---- transports ----

  async createWebRtcTransport(peer: Peer, direction: Direction): Promise<types.WebRtcTransport> {
    this.checkTransportRoom(peer);
    const transport = await peer.router.createWebRtcTransport({
      webRtcServer: peer.slot.server,
      enableUdp: true,
      enableTcp: true,
      preferUdp: true,
      initialAvailableOutgoingBitrate: this.opts.initialOutgoingBitrate,
      appData: { userId: peer.userId, direction },
    });
    if (this.opts.maxIncomingBitrate > 0) await transport.setMaxIncomingBitrate(this.opts.maxIncomingBitrate);
    peer.transports.set(transport.id, { transport, direction, webrtc: true, createdAt: performance.now() });
    transport.on("icestatechange", () => this.watch(peer));
    transport.on("dtlsstatechange", (s) => (s === "failed" || s === "closed" ? this.watch(peer) : undefined));
    this.watch(peer);
    return transport;
  }

  /** Plain RTP over UDP on loopback: tests and the benchmark (never offered to clients). */
  async createPlainTransport(peer: Peer, direction: Direction, comedia: boolean): Promise<types.PlainTransport> {
    this.checkTransportRoom(peer);
    const transport = await peer.router.createPlainTransport({ listenInfo: { protocol: "udp", ip: "127.0.0.1" }, rtcpMux: true, comedia });
    peer.transports.set(transport.id, { transport, direction, webrtc: false, createdAt: performance.now() });
    this.watch(peer);
    return transport;
  }

  private checkTransportRoom(peer: Peer): void {
    this.assertOpen();
    const open = [...peer.transports.values()].filter((t) => !t.transport.closed).length;
    if (open >= limits.callTransportsPerParticipantMax) {
      throw new AppError("limit_exceeded", "Too many transports", { limit: "callTransportsPerParticipantMax", max: limits.callTransportsPerParticipantMax });
    }
  }

  /** Drops a peer whose transports stay unreachable (closed tab, lost network) after a grace period. */
  private watch(peer: Peer): void {
    const lost = this.opts.onPeerLost;
    if (!lost || this.closed) return;
    if (peer.reachable) {
      if (peer.lostTimer) clearTimeout(peer.lostTimer);
      peer.lostTimer = null;
      return;
    }
    peer.lostTimer ??= setTimeout(() => {
      peer.lostTimer = null;
      if (this.peers.get(peer.userId) === peer && !peer.reachable) lost(peer.userId);
    }, this.opts.peerLostGraceMs ?? limits.callPeerLostGraceMs);
  }

  // ---- producers ----

  async produce(peer: Peer, transportId: string, p: { kind: types.MediaKind; rtpParameters: types.RtpParameters; source: CallSource }) {
    const { transport } = peer.transport(transportId, "send");
    const live = [...peer.producers.values()].filter((x) => !x.closed);
    if (live.length >= limits.callProducersPerParticipantMax) {
      throw new AppError("limit_exceeded", "Too many producers", { limit: "callProducersPerParticipantMax", max: limits.callProducersPerParticipantMax });
    }
    if (live.some((x) => x.appData.source === p.source)) throw new AppError("conflict", `Already sending ${p.source}`, { what: "producer" });
    if ((p.source === "mic" || p.source === "screen_audio") !== (p.kind === "audio")) throw invalidField("kind", `${p.source} is not ${p.kind}`);
    const producer = await clientInput("rtpParameters", () =>
      transport.produce<ProducerMeta>({ kind: p.kind, rtpParameters: p.rtpParameters, appData: { userId: peer.userId, source: p.source } }),
    );
    const home = await this.routerOn(peer.slot);
    if (this.closed || peer.transports.get(transportId)?.transport !== transport) {
      producer.close();
      throw new AppError("not_found", "The transport closed meanwhile");
    }
    peer.producers.set(producer.id, producer);
    this.producers.set(producer.id, { producer, home, pipes: new Map() });
    this.count(peer.slot, producer.observer);
    producer.observer.once("close", () => {
      peer.producers.delete(producer.id);
      this.producers.delete(producer.id);
    });
    if (p.source === "mic") await home.speaker.addProducer({ producerId: producer.id }).catch(() => {});
    return producer;
  }

  // ---- consumers ----

  async consume(peer: Peer, producerId: string, rtpCapabilities: types.RtpCapabilities, transportId?: string) {
    const { transport } = peer.recvTransport(transportId);
    const source = this.producers.get(producerId);
    if (!source || source.producer.closed) throw new AppError("not_found", "Producer not found");
    if (source.producer.appData.userId === peer.userId) throw forbidden("You cannot consume your own producer");
    if (peer.consumers.size >= limits.callConsumersPerParticipantMax) {
      throw new AppError("limit_exceeded", "Too many consumers", { limit: "callConsumersPerParticipantMax", max: limits.callConsumersPerParticipantMax });
    }
    if (source.home.slot !== peer.slot) await this.pipe(source, peer.slot);
    if (!peer.router.canConsume({ producerId, rtpCapabilities })) throw invalidField("rtpCapabilities", "cannot receive this producer's codec");
    const consumer = await clientInput("rtpCapabilities", () =>
      transport.consume({ producerId, rtpCapabilities, paused: true, appData: { ...source.producer.appData } }),
    );
    peer.consumers.set(consumer.id, consumer);
    this.count(peer.slot, consumer.observer);
    consumer.observer.once("close", () => peer.consumers.delete(consumer.id));
    return { consumer, meta: source.producer.appData };
  }

  /** Makes a producer consumable on another worker's router for this call (once per router). */
  private pipe(source: ProducerEntry, target: WorkerSlot): Promise<void> {
    let done = source.pipes.get(target.index);
    if (!done) {
      done = this.routerOn(target).then(async (dst) => {
        const { pipeConsumer, pipeProducer } = await source.home.router.pipeToRouter({ producerId: source.producer.id, router: dst.router });
        if (pipeConsumer) this.count(source.home.slot, pipeConsumer.observer);
        if (pipeProducer) this.count(target, pipeProducer.observer);
      });
      source.pipes.set(target.index, done);
      done.catch(() => source.pipes.delete(target.index));
    }
    return done;
  }

  /** Worker load: +1 now, -1 when the object closes. */
  private count(slot: WorkerSlot, observer: { once(e: "close", f: () => void): unknown }): void {
    slot.load++;
    this.opts.onLoad?.();
    observer.once("close", () => {
      slot.load--;
      this.opts.onLoad?.();
    });
  }
}

async function createRouter(slot: WorkerSlot, opts: MediaOptions): Promise<RouterEntry> {
  const router = await slot.worker.createRouter({ mediaCodecs: routerCodecs });
  const speaker = await router.createActiveSpeakerObserver({ interval: limits.callActiveSpeakerIntervalMs });
  speaker.on("dominantspeaker", ({ producer }) => {
    const userId = (producer.appData as Partial<ProducerMeta>).userId;
    if (userId) opts.onSpeaker?.(userId);
  });
  return { slot, router, speaker };
}
