// One WebSocket connection's protocol state machine, independent of Elysia/Bun so the
// same logic serves any socket. States: hello → (authenticating) → open → closed.
// Every frame is size-checked, decoded and validated before anything acts on it; frames
// the stream cannot be trusted after (not msgpack, not a map, oversized, text) end the
// connection with a bye; schema errors get a typed `res` error and the connection stays.
import { BYE_REASONS, type ByeReason } from "../protocol/close.ts";
import { decodeClientFrame, encodeServerFrame } from "../protocol/codec.ts";
import type { ChatLogEvent, ClientFrame, Req, ServerFrame } from "../protocol/frames.ts";
import type { ChatDifference } from "../core/module.ts";
import { newId } from "../ids.ts";
import { limits } from "../limits.ts";
import type { ChatFollower } from "./chat-fanout.ts";
import { Delivery, type DeliveryDeps, type OutEvent } from "./delivery.ts";
import type { EphemeralItem } from "./ephemeral.ts";
import type { Hub } from "./hub.ts";
import { callMethod } from "./dispatch.ts";
import { handleHello } from "./hello.ts";
import { TokenBucket, burstFor } from "./ratelimit.ts";

/** The socket operations a connection needs; adapters wrap Bun/Elysia sockets. */
export interface WireSocket {
  /** Bun semantics: bytes written, -1 queued under backpressure, 0 dropped. */
  send(bytes: Uint8Array): number;
  close(code: number, reason: string): void;
  terminate(): void;
  bufferedAmount(): number;
  ping(): void;
  /** Bun's native topics (chat fan-out, src/events/chat-fanout.ts); no-ops once closed. */
  subscribe(topic: string): void;
  unsubscribe(topic: string): void;
  readonly ip: string;
}

type State = "hello" | "authenticating" | "open" | "closed";

/**
 * What a connection's Delivery calls, as prototype methods: per connection one small
 * object instead of five closures and their scopes (memory per idle socket counts).
 */
class ConnectionDelivery implements DeliveryDeps {
  readonly pageMax: number;
  readonly frameEventsMax: number;
  readonly liveMax: number;
  constructor(private readonly c: Connection) {
    const l = c.hub.limits;
    this.pageMax = l.eventReplayPageMax;
    this.frameEventsMax = l.eventsPerFrameMax;
    this.liveMax = l.liveEventsMax;
  }
  readAfter(after: number, limit: number): Promise<OutEvent[]> {
    return this.c.hub.deps.storage.events.readAfter(this.c.userId, after, limit);
  }
  send(events: OutEvent[]): void {
    this.c.sendEvents(events);
  }
  onGap(): void {
    this.c.bye("resume_gap", "Events needed for live delivery were pruned; reconnect to re-sync");
  }
  onError(e: unknown): void {
    this.c.onError(e);
  }
  schedule(fn: () => void): void {
    setImmediate(fn);
  }
}

/** A connection is its own chat follower (src/events/chat-fanout.ts): no wrapper object per socket. */
export class Connection implements ChatFollower {
  state: State = "hello";
  userId = "";
  sessionId = "";
  readonly id = newId();
  readonly delivery: Delivery;
  private readonly bucket: TokenBucket;
  private readonly cleanups: (() => void)[] = [];
  private alive = true;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private ephemeral: EphemeralItem[] = [];
  /** Chats this connection follows live (at most limits.chatsFollowedMax). */
  private readonly followed = new Set<string>();

  get ip(): string {
    return this.socket.ip;
  }

  constructor(
    readonly hub: Hub,
    readonly socket: WireSocket,
  ) {
    const l = hub.limits;
    this.bucket = new TokenBucket(l.requestsPerSecondPerConnection, burstFor(l.requestsPerSecondPerConnection, l.requestBurst), hub.deps.now());
    this.delivery = new Delivery(new ConnectionDelivery(this));
    hub.add(this);
    this.timer = setTimeout(() => this.bye("hello_timeout", "No hello in time"), l.helloTimeoutMs);
    if (hub.shuttingDown) this.bye("server_shutdown", "The server is shutting down");
  }

  /** One inbound frame: bytes for a binary frame; anything else came from a text frame. */
  onMessage(data: unknown): void {
    if (this.state === "closed") return;
    this.hub.m.framesIn.inc();
    this.alive = true;
    if (!(data instanceof Uint8Array)) return this.bye("protocol_error", "Only binary frames are accepted");
    const max = this.hub.limits.frameBytesMax;
    if (data.byteLength > max) return this.bye("frame_too_large", `Frames are limited to ${max} bytes`, { limit: max });
    const r = decodeClientFrame(data, this.hub.limits);
    if (!r.ok && r.fatal) return this.bye("protocol_error", r.why);
    if (this.state !== "open") {
      if (this.state === "hello" && r.ok && r.frame.t === "hello") {
        this.state = "authenticating";
        void handleHello(this, r.frame).catch((e) => this.fail(e));
        return;
      }
      if (this.state === "hello" && !r.ok && r.t === "hello") return this.badHello(r.map, r.path ?? "");
      return this.bye("not_hello", "The first frame must be hello; send nothing else before welcome");
    }
    this.hub.seen.seen(this.sessionId, this.hub.deps.now(), this.socket.ip); // any frame: the device is in use
    if (!(r.ok && r.frame.t === "ack") && !this.allowed(r.ok ? r.frame : null, r.ok ? null : r.id)) return;
    if (!r.ok) return this.send({ t: "res", id: r.id, error: r.error });
    this.onFrame(r.frame);
  }

