// The typed Hearth client: the ONE owner of the WebSocket for tests, the web app and
// bots. Uses only the global WebSocket and fetch, so it runs in browsers and Bun alike.
// Guarantees to its handlers: every event id exactly once, in order — events are
// delivered only when their id is lastEventId + 1; anything else ends the socket and
// the resume re-reads from lastEventId (a snapshot replaces state after a resume_gap).
// Chat log changes (chat_events frames) go to the same `on(type)` handlers, carrying
// `chatId` and `pos` (id 0): per chat exactly once and in pos order (chat-log.ts); a gap
// is filled by asking `chat.difference`, "too far behind" arrives as onChatReset.
import { BYE_REASONS, byeReasonOfCloseCode, isByeReason } from "../protocol/close.ts";
import { decodeServerFrame, encodeClientFrame } from "../protocol/codec.ts";
import type { EphemeralDataOf, EphemeralType } from "../protocol/ephemeral.ts";
import type { EventDataOf, EventType } from "../protocol/events.ts";
import type { ChatLogEvent, ClientFrame, ServerFrame, Welcome, WireEvent } from "../protocol/frames.ts";
import type { MethodName, ParamsOf, ResultOf } from "../protocol/methods/index.ts";
import { PROTOCOL_VERSION } from "../protocol/version.ts";
import type { AuthSource } from "./auth.ts";
import { limits } from "../limits.ts";
import { ClientError } from "./errors.ts";
import { type ChatPosition, ChatLogPositions, type Step } from "./chat-log.ts";

/** What handlers get: a user-log event (id > 0), or a chat log change (id 0, chatId and pos set). */
export interface ClientEvent extends WireEvent {
  chatId?: string;
  pos?: number;
}

/** "Too far behind" for one chat: drop what was derived from its log, take `entry` (the chat list entry at pos). */
export interface ChatReset {
  chatId: string;
  pos: number;
  entry: unknown;
}

export interface ResumeState {
  queueId: string;
  lastEventId: number;
}

export interface ClientOptions {
  /** ws:// or wss:// URL of the endpoint, e.g. ws://127.0.0.1:8080/ws */
  url: string;
  auth: AuthSource;
  /** Resume point from an earlier session (e.g. kept in localStorage). */
  resume?: ResumeState | null;
  /** Chat log positions held from an earlier session (e.g. a cache); sent with the resume. */
  chats?: ChatPosition[];
  clientInfo?: { name: string; version: string };
  callTimeoutMs?: number; // default limits.clientCallTimeoutMs
  ackDelayMs?: number; // acks are coalesced: at most one per this delay (default limits.clientAckDelayMs)
  pingIntervalMs?: number; // default limits.clientPingIntervalMs; silence for twice this ends the socket
  backoffBaseMs?: number; // default limits.clientBackoffBaseMs
  backoffMaxMs?: number; // default limits.clientBackoffMaxMs
  /** Replaces local state: the first welcome, and every welcome after a resume gap. */
  onSnapshot?: (snapshot: Record<string, unknown>, welcome: Welcome) => void;
  /** The resume point moved (persist it to resume after a page reload). */
  onResumeState?: (s: ResumeState) => void;
  /** The client stopped for good (a bye that retrying cannot fix, or close()). */
  onClosed?: (reason: string, message?: string) => void;
  /**
   * Every change of `status`; on "open", the welcome of that connection (a new one for each
   * reconnect, also when the status went open → waiting → open between two looks at it).
   */
  onStatus?: (status: ClientStatus, welcome: Welcome | null) => void;
  onError?: (e: unknown) => void;
}

export type ClientStatus = "idle" | "connecting" | "open" | "waiting" | "closed";
type Handler = (data: unknown, event: ClientEvent) => void;
interface Pending {
  resolve(v: unknown): void;
  reject(e: ClientError): void;
  timer: ReturnType<typeof setTimeout>;
}

