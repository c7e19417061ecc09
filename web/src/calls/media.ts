// One participation's WebRTC side, with mediasoup-client: the Device loaded with the
// router's capabilities, one send and one receive transport, a producer per local source
// and a consumer per remote producer. Signalling goes through the `rpc` it is given (the
// app's one WebSocket, net/connection.ts). Local tracks belong to the caller: producers
// never stop them, so a rejoin re-produces the same tracks without asking for devices again.
import { Device, type types } from "mediasoup-client";
import type { CallResult, CallSource, WireProducer } from "../../../src/protocol/methods/calls.ts";
import type { MethodName, ParamsOf, ResultOf } from "../../../src/protocol/methods/index.ts";

export type Rpc = <M extends MethodName>(method: M, params: ParamsOf<M>) => Promise<ResultOf<M>>;

export interface RemoteTrack {
  producerId: string;
  userId: string;
  source: CallSource;
  kind: "audio" | "video";
  track: MediaStreamTrack;
}

export interface MediaEvents {
  track(t: RemoteTrack): void;
  trackGone(producerId: string): void;
  /** The transports cannot recover by ICE restarts: join again. */
  broken(): void;
}

// Three simulcast layers for the camera: the SFU forwards to each receiver the best one
// its bandwidth (and the tile size it asked for) allows.
const cameraEncodings: types.RtpEncodingParameters[] = [
  { scaleResolutionDownBy: 4, maxBitrate: 150_000 },
  { scaleResolutionDownBy: 2, maxBitrate: 500_000 },
  { scaleResolutionDownBy: 1, maxBitrate: 1_200_000 },
];
// A blip heals with an ICE restart; after this many in a row without reaching "connected", rejoin.
const iceRestartsMax = 3;
const disconnectedWaitMs = 2_000; // "disconnected" often heals by itself

export class CallMedia {
  private readonly device = new Device();
  private send: types.Transport | null = null;
  private recv: types.Transport | null = null;
  private readonly producers = new Map<CallSource, types.Producer>();
  private readonly consumers = new Map<string, { consumer: types.Consumer; userId: string; source: CallSource }>();
  private queue: Promise<unknown> = Promise.resolve();
  private restarts = new Map<string, number>();
  closed = false;

  private constructor(
    private readonly rpc: Rpc,
    readonly callId: string,
    private readonly iceServers: RTCIceServer[],
    private readonly events: MediaEvents,
  ) {}

  static async open(rpc: Rpc, join: CallResult<"call.join">, events: MediaEvents): Promise<CallMedia> {
    const m = new CallMedia(rpc, join.callId, join.iceServers, events);
    await m.device.load({ routerRtpCapabilities: join.routerRtpCapabilities as unknown as types.RtpCapabilities });
    m.recv = await m.transport("recv");
    return m;
  }

  /** Runs media operations one at a time, in order (events arrive while others are in flight). */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.queue.then(() => (this.closed ? (undefined as T) : fn()));
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async transport(direction: "send" | "recv"): Promise<types.Transport> {
    const p = await this.rpc("call.transport.create", { callId: this.callId, direction });
    const opts = {
      id: p.transportId,
      iceParameters: p.iceParameters as unknown as types.IceParameters,
      iceCandidates: p.iceCandidates as unknown as types.IceCandidate[],
      dtlsParameters: p.dtlsParameters as unknown as types.DtlsParameters,
      iceServers: this.iceServers,
    };
    const t = direction === "send" ? this.device.createSendTransport(opts) : this.device.createRecvTransport(opts);
    t.on("connect", ({ dtlsParameters }, ok, fail) => {
      this.rpc("call.transport.connect", { transportId: t.id, dtlsParameters: dtlsParameters as never }).then(() => ok(), fail);
    });
    t.on("produce", ({ kind, rtpParameters, appData }, ok, fail) => {
      const source = appData.source as CallSource;
      this.rpc("call.produce", { transportId: t.id, kind, rtpParameters: rtpParameters as never, appData: { source } }).then((r) => ok({ id: r.producerId }), fail);
    });
    t.on("connectionstatechange", (state) => this.watch(t, state));
    return t;
  }

