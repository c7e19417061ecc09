// Calls as a domain: a call belongs to a chat (a direct chat rings the other person;
// groups and channels just start one), people join and leave, and the call ends when
// the last one leaves or, in a 1:1 call, when either person hangs up (a 1:1 call nobody
// answered ends as `missed`). Who may join is
// access.ts's `call_join`: only current members; a member removed from the chat is
// taken out of its call at once (we listen to their event topic).
//
// State lives in memory on this server (calls do not survive a restart; clients
// rejoin). Every await is followed by a re-check that the call still exists.
import { topics, type Unsubscribe } from "../bus/port.ts";
import { requireChat } from "../chats/access.ts";
import { isAdmin } from "../accounts/access.ts";
import { AppError, notFound } from "../errors.ts";
import { decodeEventsPayload, publishCommitted } from "../events/publish.ts";
import { newId } from "../ids.ts";
import { limits } from "../limits.ts";
import type { CallEventData } from "../protocol/events/calls.ts";
import type { CallParams, CallResult, WireCallRecord, WireProducer } from "../protocol/methods/calls.ts";
import type { Deps } from "../core/deps.ts";
import type { CallRecord } from "../storage/calls-port.ts";
import type { Chat } from "../storage/chats-port.ts";
import { announcedAddress } from "./address.ts";
import { Call, type Participant } from "./call.ts";
import { iceServersFor } from "./ice.ts";
import { CallMedia } from "./media.ts";
import { loadMediasoup } from "./mediasoup.ts";
import { callMetrics, type CallMetrics } from "./metrics.ts";
import { callDraft, emitCallEvents } from "./notify.ts";
import type { Peer } from "./peer.ts";
import { WorkerPool, type WorkerSlot } from "./pool.ts";

const unavailable = (detail?: string) =>
  new AppError("unavailable", "Calls are unavailable on this server right now", ...(detail ? [{ detail }] : []));

type EndReason = CallEventData<"call.ended">["reason"];
type LeftReason = CallEventData<"call.participant_left">["reason"];

export interface CallsOptions {
  /** Pins a new participant to a worker (tests of cross-worker calls; undefined: normal placement). */
  placement?: (call: Call, userId: string) => number | undefined;
  /** Shorter waits so tests reach the timeout paths; defaults from limits.ts. */
  ringTimeoutMs?: number;
  peerLostGraceMs?: number;
}

export class Calls {
  readonly byId = new Map<string, Call>();
  private readonly byChat = new Map<string, Call>();
  private readonly starting = new Map<string, Promise<Call>>();
  private readonly ofUser = new Map<string, Set<Call>>();
  private pool: Promise<WorkerPool> | null = null;
  /** The pool once it started (health() reads it without waiting). */
  private started: WorkerPool | null = null;
  /** Why the worker pool last failed to start, for admins (poolFor). */
  private unavailableDetail = "";
  private closed = false;
  readonly metrics: CallMetrics;

  constructor(
    readonly deps: Deps,
    private readonly opts: CallsOptions = {},
  ) {
    this.metrics = callMetrics(deps.metrics);
  }

  /** For the admin console: whether the workers run, how many are alive, how many calls there are. */
  health() {
    const workers = this.deps.config.calls.workers || navigator.hardwareConcurrency || 1;
    const pool = this.started;
    const state = pool ? ("running" as const) : this.unavailableDetail ? ("unavailable" as const) : ("not_started" as const);
    return { state, workers, workersAlive: pool?.aliveCount ?? 0, activeCalls: this.byId.size, detail: pool ? "" : this.unavailableDetail };
  }

  /** Starts the worker pool on first use; `unavailable` (and retried later) if it cannot start. */
  workerPool(): Promise<WorkerPool> {
    if (this.closed) return Promise.reject(new AppError("unavailable", "The server is shutting down"));
    this.pool ??= this.startPool().catch((err) => {
      this.pool = null;
      const detail = (err as Error).message;
      this.unavailableDetail = detail;
      this.deps.log.error("calls unavailable: the SFU did not start", { err: detail, rtcPort: this.deps.config.calls.rtcPort });
      // The raw reason (a path, `uv_udp_bind() failed`) is for the log and admins, not for members.
      throw this.closed ? err : unavailable();
    });
    return this.pool;
  }

