// What all WebSocket connections of one server share: dependencies, limits, the method
// table, per-user rate buckets, the ack writer, metrics, and the set of live
// connections (so shutdown can say bye to each). It also bounds them: sockets still
// waiting for hello per IP and in total (beyond either, the oldest such socket is shed,
// so a flood of idle sockets cannot lock newcomers out until the hello timeout), and
// open connections per user.
import type { Bus } from "../bus/port.ts";
import type { Config } from "../config/schema.ts";
import { limits } from "../limits.ts";
import type { Logger } from "../log/port.ts";
import type { Counter, Gauge, Metrics } from "../metrics/port.ts";
import type { Authenticate, ChatDifference, DomainModule } from "../core/module.ts";
import type { ByeReason } from "../protocol/close.ts";
import type { FrameShapeBounds } from "../protocol/shape.ts";
import type { Storage } from "../storage/port.ts";
import { type AckWriter, createAckWriter } from "./acks.ts";
import { ChatFanout } from "./chat-fanout.ts";
import { type SeenWriter, createSeenWriter } from "./seen.ts";
import { type MethodTable, methodTable } from "./dispatch.ts";
import { TokenBucket, burstFor } from "./ratelimit.ts";

export interface WsLimits extends FrameShapeBounds {
  frameBytesMax: number;
  sendBufferBytesMax: number;
  helloTimeoutMs: number;
  heartbeatIntervalMs: number;
  heartbeatJitterMs: number;
  requestsPerSecondPerConnection: number;
  requestsPerSecondPerUser: number;
  requestBurst: number;
  eventsPerFrameMax: number;
  eventReplayPageMax: number;
  /** Chats one connection follows live; chat events read per catch-up page. */
  chatsFollowedMax: number;
  chatCatchUpPageMax: number;
  /** Live events a connection holds while a hole before them is read from storage. */
  liveEventsMax: number;
  /** How often live sessions are re-checked against storage (catches revocations made by another process, e.g. the CLI). */
  sessionRecheckMs: number;
  unauthenticatedSocketsPerIpMax: number;
  unauthenticatedSocketsMax: number;
  connectionsPerUserMax: number;
}

export function wsLimitsFrom(config: Config, overrides: Partial<WsLimits> = {}): WsLimits {
  return {
    frameBytesMax: config.protocol.frameBytesMax,
    frameArrayItemsMax: limits.frameArrayItemsMax,
    frameMapEntriesMax: limits.frameMapEntriesMax,
    frameStringBytesMax: limits.frameStringBytesMax,
    frameDepthMax: limits.frameDepthMax,
    sendBufferBytesMax: limits.sendBufferBytesMax,
    helloTimeoutMs: limits.helloTimeoutMs,
    heartbeatIntervalMs: config.protocol.heartbeatIntervalMs,
    heartbeatJitterMs: limits.heartbeatJitterMs,
    requestsPerSecondPerConnection: config.protocol.requestsPerSecondPerConnection,
    requestsPerSecondPerUser: config.protocol.requestsPerSecondPerUser,
    requestBurst: limits.requestBurst,
    eventsPerFrameMax: limits.eventsPerFrameMax,
    eventReplayPageMax: limits.eventReplayPageMax,
    chatsFollowedMax: limits.chatsFollowedMax,
    chatCatchUpPageMax: limits.chatCatchUpPageMax,
    liveEventsMax: limits.eventReplayPageMax,
    sessionRecheckMs: limits.sessionRecheckMs,
    unauthenticatedSocketsPerIpMax: limits.unauthenticatedSocketsPerIpMax,
    unauthenticatedSocketsMax: limits.unauthenticatedSocketsMax,
    connectionsPerUserMax: limits.connectionsPerUserMax,
    ...overrides,
  };
}

export interface HubDeps {
  storage: Storage;
  bus: Bus;
  log: Logger;
  metrics: Metrics;
  now: () => number;
}

/** What the hub needs of a connection (src/events/connection.ts). */
export interface Closable {
  readonly userId: string;
  readonly sessionId: string; // "" before hello succeeded
  /** The client's address after trusted-proxy resolution (src/server/client-ip.ts). */
  readonly ip: string;
  bye(reason: ByeReason, message?: string, data?: unknown): void;
}

// Read here: inside the Hub the constructor's `limits` (WsLimits) shadows the module.
const { rateBucketSweepIntervalMs, sessionSeenWriteIntervalMs } = limits;

