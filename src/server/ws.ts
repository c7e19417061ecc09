// GET /ws: the msgpack WebSocket endpoint. A thin adapter from Elysia/Bun sockets to
// the socket-agnostic protocol state machine in src/events/connection.ts. Frames go out
// with the raw Bun socket's binary send (Elysia's ws.send would JSON-encode bytes as a
// TEXT frame). The hello carries the token, not a cookie, so no Origin check is needed.
import type { AnyElysia } from "elysia";
import pkg from "../../package.json" with { type: "json" };
import { Connection, type WireSocket } from "../events/connection.ts";
import { Hub, type WsLimits, wsLimitsFrom } from "../events/hub.ts";
import { startPruneJob } from "../events/prune.ts";
import { limits } from "../limits.ts";
import type { MountContext } from "./app.ts";
import type { Deps } from "../core/deps.ts";
import type { Authenticate, DomainModule } from "../core/module.ts";
import { requestContext } from "./request-id.ts";
import { AppError } from "../errors.ts";

export const WS_PATH = "/ws";

export interface WsPartOptions {
  authenticate: Authenticate;
  modules: readonly DomainModule[];
  /** Tests tighten bounds (hello timeout, send buffer) without touching config. */
  limits?: Partial<WsLimits>;
  /** Run the event/idempotency prune job (default true). */
  prune?: boolean;
}

/** What Elysia's Bun server dispatches a socket's events to (elysia/ws `websocket`: ws.data.<event>(ws, …)). */
interface SocketData {
  open(raw: RawSocket<SocketData>): void;
  message(raw: RawSocket<SocketData>, message: string | Uint8Array): void;
  pong(raw: RawSocket<SocketData>): void;
  close(raw: RawSocket<SocketData>): void;
}

interface RawSocket<D = unknown> {
  data: D;
  remoteAddress: string;
  send(data: Uint8Array): number;
  close(code?: number, reason?: string): void;
  terminate(): void;
  getBufferedAmount(): number;
  ping(data?: Uint8Array): number;
  subscribe(topic: string): void;
  unsubscribe(topic: string): void;
}

/** A Connection's view of its Bun socket: prototype methods, one small object per socket. */
class RawWire implements WireSocket {
  constructor(
    private readonly raw: RawSocket<SocketData>,
    readonly ip: string,
  ) {}
  send(bytes: Uint8Array): number {
    return this.raw.send(bytes);
  }
  close(code: number, reason: string): void {
    this.raw.close(code, reason);
  }
  terminate(): void {
    this.raw.terminate();
  }
  bufferedAmount(): number {
    return this.raw.getBufferedAmount();
  }
  ping(): void {
    this.raw.ping();
  }
  subscribe(topic: string): void {
    this.raw.subscribe(topic);
  }
  unsubscribe(topic: string): void {
    this.raw.unsubscribe(topic);
  }
}

export function createWsPart(deps: Deps, opts: WsPartOptions) {
  const wsLimits = wsLimitsFrom(deps.config, opts.limits);
  // app.server exists once the app listens (with TLS: the facade over both listeners,
  // src/server/tls-listener.ts); a publish before that has no subscriber to reach.
  let mounted: AnyElysia | null = null;
  const publish = (topic: string, bytes: Uint8Array) => void mounted?.server?.publish(topic, bytes);
  const hub = new Hub(deps, opts.authenticate, opts.modules, wsLimits, { name: "hearth", version: pkg.version }, publish);

  const mount = (app: AnyElysia, ctx?: MountContext): AnyElysia => {
    let stopPrune: (() => void) | null = opts.prune === false ? null : startPruneJob(deps);
    ctx?.onShutdown(async () => {
      stopPrune?.();
      stopPrune = null;
      await hub.shutdown();
    });
    app.config.websocket = { ...app.config.websocket, ...bunWebSocketOptions(wsLimits) };
    mounted = app;
    // The upgrade is an ordinary Elysia route; the socket's events skip Elysia's ws wrapper.
    // Elysia's Bun server dispatches every socket event to ws.data.<event>(ws, …) (elysia/ws
    // `websocket`), so the data we upgrade with carries our own handlers: no per-message
    // promise, message parse or wrapper object, and no copy of the request context kept
    // per socket — only the Connection.
    return app.get(WS_PATH, ({ request, server }) => {
      const srv = (server ?? app.server) as { upgrade(req: Request, o: { data: SocketData }): boolean } | null;
      if (srv?.upgrade(request, { data: new SocketState(requestContext(request)?.ip ?? "") })) return;
      throw new AppError("bad_request", `GET ${WS_PATH} upgrades to a WebSocket (Upgrade: websocket)`);
    });
  };

  /** Per socket: the client address from the upgrade request, then its Connection; the handlers live on the prototype. */
  class SocketState implements SocketData {
    conn: Connection | null = null;
    constructor(private readonly ip: string) {}
    open(raw: RawSocket<SocketData>): void {
      this.conn = new Connection(hub, new RawWire(raw, this.ip || raw.remoteAddress));
    }
    message(_raw: RawSocket<SocketData>, message: string | Uint8Array): void {
      this.conn?.onMessage(message); // binary frames arrive as a Buffer, text frames as a string
    }
    pong(): void {
      this.conn?.onPong();
    }
    close(): void {
      this.conn?.closed();
      this.conn = null;
    }
  }

  return { mount, hub, shutdown: () => hub.shutdown() };
}

/**
 * Server-wide Bun WebSocket options. Bun's own payload limit sits above ours so that a
 * frame just over protocol.frameBytesMax gets our bye `frame_too_large` (4005); one far
 * beyond is cut by Bun with 1009. Bun's backpressure limit sits above the send-buffer
 * bound, so our own sends close a peer that does not read with `too_slow` first; a chat
 * frame goes out by native publish (src/events/chat-fanout.ts), which no JS sees per
 * socket, so there Bun itself closes the socket when a frame would be dropped
 * (closeOnBackpressureLimit): never a silent hole — the client resumes.
 */
export function bunWebSocketOptions(l: WsLimits) {
  const heartbeatSecMax = Math.ceil((2 * (l.heartbeatIntervalMs + l.heartbeatJitterMs)) / 1000);
  return {
    maxPayloadLength: 2 * l.frameBytesMax,
    backpressureLimit: 2 * l.sendBufferBytesMax,
    closeOnBackpressureLimit: true,
    idleTimeout: Math.max(limits.idleTimeoutSec, heartbeatSecMax),
    sendPings: false, // the connection sends its own, with jitter
    perMessageDeflate: false,
  };
}