  /** The worker pool for a join: members get a plain `unavailable`; admins also get why (data.detail). */
  private async poolFor(userId: string): Promise<WorkerPool> {
    try {
      return await this.workerPool();
    } catch (err) {
      if (!(err instanceof AppError) || err.code !== "unavailable" || this.closed) throw err;
      const user = await this.deps.storage.users.byId(userId);
      throw user && isAdmin(user) && this.unavailableDetail ? unavailable(this.unavailableDetail) : unavailable();
    }
  }

  private async startPool(): Promise<WorkerPool> {
    const { config, log } = this.deps;
    const mediasoup = await loadMediasoup(config.data.dir);
    const workers = config.calls.workers || navigator.hardwareConcurrency || 1;
    const pool = await WorkerPool.start(mediasoup, {
      workers,
      rtcPort: config.calls.rtcPort,
      listenIp: "0.0.0.0",
      announcedAddress: announcedAddress(config.calls.announcedAddress),
      log,
    });
    if (this.closed) {
      pool.close();
      throw new AppError("unavailable", "The server is shutting down");
    }
    pool.onDeath((slot) => this.workerDied(slot));
    this.started = pool;
    this.unavailableDetail = "";
    this.metrics.refresh(this, pool);
    log.info("SFU started", { workers, rtcPorts: pool.slots.map((s) => pool.portOf(s.index)), announcedAddress: announcedAddress(config.calls.announcedAddress) });
    return pool;
  }

  async close(): Promise<void> {
    this.closed = true;
    // Calls do not survive a restart: each ends now, into its chat's history.
    await Promise.all([...this.byId.values()].map((call) => this.end(call, "ended")));
    const pool = await this.pool?.catch(() => null);
    pool?.close();
  }

  // ---- joining and leaving ----

  async join(userId: string, chatId: string): Promise<CallResult<"call.join">> {
    const { chat } = await requireChat(this.deps.storage, userId, chatId, "call_join");
    const pool = await this.poolFor(userId);
    const call = await this.callFor(chat, userId);
    let peer: Peer;
    try {
      peer = await this.enter(call, userId, pool);
    } catch (err) {
      // A call nobody made it into (or that lost its only participant to a failed rejoin) must not linger.
      if (call.participants.size === 0 && !call.ended && !call.rejoinTimer) void this.end(call, call.ringing ? "missed" : "ended");
      throw err;
    }
    const participant = call.participants.get(userId)!;
    await emitCallEvents(this.deps, [
      callDraft(this.others(call, userId), "call.participant_joined", { callId: call.id, participant: call.wire(participant) }),
    ]);
    return {
      callId: call.id,
      chatId: call.chatId,
      routerRtpCapabilities: peer.router.rtpCapabilities as unknown as Record<string, unknown>,
      iceServers: iceServersFor(this.deps.config.calls, userId, this.deps.now()),
      participants: [...call.participants.values()].map((p) => call.wire(p)),
      producers: this.producersFor(call, userId),
    };
  }

  /** Places the user's media and makes them a participant (replacing an earlier participation). */
  private async enter(call: Call, userId: string, pool: WorkerPool): Promise<Peer> {
    if (call.participants.has(userId)) this.removeParticipant(call, userId, "rejoined", { keepCall: true });
    const full = () => new AppError("limit_exceeded", "The call is full", { limit: "callParticipantsMax", max: limits.callParticipantsMax });
    if (call.participants.size >= limits.callParticipantsMax) throw full();
    const media = await this.mediaOf(call, pool);
    const peer = await media.addPeer(userId, this.opts.placement?.(call, userId));
    // Re-check after the awaits: the call may have ended, lost its media, or filled up.
    if (call.ended || call.media !== media || call.participants.size >= limits.callParticipantsMax) {
      media.removePeer(userId);
      throw call.ended || call.media !== media ? notFound("The call ended") : full();
    }
    this.addParticipant(call, userId);
    if (call.ringing && userId !== call.startedBy) this.answered(call);
    return peer;
  }