const countOf = (held: Closable | Set<Closable> | undefined): number => (held === undefined ? 0 : held instanceof Set ? held.size : 1);

export class Hub {
  readonly methods: MethodTable;
  readonly acks: AckWriter;
  readonly seen: SeenWriter;
  /** Live chat-log delivery, one encoded frame per chat change (src/events/chat-fanout.ts). */
  readonly chats: ChatFanout;
  /** A member's missed changes of a chat (the chats module's), for resume and resets. */
  readonly chatDifference: (userId: string, chatId: string, afterPos: number) => Promise<ChatDifference | null>;
  readonly m: { connections: Gauge; framesIn: Counter; framesOut: Counter; eventsOut: Counter; closes: Counter };
  private readonly conns = new Set<Closable>();
  // Not yet through hello. Sets iterate in insertion order: the first is the oldest.
  private readonly waiting = new Set<Closable>();
  private readonly waitingByIp = new Map<string, Set<Closable>>();
  // A user's one connection is held as itself, a Set only from the second on: per idle
  // socket that is one Set and its table less.
  private readonly byUser = new Map<string, Closable | Set<Closable>>();
  private readonly userBuckets = new Map<string, TokenBucket>();
  private readonly sweep: ReturnType<typeof setInterval>;
  private readonly recheck: ReturnType<typeof setInterval>;
  private rechecking = false;
  shuttingDown = false;

  constructor(
    readonly deps: HubDeps,
    readonly authenticate: Authenticate,
    readonly modules: readonly DomainModule[],
    readonly limits: WsLimits,
    readonly server: { name: string; version: string },
    /** Bun's native publish on every listener (the chat fan-out's shared frames). */
    publish: (topic: string, bytes: Uint8Array) => void,
  ) {
    this.methods = methodTable(modules);
    const published = (frames: number, events: number) => {
      this.m.framesOut.inc(undefined, frames);
      this.m.eventsOut.inc(undefined, events);
    };
    this.chats = new ChatFanout({ ...deps, publish, published }, { pageMax: this.limits.chatCatchUpPageMax, frameEventsMax: this.limits.eventsPerFrameMax });
    const differ = modules.find((m) => m.chatDifference)?.chatDifference;
    this.chatDifference = differ ?? (async () => null);
    this.acks = createAckWriter(deps.storage.sessions, (e) => deps.log.warn("ack write failed", { err: String(e) }));
    this.seen = createSeenWriter(deps.storage.sessions, (e) => deps.log.warn("last-seen write failed", { err: String(e) }), sessionSeenWriteIntervalMs);
    const mt = deps.metrics;
    this.m = {
      connections: mt.gauge("hearth_ws_connections", "Open WebSocket connections (authenticated or not)."),
      framesIn: mt.counter("hearth_ws_frames_in_total", "WebSocket frames received."),
      framesOut: mt.counter("hearth_ws_frames_out_total", "WebSocket frames sent."),
      eventsOut: mt.counter("hearth_ws_events_delivered_total", "Events sent to clients."),
      closes: mt.counter("hearth_ws_closes_total", "Connections the server ended, by bye reason."),
    };
    // A full bucket is the same as no bucket: forget those, so memory follows active users.
    this.sweep = setInterval(() => {
      const now = deps.now();
      for (const [u, b] of this.userBuckets) if (b.full(now)) this.userBuckets.delete(u);
    }, rateBucketSweepIntervalMs);
    this.sweep.unref?.();
    // The bus closes revoked sessions at once when the revocation happens in this server.
    // `hearth admin disable` / `reset-password` run in another process with no way onto an
    // in-process bus, so live sessions are also re-checked against storage periodically.
    this.recheck = setInterval(() => void this.recheckSessions(), this.limits.sessionRecheckMs);
    this.recheck.unref?.();
  }