  /** A hello that breaks its schema: a bad token is an authentication failure, anything else names the field. */
  private badHello(hello: Record<string, unknown>, path: string): void {
    if (typeof hello.token !== "string" || path === "token") {
      return this.bye("unauthenticated", "hello.token is missing, not a string, or too long");
    }
    return this.bye("invalid_hello", `hello.${path} is missing or of the wrong type`, { field: path });
  }

  private onFrame(f: ClientFrame): void {
    switch (f.t) {
      case "hello":
        return this.bye("protocol_error", "hello was already received");
      case "ack":
        // acking what was never sent would let a resume skip events: clamp
        return this.hub.acks.ack(this.sessionId, Math.min(f.lastEventId, this.delivery.sentId));
      case "ping":
        return this.send({ t: "pong" });
      case "req":
        return void this.onReq(f);
    }
  }

  /** Rate limits per connection and per user; a refused req gets rate_limited. */
  private allowed(f: ClientFrame | null, badId: number | null): boolean {
    const now = this.hub.deps.now();
    const wait = Math.max(this.bucket.take(now), this.hub.userBucket(this.userId).take(now));
    if (wait === 0) return true;
    const id = f?.t === "req" ? f.id : badId;
    this.send({ t: "res", id, error: { code: "rate_limited", message: "Too many requests", data: { retryAfterMs: wait } } });
    return false;
  }

  private async onReq(req: Req): Promise<void> {
    const requestId = newId();
    const log = this.hub.deps.log.child({ requestId, method: req.method, userId: this.userId });
    const ctx = { userId: this.userId, sessionId: this.sessionId, connectionId: this.id, requestId, ip: this.socket.ip, log };
    const startedAt = performance.now();
    const out = await callMethod(this.hub.methods, req.method, req.params, ctx);
    // One line per request, like HTTP's access log: errors at info, successes at debug
    // (chat traffic would drown everything else). The method name is bounded by the codec.
    const ms = Math.round(performance.now() - startedAt);
    if ("error" in out) log.info("ws request", { ms, code: out.error.code });
    else log.debug("ws request", { ms });
    if (this.state !== "open") return;
    this.send("error" in out ? { t: "res", id: req.id, error: out.error } : { t: "res", id: req.id, result: out.result });
  }

  /** Becomes open: heartbeats start; delivery is begun by the hello handler. */
  opened(): void {
    if (this.timer) clearTimeout(this.timer); // the hello timeout
    this.state = "open";
    this.scheduleHeartbeat();
    for (const m of this.hub.modules) {
      const off = m.connected?.({ userId: this.userId, sessionId: this.sessionId, connectionId: this.id });
      if (off) this.cleanups.push(off);
    }
  }

  /**
   * Typing and presence: gathered for one turn, then one `ephemeral` frame. Under
   * backpressure they are dropped (they are stale soon anyway) instead of ending the
   * connection the way a full buffer of durable events does.
   */
  pushEphemeral(items: readonly EphemeralItem[]): void {
    if (this.state !== "open" || items.length === 0) return;
    const first = this.ephemeral.length === 0;
    for (const it of items) if (this.ephemeral.length < this.hub.limits.eventsPerFrameMax) this.ephemeral.push(it);
    if (first) setImmediate(() => this.flushEphemeral());
  }

  private flushEphemeral(): void {
    const events = this.ephemeral;
    this.ephemeral = [];
    if (this.state !== "open" || events.length === 0) return;
    if (this.socket.bufferedAmount() > this.hub.limits.sendBufferBytesMax / 2) return;
    this.send({ t: "ephemeral", events });
  }

  onCleanup(fn: () => void): void {
    if (this.state === "closed") fn();
    else this.cleanups.push(fn);
  }

  send(frame: ServerFrame): void {
    if (this.state === "closed") return;
    this.sendBytes(encodeServerFrame(frame), 0);
  }

  // ChatFollower
  sendChatFrame(bytes: Uint8Array, events: number): void {
    this.sendBytes(bytes, events);
  }
  subscribe(topic: string): void {
    this.socket.subscribe(topic);
  }
  unsubscribe(topic: string): void {
    this.socket.unsubscribe(topic);
  }
  unfollowed(chatId: string): void {
    this.followed.delete(chatId);
  }
  behind(chatId: string): void {
    this.resetChat(chatId).catch((e) => this.fail(e));
  }
  onError(e: unknown): void {
    this.fail(e);
  }