  async leave(userId: string, callId: string): Promise<object> {
    const call = this.callOf(userId, callId);
    this.removeParticipant(call, userId, "left");
    return {};
  }

  /** The callee refuses a ringing 1:1 call; anywhere else nothing happens. */
  async decline(userId: string, callId: string): Promise<object> {
    const call = this.byId.get(callId);
    if (!call) throw notFound("Call not found");
    if (!call.pair) {
      await requireChat(this.deps.storage, userId, call.chatId, "call_join"); // strangers: not_found
      return {};
    }
    if (!call.pair.includes(userId)) throw notFound("Call not found");
    if (call.ringing && userId !== call.startedBy && !call.ended) this.end(call, "declined");
    return {};
  }

  async setState(userId: string, callId: string, patch: { muted?: boolean; deafened?: boolean }) {
    const call = this.callOf(userId, callId);
    const p = call.participants.get(userId)!;
    if (patch.muted !== undefined) p.muted = patch.muted;
    if (patch.deafened !== undefined) p.deafened = patch.deafened;
    await this.participantUpdated(call, userId);
    return { participant: call.wire(p) };
  }

  // ---- lookups for signaling (scoped to the caller) ----

  /** The call the user is in; not_found for anyone else. */
  callOf(userId: string, callId: string): Call {
    const call = this.byId.get(callId);
    if (!call || call.ended || !call.participants.has(userId)) throw notFound("Call not found");
    return call;
  }

  peerOf(userId: string, callId: string): { call: Call; peer: Peer } {
    const call = this.callOf(userId, callId);
    const peer = call.media?.peers.get(userId);
    if (!peer) throw notFound("Call not found");
    return { call, peer };
  }

  /** Finds the caller's own peer for which `has` holds (a transport, producer or consumer id). */
  findPeer(userId: string, has: (peer: Peer, call: Call) => boolean, what: string): { call: Call; peer: Peer } {
    for (const call of this.ofUser.get(userId) ?? []) {
      const peer = call.media?.peers.get(userId);
      if (peer && !call.ended && has(peer, call)) return { call, peer };
    }
    throw notFound(`${what} not found`);
  }

  producersFor(call: Call, userId: string): WireProducer[] {
    const out: WireProducer[] = [];
    for (const { producer } of call.media?.producers.values() ?? []) {
      const { userId: owner, source } = producer.appData;
      if (owner !== userId && !producer.closed) out.push({ producerId: producer.id, userId: owner, kind: producer.kind, source, paused: producer.paused });
    }
    return out;
  }

  others(call: Call, userId: string): string[] {
    return call.participantIds.filter((id) => id !== userId);
  }

  async participantUpdated(call: Call, userId: string): Promise<void> {
    const p = call.participants.get(userId);
    if (!p || call.ended) return;
    await emitCallEvents(this.deps, [callDraft(call.participantIds, "call.participant_updated", { callId: call.id, participant: call.wire(p) })]);
  }

  /** A new producer: the others may consume it; everyone sees the sender's state change. */
  async announceProducer(call: Call, producer: WireProducer): Promise<void> {
    const p = call.participants.get(producer.userId);
    if (!p || call.ended) return;
    await emitCallEvents(this.deps, [
      callDraft(this.others(call, producer.userId), "call.producer_added", { callId: call.id, producer }),
      callDraft(call.participantIds, "call.participant_updated", { callId: call.id, participant: call.wire(p) }),
    ]);
  }

  async retractProducer(call: Call, userId: string, producerId: string): Promise<void> {
    if (call.ended) return;
    await emitCallEvents(this.deps, [callDraft(this.others(call, userId), "call.producer_removed", { callId: call.id, producerId, userId })]);
  }