  /** Network blips: ICE restart on "failed" (or a lasting "disconnected"); give up after a few. */
  private watch(t: types.Transport, state: RTCPeerConnectionState): void {
    if (this.closed || t.closed) return;
    if (state === "connected") return void this.restarts.delete(t.id);
    if (state !== "failed" && state !== "disconnected") return;
    const restart = async () => {
      if (this.closed || t.closed || (t.connectionState !== "failed" && t.connectionState !== "disconnected")) return;
      const n = (this.restarts.get(t.id) ?? 0) + 1;
      this.restarts.set(t.id, n);
      if (n > iceRestartsMax) return this.events.broken();
      try {
        const { iceParameters } = await this.rpc("call.restart_ice", { transportId: t.id });
        await t.restartIce({ iceParameters: iceParameters as unknown as types.IceParameters });
      } catch {
        // The server lost the transport: only a new join helps. Not when this media was closed
        // meanwhile (a worker death's rejoin already replaced it): that would rejoin a healthy call.
        if (!this.closed) this.events.broken();
      }
    };
    if (state === "failed") void restart();
    else setTimeout(() => void restart(), disconnectedWaitMs);
  }

  /** Sends a local track as `source` (a second call for the same source replaces the track). */
  produce(source: CallSource, track: MediaStreamTrack, paused = false): Promise<void> {
    return this.serial(async () => {
      const existing = this.producers.get(source);
      if (existing && !existing.closed) return void (await existing.replaceTrack({ track }));
      this.send ??= await this.transport("send");
      const producer = await this.send.produce({
        track,
        stopTracks: false,
        appData: { source },
        ...(source === "camera" ? { encodings: cameraEncodings, codecOptions: { videoGoogleStartBitrate: 1000 } } : {}),
        ...(source === "mic" ? { codecOptions: { opusDtx: true, opusFec: true } } : {}),
      });
      this.producers.set(source, producer);
      if (paused) await this.setPaused(source, true);
    });
  }

  async setPaused(source: CallSource, paused: boolean): Promise<void> {
    const p = this.producers.get(source);
    if (!p || p.closed || p.paused === paused) return;
    if (paused) p.pause();
    else p.resume();
    await this.rpc(paused ? "call.producer.pause" : "call.producer.resume", { producerId: p.id });
  }

  stopProducing(source: CallSource): Promise<void> {
    return this.serial(async () => {
      const p = this.producers.get(source);
      this.producers.delete(source);
      if (!p || p.closed) return;
      p.close();
      await this.rpc("call.producer.close", { producerId: p.id }).catch(() => undefined);
    });
  }

  /** Makes the consumers match `wanted` (others' live producers): consume new ones, drop gone ones. */
  sync(wanted: readonly WireProducer[]): Promise<void> {
    return this.serial(async () => {
      const ids = new Set(wanted.map((p) => p.producerId));
      for (const [id, c] of this.consumers) {
        if (ids.has(id)) continue;
        c.consumer.close();
        this.consumers.delete(id);
        this.events.trackGone(id);
      }
      for (const p of wanted) if (!this.consumers.has(p.producerId)) await this.consume(p).catch(() => undefined);
    });
  }

  private async consume(p: WireProducer): Promise<void> {
    const recv = this.recv!;
    const r = await this.rpc("call.consume", { producerId: p.producerId, rtpCapabilities: this.device.rtpCapabilities as never, transportId: recv.id });
    const consumer = await recv.consume({ id: r.consumerId, producerId: r.producerId, kind: r.kind, rtpParameters: r.rtpParameters as never });
    this.consumers.set(p.producerId, { consumer, userId: p.userId, source: p.source });
    await this.rpc("call.consumer.resume", { consumerId: r.consumerId }); // the server creates it paused
    this.events.track({ producerId: p.producerId, userId: p.userId, source: p.source, kind: r.kind, track: consumer.track });
  }

  /** Bytes received per consumer so far (inbound-rtp), for the e2e hook and diagnostics. */
  async received(): Promise<{ producerId: string; userId: string; source: CallSource; kind: string; bytes: number }[]> {
    const out = [];
    for (const [producerId, c] of this.consumers) {
      let bytes = 0;
      (await c.consumer.getStats()).forEach((s: { type: string; bytesReceived?: number }) => {
        if (s.type === "inbound-rtp") bytes += s.bytesReceived ?? 0;
      });
      out.push({ producerId, userId: c.userId, source: c.source, kind: c.consumer.kind, bytes });
    }
    return out;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const id of this.consumers.keys()) this.events.trackGone(id);
    this.consumers.clear();
    this.producers.clear();
    this.send?.close();
    this.recv?.close();
  }
}