  /** An encoded frame (chat_events bytes are shared by every follower of a chat). */
  private sendBytes(bytes: Uint8Array, chatEvents: number): void {
    if (this.state === "closed") return;
    const sent = this.socket.send(bytes);
    this.hub.m.framesOut.inc();
    if (chatEvents > 0) this.hub.m.eventsOut.inc(undefined, chatEvents);
    // Dropped, or more queued than the bound: never leave a silent hole — end it; the client
    // resumes. Bun answers -1 when the frame had to be queued; only then is the queue read
    // (this runs once per follower of every chat change). The bound applies to what was
    // queued before this frame, so one large frame (a big snapshot) never trips it by
    // itself — only a peer that does not read does.
    if (sent === 0 || (sent < 0 && this.socket.bufferedAmount() - bytes.byteLength > this.hub.limits.sendBufferBytesMax)) {
      this.bye("too_slow", "The send buffer is full; reconnect and resume");
    }
  }

  /** One `events` frame from the Delivery. */
  sendEvents(events: OutEvent[]): void {
    this.send({ t: "events", events });
    this.hub.m.eventsOut.inc(undefined, events.length);
    // Membership facts in the user log start and end following a chat's log: the chat's
    // events after `pos` are this user's from the moment the fact is delivered.
    for (const e of events) {
      const d = e.data as { pos?: number; chatId?: string; entry?: { chat?: { id?: string }; pos?: number } };
      if (e.type === "chat.joined" || e.type === "chat.created") {
        const chatId = d.entry?.chat?.id;
        const pos = d.pos ?? d.entry?.pos;
        if (typeof chatId === "string" && typeof pos === "number") this.followChat(chatId, pos);
      } else if (e.type === "chat.left" && typeof d.chatId === "string") {
        this.unfollowChat(d.chatId);
      }
    }
  }

  /** Follows a chat's log after `pos`; a chat already followed keeps its stream. */
  followChat(chatId: string, pos: number): void {
    if (this.state !== "open" || this.followed.has(chatId)) return;
    if (this.followed.size >= this.hub.limits.chatsFollowedMax) return; // the client asks chat.difference when it opens the chat
    this.followed.add(chatId);
    this.hub.chats.follow(chatId, this, pos);
  }

  unfollowChat(chatId: string): void {
    if (!this.followed.delete(chatId)) return;
    this.hub.chats.unfollow(chatId, this);
  }

  /** Sends one chat's difference (events or chat_reset) and follows the chat after it. */
  sendDifference(chatId: string, d: ChatDifference): void {
    if ("reset" in d) this.send({ t: "chat_reset", chatId, pos: d.pos, entry: d.reset });
    else this.sendChatEvents(chatId, d.events);
    this.followChat(chatId, d.pos);
  }

  private sendChatEvents(chatId: string, events: ChatLogEvent[]): void {
    const max = this.hub.limits.eventsPerFrameMax;
    for (let i = 0; i < events.length; i += max) {
      const part = events.slice(i, i + max);
      this.sendBytes(encodeServerFrame({ t: "chat_events", chatId, events: part }), part.length);
    }
  }

  /** The followed position fell out of the kept log: a chat_reset, then live again. */
  private async resetChat(chatId: string): Promise<void> {
    this.followed.delete(chatId);
    const d = await this.hub.chatDifference(this.userId, chatId, 0);
    if (d && this.state === "open") this.sendDifference(chatId, d);
  }

  private scheduleHeartbeat(): void {
    const l = this.hub.limits;
    const jitter = Math.random() * Math.min(l.heartbeatJitterMs, l.heartbeatIntervalMs / 2);
    this.timer = setTimeout(() => {
      if (this.state !== "open") return;
      if (!this.alive) return this.bye("heartbeat_timeout", "No pong within a heartbeat interval");
      this.alive = false;
      this.socket.ping();
      this.scheduleHeartbeat();
    }, l.heartbeatIntervalMs + jitter);
  }

  onPong(): void {
    this.alive = true;
  }

  /** Sends bye (unless the socket is gone) and closes with the reason's code. */
  bye(reason: ByeReason, message?: string, data?: unknown): void {
    if (this.state === "closed") return;
    try {
      this.socket.send(encodeServerFrame({ t: "bye", reason, message, data }));
      this.socket.close(BYE_REASONS[reason].code, reason);
    } catch {
      // the socket is already gone; nothing to tell
    }
    this.hub.m.closes.inc({ reason });
    this.closed();
    const t = setTimeout(() => {
      try {
        this.socket.terminate();
      } catch {
        // already closed
      }
    }, limits.closeGraceMs);
    t.unref?.();
  }

  private fail(e: unknown): void {
    this.hub.deps.log.error("connection failed", { err: e, userId: this.userId });
    this.bye("internal", "Unexpected server error; reconnect");
  }

  /** The socket closed (either side): release everything. Idempotent. */
  closed(): void {
    if (this.state === "closed") return;
    this.state = "closed";
    if (this.timer) clearTimeout(this.timer);
    this.delivery.stop();
    for (const chatId of this.followed) this.hub.chats.unfollow(chatId, this);
    this.followed.clear();
    for (const fn of this.cleanups.splice(0)) fn();
    this.hub.remove(this);
  }
}