  /** Live calls in the user's chats (welcome snapshot). */
  async snapshot(userId: string) {
    const calls = [];
    for (const call of this.byId.values()) {
      if (call.ended) continue;
      const mine = call.pair ? call.pair.includes(userId) : (await this.deps.storage.chats.view(call.chatId, userId))?.membership;
      if (mine) calls.push(call.info());
    }
    return { calls };
  }

  // ---- lifecycle of a call ----

  private callFor(chat: Chat, userId: string): Promise<Call> {
    const existing = this.byChat.get(chat.id);
    if (existing && !existing.ended) return Promise.resolve(existing);
    let starting = this.starting.get(chat.id);
    if (!starting) {
      starting = this.start(chat, userId).finally(() => this.starting.delete(chat.id));
      this.starting.set(chat.id, starting);
    }
    return starting;
  }

  private async start(chat: Chat, userId: string): Promise<Call> {
    if (this.byId.size >= limits.callsActiveMax) {
      throw new AppError("limit_exceeded", "Too many calls on this server", { limit: "callsActiveMax", max: limits.callsActiveMax });
    }
    const direct = chat.kind === "direct";
    const pair = direct ? (await this.deps.storage.chats.members(chat.id, { limit: 2 })).map((m) => m.userId) : null;
    const unwatch = pair ? await this.blocksEnd(chat.id, userId, pair) : null;
    const call = new Call(newId(this.deps.now()), chat.id, direct, userId, this.deps.now(), pair);
    call.unwatch = unwatch?.(call) ?? null;
    this.byId.set(call.id, call);
    this.byChat.set(chat.id, call);
    if (direct) call.ringTimer = setTimeout(() => this.end(call, "missed"), this.opts.ringTimeoutMs ?? limits.callRingTimeoutMs);
    this.refreshMetrics();
    const callee = pair?.filter((id) => id !== userId) ?? [];
    await emitCallEvents(this.deps, [
      callDraft(await this.audience(call), "call.started", { call: call.info() }),
      callDraft(callee, "call.rang", { callId: call.id, chatId: chat.id, from: userId }),
    ]);
    return call;
  }

  /**
   * A 1:1 call lives only while neither person blocks the other: a block during the call
   * (or while it rings) ends it. We listen BEFORE re-reading the block, so a block that
   * commits after the requireChat in join() is either read here or heard as its event.
   * Resolves to a binder that attaches the listener to the created call.
   */
  private async blocksEnd(chatId: string, userId: string, pair: readonly string[]): Promise<(call: Call) => Unsubscribe> {
    let call: Call | null = null;
    let blockedMeanwhile = false;
    const onEvents = (payload: Uint8Array) => {
      for (const e of decodeEventsPayload(payload)) {
        const d = e.data as { userId?: string; blocked?: boolean };
        if (e.type !== "user.block_changed" || !d.blocked || !d.userId || !pair.includes(d.userId)) continue;
        blockedMeanwhile = true;
        if (call && !call.ended) void this.end(call, call.ringing ? "missed" : "ended");
      }
    };
    const subs = pair.map((id) => this.deps.bus.subscribe(topics.userEvents(id), onEvents));
    const unsubscribe = () => subs.forEach((u) => u());
    try {
      await requireChat(this.deps.storage, userId, chatId, "call_join");
      if (blockedMeanwhile) await requireChat(this.deps.storage, userId, chatId, "call_join"); // the block is committed now: refuse as it says
    } catch (err) {
      unsubscribe();
      throw err;
    }
    return (c) => {
      call = c;
      return unsubscribe;
    };
  }

  /** The call's media, (re)created on the least-loaded worker when missing (first join, after a worker death). */
  private async mediaOf(call: Call, pool: WorkerPool): Promise<CallMedia> {
    if (call.media && !call.media.closed) return call.media;
    call.mediaStarting ??= (async () => {
      if (!(await pool.waitAlive(limits.callRejoinGraceMs))) throw new AppError("unavailable", "No media worker is running");
      const media = this.newMedia(call, pool, pool.leastLoaded());
      await media.rtpCapabilities; // the home router exists before anyone is placed
      if (call.ended) media.close();
      else call.media = media;
      return media;
    })().finally(() => (call.mediaStarting = null));
    const media = await call.mediaStarting;
    if (call.ended) throw notFound("The call ended");
    return media;
  }

