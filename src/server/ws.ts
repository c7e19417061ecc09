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

export const WS_PATH = "/ws";

export interface WsPartOptions {
  authenticate: Authenticate;
  modules: readonly DomainModule[];
  /** Tests tighten bounds (hello timeout, send buffer) without touching config. */
  limits?: Partial<WsLimits>;
  /** Run the event/idempotency prune job (default true). */
  prune?: boolean;
}

/** What we use of Elysia's socket wrapper (pong handlers receive the raw socket itself). */
interface ElysiaSocket {
  raw: unknown;
  data: unknown;
}

interface RawSocket {
  data: object;
  remoteAddress: string;
  send(data: Uint8Array): number;
  close(code?: number, reason?: string): void;
  terminate(): void;
  getBufferedAmount(): number;
  ping(data?: Uint8Array): number;
}

export function createWsPart(deps: Deps, opts: WsPartOptions) {
  const wsLimits = wsLimitsFrom(deps.config, opts.limits);
  const hub = new Hub(deps, opts.authenticate, opts.modules, wsLimits, { name: "hearth", version: pkg.version });
  const conns = new WeakMap<object, Connection>(); // keyed by the Bun socket's per-connection data

  const wrap = (raw: RawSocket, ip: string): WireSocket => ({
    send: (bytes) => raw.send(bytes),
    close: (code, reason) => raw.close(code, reason),
    terminate: () => raw.terminate(),
    bufferedAmount: () => raw.getBufferedAmount(),
    ping: () => void raw.ping(),
    ip,
  });

  const mount = (app: AnyElysia, ctx?: MountContext): AnyElysia => {
    let stopPrune: (() => void) | null = opts.prune === false ? null : startPruneJob(deps);
    ctx?.onShutdown(async () => {
      stopPrune?.();
      stopPrune = null;
      await hub.shutdown();
    });
    app.config.websocket = { ...app.config.websocket, ...bunWebSocketOptions(wsLimits) };
    return app.ws(WS_PATH, {
      open(ws: ElysiaSocket) {
        const raw = ws.raw as unknown as RawSocket;
        const request = (ws.data as { request?: Request }).request;
        const ip = (request && requestContext(request)?.ip) || raw.remoteAddress;
        conns.set(raw.data, new Connection(hub, wrap(raw, ip)));
      },
      message(ws: ElysiaSocket, message: unknown) {
        conns.get((ws.raw as unknown as RawSocket).data)?.onMessage(message); // Elysia hands binary frames over as a Buffer, text frames parsed
      },
      pong(ws: ElysiaSocket) {
        conns.get((ws as unknown as RawSocket).data)?.onPong();
      },
      close(ws: ElysiaSocket) {
        const key = (ws.raw as unknown as RawSocket).data;
        conns.get(key)?.closed();
        conns.delete(key);
      },
    });
  };

  return { mount, hub, shutdown: () => hub.shutdown() };
}

/**
 * Server-wide Bun WebSocket options. Bun's own payload limit sits above ours so that a
 * frame just over protocol.frameBytesMax gets our bye `frame_too_large` (4005); one far
 * beyond is cut by Bun with 1009. Bun's backpressure limit sits above the send-buffer
 * bound so Bun never silently drops a frame before we close with `too_slow`.
 */
export function bunWebSocketOptions(l: WsLimits) {
  const heartbeatSecMax = Math.ceil((2 * (l.heartbeatIntervalMs + l.heartbeatJitterMs)) / 1000);
  return {
    maxPayloadLength: 2 * l.frameBytesMax,
    backpressureLimit: 2 * l.sendBufferBytesMax,
    closeOnBackpressureLimit: false,
    idleTimeout: Math.max(limits.idleTimeoutSec, heartbeatSecMax),
    sendPings: false, // the connection sends its own, with jitter
    perMessageDeflate: false,
  };
}