export interface HearthClient {
  connect(): Promise<Welcome>;
  request<M extends MethodName>(method: M, params: ParamsOf<M>, opts?: { timeoutMs?: number }): Promise<ResultOf<M>>;
  request(method: string, params?: unknown, opts?: { timeoutMs?: number }): Promise<unknown>;
  on<E extends EventType>(type: E, handler: (data: EventDataOf<E>, event: ClientEvent) => void): () => void;
  on(type: string | "*", handler: Handler): () => void;
  /** Typing and presence notices (src/protocol/ephemeral.ts): no ids, not replayed after a reconnect. */
  onEphemeral<T extends EphemeralType>(type: T, handler: (data: EphemeralDataOf<T>) => void): () => void;
  onEphemeral(type: string, handler: (data: unknown) => void): () => void;
  /** A chat was too far behind: its log-derived state must be dropped and `entry` taken. */
  onChatReset(handler: (reset: ChatReset) => void): () => void;
  /** The chat log positions held now (member chats, most recently changed first). */
  positions(): ChatPosition[];
  readonly status: ClientStatus;
  readonly resumeState: ResumeState | null;
  /** Ends the current socket as if the network dropped it (tests); the client reconnects. */
  drop(): void;
  close(): void;
}

export function createClient(opts: ClientOptions): HearthClient {
  return new Client(opts);
}

class Client implements HearthClient {
  status: ClientStatus = "idle";
  resumeState: ResumeState | null;
  private ws: WebSocket | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly handlers = new Map<string, Set<Handler>>();
  private readonly ephemeralHandlers = new Map<string, Set<(data: unknown) => void>>();
  private readonly waiters: { resolve(w: Welcome): void; reject(e: ClientError): void }[] = [];
  private attempt = 0;
  private lastBye: { reason: string; message?: string } | null = null;
  private ackTimer: ReturnType<typeof setTimeout> | null = null;
  private ackedId = 0;
  private pingTimer: ReturnType<typeof setInterval> | null = null;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private lastFrameAt = 0;
  private welcome: Welcome | null = null;
  private readonly chatLog = new ChatLogPositions(limits.clientChatHeldEventsMax);
  private readonly resetHandlers = new Set<(r: ChatReset) => void>();

  constructor(private readonly o: ClientOptions) {
    this.resumeState = o.resume ?? null;
    this.chatLog.seed(o.chats ?? []);
  }

  connect(): Promise<Welcome> {
    if (this.status === "closed") return Promise.reject(new ClientError("closed", "The client is closed"));
    if (this.status === "open" && this.welcome) return Promise.resolve(this.welcome);
    const p = new Promise<Welcome>((resolve, reject) => this.waiters.push({ resolve, reject }));
    if (this.status === "idle") void this.open();
    return p;
  }