  private newMedia(call: Call, pool: WorkerPool, home: WorkerSlot): CallMedia {
    const c = this.deps.config.calls;
    return new CallMedia(pool, home, {
      maxIncomingBitrate: c.maxIncomingBitrate,
      initialOutgoingBitrate: c.initialOutgoingBitrate,
      peerLostGraceMs: this.opts.peerLostGraceMs ?? limits.callPeerLostGraceMs,
      onSpeaker: (userId) => this.speakerChanged(call, userId),
      onPeerLost: (userId) => this.removeParticipant(call, userId, "lost"),
      onLoad: () => this.refreshMetrics(),
    });
  }

  private addParticipant(call: Call, userId: string): Participant {
    // Removal from the chat reaches the removed member's user log as chat.left: take them out of the call.
    const unsubscribe = this.deps.bus.subscribe(topics.userEvents(userId), (payload) => {
      for (const e of decodeEventsPayload(payload)) {
        const d = e.data as { chatId?: string };
        if (e.type === "chat.left" && d.chatId === call.chatId) {
          this.removeParticipant(call, userId, "removed");
        }
      }
    });
    const p: Participant = { userId, joinedAt: this.deps.now(), muted: false, deafened: false, unsubscribe };
    call.participants.set(userId, p);
    call.everJoined.add(userId);
    let mine = this.ofUser.get(userId);
    if (!mine) this.ofUser.set(userId, (mine = new Set()));
    mine.add(call);
    if (call.rejoinTimer) clearTimeout(call.rejoinTimer);
    call.rejoinTimer = null;
    this.refreshMetrics();
    return p;
  }

  /** Takes someone out (media closed); the last one out ends the call unless keepCall. */
  removeParticipant(call: Call, userId: string, reason: LeftReason, opts: { keepCall?: boolean } = {}): void {
    const p = call.participants.get(userId);
    if (!p) return;
    this.forget(call, p);
    call.media?.removePeer(userId);
    const tellLeaver = reason === "removed" || reason === "lost";
    void emitCallEvents(this.deps, [
      callDraft([...call.participantIds, ...(tellLeaver ? [userId] : [])], "call.participant_left", { callId: call.id, userId, reason }),
    ]);
    // A 1:1 call is over when either person hangs up: the other must not sit in it alone.
    // A lost connection keeps the call for a rejoin; only an explicit leave ends it.
    const hungUp = call.direct && reason === "left" && !call.ringing;
    if ((call.participants.size === 0 || hungUp) && !opts.keepCall) this.end(call, call.ringing ? "missed" : "ended");
    this.refreshMetrics();
  }

  private forget(call: Call, p: Participant): void {
    p.unsubscribe();
    call.participants.delete(p.userId);
    const mine = this.ofUser.get(p.userId);
    mine?.delete(call);
    if (mine?.size === 0) this.ofUser.delete(p.userId);
  }

  private answered(call: Call): void {
    call.ringing = false;
    if (call.ringTimer) clearTimeout(call.ringTimer);
    call.ringTimer = null;
  }

  /** Ends the call for everyone; resolves once it is in the chat's history. */
  end(call: Call, reason: EndReason): Promise<void> {
    if (call.ended) return Promise.resolve();
    call.ended = true;
    call.clearTimers();
    call.unwatch?.();
    for (const p of [...call.participants.values()]) this.forget(call, p);
    call.media?.close();
    this.byId.delete(call.id);
    if (this.byChat.get(call.chatId) === call) this.byChat.delete(call.chatId);
    this.refreshMetrics();
    return this.recordEnd(call, reason).catch((err) => this.deps.log.warn("call end not recorded", { callId: call.id, err: String(err) }));
  }