  /** Closes connections whose session was revoked or whose user was disabled meanwhile. */
  async recheckSessions(): Promise<void> {
    if (this.rechecking || this.shuttingDown) return;
    this.rechecking = true;
    try {
      // A user with several devices, or a session with several tabs, is read once per sweep.
      const userOk = new Map<string, boolean>();
      const sessionOk = new Map<string, boolean>();
      for (const c of [...this.conns]) {
        if (!c.sessionId || !this.conns.has(c)) continue;
        // Disabling also revokes the sessions: look at the user first so the reason is exact.
        if (!userOk.has(c.userId)) {
          const u = await this.deps.storage.users.byId(c.userId);
          userOk.set(c.userId, !!u && !u.disabled);
        }
        if (!userOk.get(c.userId)) {
          c.bye("account_disabled", "The account was disabled");
          continue;
        }
        if (!sessionOk.has(c.sessionId)) {
          const s = await this.deps.storage.sessions.byId(c.sessionId);
          sessionOk.set(c.sessionId, !!s && s.revokedAt === null);
        }
        if (!sessionOk.get(c.sessionId)) c.bye("session_revoked", "This session was revoked");
      }
    } catch (e) {
      this.deps.log.warn("session re-check failed", { err: String(e) });
    } finally {
      this.rechecking = false;
    }
  }

  /** A new socket, waiting for hello; may shed the oldest waiting one (never c itself). */
  add(c: Closable): void {
    this.conns.add(c);
    this.m.connections.set(this.conns.size);
    this.waiting.add(c);
    let fromIp = this.waitingByIp.get(c.ip);
    if (!fromIp) this.waitingByIp.set(c.ip, (fromIp = new Set()));
    fromIp.add(c);
    if (fromIp.size > this.limits.unauthenticatedSocketsPerIpMax) {
      this.shed(fromIp, "Too many connections from your address are waiting for hello");
    }
    if (this.waiting.size > this.limits.unauthenticatedSocketsMax) {
      this.shed(this.waiting, "Too many connections are waiting for hello");
    }
  }

  /** Closes the oldest socket of `set`. */
  private shed(set: Set<Closable>, message: string): void {
    const oldest = set.values().next().value;
    if (!oldest) return;
    oldest.bye("connection_shed", message);
    this.leaveWaiting(oldest); // bye already did, through remove(); this keeps the bound even if it did not
  }

  /**
   * Hello authenticated c as c.userId: it stops counting as waiting and counts for its
   * user. False (and c stays waiting, for the caller to close) when the user is at the cap.
   * Synchronous, so concurrent hellos of one user cannot both pass the check.
   */
  admitUser(c: Closable): boolean {
    const mine = this.byUser.get(c.userId);
    if (countOf(mine) >= this.limits.connectionsPerUserMax) return false;
    if (!mine) this.byUser.set(c.userId, c);
    else if (mine instanceof Set) mine.add(c);
    else if (mine !== c) this.byUser.set(c.userId, new Set([mine, c]));
    this.leaveWaiting(c);
    return true;
  }

  remove(c: Closable): void {
    if (!this.conns.delete(c)) return;
    this.m.connections.set(this.conns.size);
    this.leaveWaiting(c);
    const mine = this.byUser.get(c.userId);
    if (mine === c || (mine instanceof Set && mine.delete(c) && mine.size === 0)) this.byUser.delete(c.userId);
  }

  private leaveWaiting(c: Closable): void {
    if (!this.waiting.delete(c)) return;
    const fromIp = this.waitingByIp.get(c.ip);
    if (fromIp?.delete(c) && fromIp.size === 0) this.waitingByIp.delete(c.ip);
  }

  /** Sockets not yet through hello (for tests and metrics). */
  get waitingSize(): number {
    return this.waiting.size;
  }

  /** Live connections (authenticated or not): for shutdown, admin tools and tests. */
  live(): Closable[] {
    return [...this.conns];
  }

  get size(): number {
    return this.conns.size;
  }

  userBucket(userId: string): TokenBucket {
    let b = this.userBuckets.get(userId);
    if (!b) {
      const rate = this.limits.requestsPerSecondPerUser;
      b = new TokenBucket(rate, burstFor(rate, this.limits.requestBurst), this.deps.now());
      this.userBuckets.set(userId, b);
    }
    return b;
  }

  /** Connections of one user that passed hello. */
  userConnections(userId: string): number {
    return countOf(this.byUser.get(userId));
  }

  /** Says bye `server_shutdown` to every connection and flushes pending acks. */
  async shutdown(): Promise<void> {
    this.shuttingDown = true;
    for (const c of [...this.conns]) c.bye("server_shutdown", "The server is shutting down");
    clearInterval(this.sweep);
    clearInterval(this.recheck);
    await this.acks.stop();
    await this.seen.stop();
  }
}