  request(method: string, params: unknown = {}, opts: { timeoutMs?: number } = {}): Promise<never> {
    return new Promise((resolve, reject) => {
      const ws = this.ws;
      if (this.status !== "open" || !ws) return reject(new ClientError("disconnected", "Not connected"));
      const id = this.nextId++;
      const timeoutMs = opts.timeoutMs ?? this.o.callTimeoutMs ?? limits.clientCallTimeoutMs;
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new ClientError("timeout", `${method} got no answer in ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, timer });
      this.sendFrame({ t: "req", id, method, params });
    });
  }

  on(type: string, handler: Handler): () => void {
    let set = this.handlers.get(type);
    if (!set) this.handlers.set(type, (set = new Set()));
    set.add(handler);
    return () => set.delete(handler);
  }

  onChatReset(handler: (r: ChatReset) => void): () => void {
    this.resetHandlers.add(handler);
    return () => this.resetHandlers.delete(handler);
  }

  positions(): ChatPosition[] {
    return this.chatLog.list(Number.MAX_SAFE_INTEGER);
  }

  onEphemeral(type: string, handler: (data: unknown) => void): () => void {
    let set = this.ephemeralHandlers.get(type);
    if (!set) this.ephemeralHandlers.set(type, (set = new Set()));
    set.add(handler);
    return () => set.delete(handler);
  }

  drop(): void {
    this.ws?.close(4999, "dropped by client");
  }

  close(): void {
    if (this.status === "closed") return;
    this.sendAck();
    this.stop("closed", "Closed by the client");
    this.ws?.close(1000, "bye");
  }

  private async open(): Promise<void> {
    this.become("connecting");
    this.lastBye = null;
    let token: string;
    try {
      token = await this.o.auth.accessToken();
    } catch (e) {
      return this.authFailed(e);
    }
    if (this.status !== "connecting") return;
    const ws = new WebSocket(this.o.url);
    ws.binaryType = "arraybuffer";
    this.ws = ws;
    ws.onopen = () => {
      const chats = this.chatLog.list(limits.resumeChatsMax);
      const resume = this.resumeState ? { ...this.resumeState, ...(chats.length > 0 ? { chats } : {}) } : undefined;
      this.sendFrame({ t: "hello", v: PROTOCOL_VERSION, token, resume, client: this.o.clientInfo });
    };
    ws.onmessage = (m) => {
      if (this.ws !== ws) return;
      if (typeof m.data === "string") return this.protocolFailure("text frame from server");
      this.onBytes(new Uint8Array(m.data as ArrayBuffer));
    };
    ws.onclose = (ev) => {
      if (this.ws === ws) this.onSocketClosed(ev.code);
    };
  }

  private onBytes(bytes: Uint8Array): void {
    this.lastFrameAt = Date.now();
    const r = decodeServerFrame(bytes);
    if (!r.ok) return this.protocolFailure(r.fatal ? r.why : r.error.message);
    const f = r.frame;
    switch (f.t) {
      case "welcome":
        return this.onWelcome(f);
      case "res":
        return this.onRes(f);
      case "events":
        return this.onEvents(f.events);
      case "bye":
        this.lastBye = { reason: f.reason, message: f.message };
        return;
      case "pong":
        return;
      case "ephemeral":
        return this.onEphemeralFrame(f.events);
      case "chat_events":
        if (!this.welcome) return this.protocolFailure("chat_events before welcome");
        return this.follow(f.chatId, this.chatLog.receive(f.chatId, f.events));
      case "chat_reset":
        if (!this.welcome) return this.protocolFailure("chat_reset before welcome");
        return this.onReset(f.chatId, f.pos, f.entry);
    }
  }

  private onEphemeralFrame(items: { type: string; data: unknown }[]): void {
    for (const item of items) {
      for (const h of this.ephemeralHandlers.get(item.type) ?? []) {
        try {
          h(item.data);
        } catch (err) {
          this.o.onError?.(err);
        }
      }
    }
  }

  private onWelcome(w: Welcome): void {
    this.status = "open"; // told (onStatus) at the end, once the connection is all set up
    this.welcome = w;
    this.attempt = 0;
    if (!w.resumed) {
      // a fresh start: state is replaced by the snapshot, ids restart from the welcome
      this.setResume({ queueId: w.queueId, lastEventId: w.lastEventId });
      this.ackedId = w.lastEventId;
      this.chatLog.seed(snapshotPositions(w.snapshot));
      try {
        this.o.onSnapshot?.(w.snapshot ?? {}, w);
      } catch (e) {
        this.o.onError?.(e);
      }
    }
    this.startPings();
    for (const waiter of this.waiters.splice(0)) waiter.resolve(w);
    this.tell("open", w);
  }

  private become(s: Exclude<ClientStatus, "open">): void {
    if (this.status === s) return;
    this.status = s;
    this.tell(s, null);
  }

  private tell(s: ClientStatus, w: Welcome | null): void {
    try {
      this.o.onStatus?.(s, w);
    } catch (e) {
      this.o.onError?.(e);
    }
  }

  private onRes(f: Extract<ServerFrame, { t: "res" }>): void {
    if (f.id === null) {
      if ("error" in f) this.o.onError?.(new ClientError(f.error.code, f.error.message, f.error.data));
      return;
    }
    const p = this.pending.get(f.id);
    if (!p) return;
    this.pending.delete(f.id);
    clearTimeout(p.timer);
    if ("error" in f) p.reject(new ClientError(f.error.code, f.error.message, f.error.data));
    else p.resolve(f.result);
  }

  private onEvents(events: WireEvent[]): void {
    const state = this.resumeState;
    if (!state) return this.protocolFailure("events before welcome");
    for (const e of events) {
      if (e.id <= state.lastEventId) continue; // already delivered: never twice
      if (e.id !== state.lastEventId + 1) return this.protocolFailure(`event ${e.id} after ${state.lastEventId}`);
      state.lastEventId = e.id;
      const step = this.userLogPosition(e);
      this.emit(e);
      if (step) this.follow((e.data as { chatId?: string }).chatId ?? chatIdOfEntry(e.data)!, step);
    }
    this.o.onResumeState?.({ ...state });
    this.scheduleAck();
  }

  /** chat.joined / chat.created / chat.left move a chat's position (the entry is the state at pos). */
  private userLogPosition(e: WireEvent): Step | null {
    const d = e.data as { chatId?: string; pos?: number; entry?: { chat?: { id?: string }; pos?: number } };
    if (e.type === "chat.left" && d.chatId && typeof d.pos === "number") {
      this.chatLog.left(d.chatId, d.pos);
      return null;
    }
    if (e.type !== "chat.joined" && e.type !== "chat.created") return null;
    const chatId = chatIdOfEntry(d);
    const pos = d.pos ?? d.entry?.pos;
    return chatId && typeof pos === "number" ? this.chatLog.joined(chatId, pos) : null;
  }

  private onReset(chatId: string, pos: number, entry: unknown): void {
    const step = this.chatLog.reset(chatId, pos);
    for (const h of this.resetHandlers) {
      try {
        h({ chatId, pos, entry });
      } catch (err) {
        this.o.onError?.(err);
      }
    }
    this.follow(chatId, step);
  }

  /** Delivers what a step made next, then fills a gap by asking once (or resumes on overflow). */
  private follow(chatId: string, step: Step): void {
    for (const e of step.apply) this.emitChat(chatId, e);
    if (step.overflow) return this.protocolFailure(`more than ${limits.clientChatHeldEventsMax} changes of chat ${chatId} past a gap`);
    if (step.askFrom !== null) void this.askDifference(chatId, step.askFrom);
  }

  private async askDifference(chatId: string, afterPos: number): Promise<void> {
    const ws = this.ws;
    let r: { events?: ChatLogEvent[]; reset?: unknown; pos: number };
    try {
      r = (await this.request("chat.difference", { chatId, afterPos })) as typeof r;
    } catch (e) {
      if (this.ws !== ws) return; // the socket ended: the resume sends the positions again
      if (e instanceof ClientError && e.code === "not_found") {
        this.chatLog.left(chatId, afterPos); // no longer a member
        return;
      }
      return this.protocolFailure(`chat.difference for ${chatId} failed: ${(e as Error).message}`);
    }
    if (this.ws !== ws) return;
    const before = this.chatLog.pos(chatId);
    if (r.reset !== undefined) this.onReset(chatId, r.pos, r.reset);
    else this.follow(chatId, this.chatLog.receive(chatId, r.events ?? []));
    const after = this.chatLog.pos(chatId);
    // no progress while changes still wait past the gap: the server cannot fill it, start over
    // (a gap the live stream filled meanwhile makes the answer all duplicates: that is fine)
    if (after !== undefined && after === before && r.reset === undefined && this.chatLog.gapOpen(chatId)) {
      return this.protocolFailure(`chat.difference for ${chatId} after ${afterPos} brought nothing new`);
    }
    this.follow(chatId, this.chatLog.answered(chatId));
  }

  private emitChat(chatId: string, e: ChatLogEvent): void {
    this.emit({ id: 0, type: e.type, data: e.data, at: e.at, chatId, pos: e.pos });
  }

  private emit(e: ClientEvent): void {
    for (const key of [e.type, "*"]) {
      for (const h of this.handlers.get(key) ?? []) {
        try {
          h(e.data, e);
        } catch (err) {
          this.o.onError?.(err);
        }
      }
    }
  }

  private setResume(s: ResumeState): void {
    this.resumeState = s;
    this.o.onResumeState?.({ ...s });
  }

  private scheduleAck(): void {
    this.ackTimer ??= setTimeout(() => {
      this.ackTimer = null;
      this.sendAck();
    }, this.o.ackDelayMs ?? limits.clientAckDelayMs);
  }

  private sendAck(): void {
    const id = this.resumeState?.lastEventId ?? 0;
    if (this.status !== "open" || id <= this.ackedId) return;
    this.ackedId = id;
    this.sendFrame({ t: "ack", lastEventId: id });
  }

  private sendFrame(f: ClientFrame): void {
    if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(encodeClientFrame(f));
  }

  private startPings(): void {
    const every = this.o.pingIntervalMs ?? limits.clientPingIntervalMs;
    if (this.pingTimer) clearInterval(this.pingTimer);
    this.pingTimer = setInterval(() => {
      if (Date.now() - this.lastFrameAt > 2 * every) return this.drop(); // silent server: dead link
      this.sendFrame({ t: "ping" });
    }, every);
  }

  private protocolFailure(why: string): void {
    this.o.onError?.(new ClientError("bad_request", `protocol failure: ${why}`));
    this.drop();
  }

  private onSocketClosed(code: number): void {
    this.ws = null;
    this.chatLog.dropHeld();
    if (this.pingTimer) clearInterval(this.pingTimer);
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(new ClientError("disconnected", "The connection closed before the answer came"));
      this.pending.delete(id);
    }
    if (this.status === "closed") return;
    const reason = this.lastBye?.reason ?? byeReasonOfCloseCode(code);
    if (reason && isByeReason(reason) && !BYE_REASONS[reason].retry) return this.stop(reason, this.lastBye?.message);
    if (reason === "token_expired") return void this.refreshThenOpen();
    this.retryLater();
  }

  private async refreshThenOpen(): Promise<void> {
    this.become("waiting");
    try {
      await this.o.auth.refresh();
    } catch (e) {
      return this.authFailed(e);
    }
    if (this.status === "waiting") void this.open();
  }

  private authFailed(e: unknown): void {
    // a refresh the server refused cannot be retried; a network failure can
    if (e instanceof ClientError && e.code !== "disconnected" && e.code !== "unavailable" && e.code !== "internal") {
      return this.stop(e.code, e.message);
    }
    this.retryLater();
  }

  private retryLater(): void {
    this.become("waiting");
    const base = this.o.backoffBaseMs ?? limits.clientBackoffBaseMs;
    const cap = Math.min(this.o.backoffMaxMs ?? limits.clientBackoffMaxMs, base * 2 ** this.attempt++);
    const delay = cap / 2 + Math.random() * (cap / 2); // jitter: reconnect storms spread out
    this.retryTimer = setTimeout(() => {
      if (this.status === "waiting") void this.open();
    }, delay);
  }

  private stop(reason: string, message?: string): void {
    this.become("closed");
    for (const t of [this.ackTimer, this.retryTimer]) if (t) clearTimeout(t);
    if (this.pingTimer) clearInterval(this.pingTimer);
    for (const w of this.waiters.splice(0)) w.reject(new ClientError(reason, message ?? reason));
    this.o.onClosed?.(reason, message);
  }
}

function chatIdOfEntry(d: unknown): string | undefined {
  return (d as { entry?: { chat?: { id?: string } } }).entry?.chat?.id;
}

/** Positions a fresh snapshot carries: every chat list entry has its chat's `pos`. */
function snapshotPositions(snapshot: Record<string, unknown> | undefined): ChatPosition[] {
  const chats = (snapshot?.chats as { chats?: { chat: { id: string }; pos?: number }[] } | undefined)?.chats ?? [];
  return chats.flatMap((e) => (typeof e.pos === "number" ? [{ chatId: e.chat.id, pos: e.pos }] : []));
}