  /** Stores the finished call in the chat's history and tells the audience, in one transaction. */
  private async recordEnd(call: Call, reason: EndReason): Promise<void> {
    const endedAt = this.deps.now();
    const record = { id: call.id, chatId: call.chatId, startedBy: call.startedBy, startedAt: call.startedAt, endedAt, reason, participantIds: [...call.everJoined] };
    const ended = (to: string[], stored: boolean) =>
      callDraft(to, "call.ended", { callId: call.id, chatId: call.chatId, reason, durationMs: endedAt - call.startedAt, ...(stored ? { record: wireRecord(record) } : {}) });
    const to = await this.audience(call);
    try {
      const done = await this.deps.storage.calls.record(record, { emit: () => (to.length > 0 ? [ended(to, true)] : []) });
      await publishCommitted(this.deps, done.events);
    } catch (err) {
      // e.g. the chat was deleted meanwhile: the call still ended for everyone in it.
      this.deps.log.warn("call history not written", { callId: call.id, err: String(err) });
      await emitCallEvents(this.deps, [ended(to, false)]);
    }
  }

  /** The chat's finished calls, newest first (any member). */
  async history(userId: string, p: CallParams<"call.history">): Promise<CallResult<"call.history">> {
    await requireChat(this.deps.storage, userId, p.chatId, "read");
    const limit = Math.min(p.limit ?? 50, limits.pageSizeMax);
    const before = p.before ? { endedAt: p.before.endedAt, id: p.before.callId } : undefined;
    const rows = await this.deps.storage.calls.history(p.chatId, { limit: limit + 1, before });
    return { calls: rows.slice(0, limit).map(wireRecord), hasMore: rows.length > limit };
  }

  /** Who hears that a call started or ended: the two people of a direct chat, or the chat's members (bounded). */
  private async audience(call: Call): Promise<string[]> {
    if (call.pair) return [...call.pair];
    try {
      const members = await this.deps.storage.chats.members(call.chatId, { limit: limits.callNotifyMembersMax });
      return members.map((m) => m.userId);
    } catch (err) {
      this.deps.log.warn("call audience not read; telling participants only", { callId: call.id, err: String(err) });
      return call.participantIds;
    }
  }

  // ---- media events ----

  /** A worker died: every call with media on it loses all media; its people are told to rejoin. */
  private workerDied(slot: WorkerSlot): void {
    for (const call of [...this.byId.values()]) {
      if (!call.media?.usesSlot(slot)) continue;
      const former = call.participantIds;
      for (const p of [...call.participants.values()]) this.forget(call, p);
      call.media.close();
      call.media = null;
      call.rejoinTimer = setTimeout(() => call.participants.size === 0 && this.end(call, "failed"), limits.callRejoinGraceMs);
      this.deps.log.warn("call lost its media worker; participants asked to rejoin", { callId: call.id, worker: slot.index, participants: former.length });
      void emitCallEvents(this.deps, [callDraft(former, "call.rejoin_required", { callId: call.id, chatId: call.chatId })]);
    }
    this.metrics.workerDeaths.inc();
    this.refreshMetrics();
  }

  /** Coalesced: at most one call.speaker_changed per limits.callActiveSpeakerEventGapMs per call. */
  private speakerChanged(call: Call, userId: string): void {
    const s = call.speaker;
    s.current = userId;
    if (s.timer || call.ended) return;
    const wait = Math.max(0, s.sentAt + limits.callActiveSpeakerEventGapMs - this.deps.now());
    s.timer = setTimeout(() => {
      s.timer = null;
      if (call.ended || s.current === s.sent) return;
      s.sent = s.current;
      s.sentAt = this.deps.now();
      void emitCallEvents(this.deps, [callDraft(call.participantIds, "call.speaker_changed", { callId: call.id, userId: s.current })]);
    }, wait);
  }

  private refreshMetrics(): void {
    void this.pool?.then((pool) => this.metrics.refresh(this, pool)).catch(() => {});
  }
}

const wireRecord = (r: CallRecord): WireCallRecord => ({
  callId: r.id,
  chatId: r.chatId,
  startedBy: r.startedBy,
  startedAt: r.startedAt,
  endedAt: r.endedAt,
  reason: r.reason,
  participantIds: r.participantIds,
});
