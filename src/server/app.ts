// Assembles the HTTP/WebSocket server: edge hooks (request id, limits, error mapping,
// metrics) first so they wrap everything, then the operational endpoints, the domain
// routes, the WebSocket endpoint, and last the web client for any other GET.
import { Elysia, type AnyElysia } from "elysia";
import type { Server } from "bun";
import { notFound } from "../errors.ts";
import type { Deps } from "../core/deps.ts";
import { createLifecycle, type Lifecycle, type ShutdownHook } from "./lifecycle.ts";
import { observe } from "./observe.ts";
import { listenError, opsRoutes, startMetricsListener } from "./ops.ts";
import type { TlsSource } from "../tls/source.ts";
import { createHttpsListener, type HttpsListener } from "./tls-listener.ts";
import { listenerOptions } from "./listener.ts";
import { requestUrl } from "./request-url.ts";
import { appCsp } from "./security-headers.ts";

export interface MountContext {
  onShutdown(hook: ShutdownHook): void;
  readonly lifecycle: Lifecycle;
}

/** An Elysia plugin, or a function that adds routes to the app (DomainModule.routes). */
export type RoutesPart = AnyElysia | ((app: AnyElysia) => AnyElysia);
/** The WebSocket endpoint: a plugin, or an object that mounts itself and may register shutdown hooks. */
export type WebSocketPart = AnyElysia | { mount(app: AnyElysia, ctx: MountContext): AnyElysia | void };
export type WebPart = (pathname: string) => Response | null | Promise<Response | null>;

export interface ServerParts {
  routes?: readonly RoutesPart[];
  websocket?: WebSocketPart;
  web?: WebPart;
  /** HTTPS: a second listener on tls.port with this certificate source; the plain one sends LAN hosts there. */
  tls?: TlsSource;
  /**
   * The domain modules' shutdown work (DomainModule.stop), run after the connection layer
   * said `bye` and closed the sockets, so no request reaches a stopped module.
   */
  stops?: readonly ShutdownHook[];
}

export interface RunningServer {
  /** Base URL to reach the server, e.g. http://127.0.0.1:8080 */
  url: string;
  port: number;
  /** Base URL of the separate metrics listener when metrics.bind is set. */
  metricsUrl: string | null;
  /** The HTTPS listener's base URL on loopback, e.g. https://127.0.0.1:8443 (null without TLS or before its first certificate). */
  readonly httpsUrl: string | null;
  lifecycle: Lifecycle;
  /** Runs one request through the app in-process (tests; no socket involved). */
  handle(request: Request): Promise<Response>;
  /** Graceful shutdown (also closes storage and bus). */
  stop(reason?: string): Promise<void>;
}

export function startServer(deps: Deps, parts: ServerParts = {}): RunningServer {
  const { config } = deps;
  let server: Server<unknown> | null = null;
  const separateMetrics = config.metrics.enabled && config.metrics.bind !== "";
  const metricsServer = separateMetrics ? startMetricsListener(config.metrics.bind, deps.metrics, deps.log) : null;
  const https: HttpsListener | null = parts.tls ? createHttpsListener(deps, parts.tls) : null;
  const lifecycle = createLifecycle({
    log: deps.log,
    stopListening: async () => {
      await Promise.all([app.stop(false), metricsServer?.stop(false), https?.stop()]);
    },
    closeBackends: async () => {
      await deps.storage.close();
      await deps.bus.close();
    },
  });
  const app = assemble(deps, parts, lifecycle, () => server, config.metrics.enabled && !separateMetrics, https);
  for (const stop of parts.stops ?? []) lifecycle.onShutdown(stop);
  try {
    app.listen({ hostname: config.server.host, port: config.server.port, ...listenerOptions(deps.log) });
  } catch (err) {
    void metricsServer?.stop(true);
    throw listenError(`the server on ${config.server.host}:${config.server.port}`, err);
  }
  server = app.server as Server<unknown>;
  const port = server.port!;
  if (https) {
    try {
      server = https.start(app, server);
    } catch (err) {
      void app.stop(true);
      void metricsServer?.stop(true);
      throw err;
    }
    app.server = server; // Elysia upgrades WebSockets via app.server: the facade picks the right listener
  }
  return {
    url: baseUrl(config.server.host, port),
    port,
    metricsUrl: metricsServer ? baseUrl(metricsServer.hostname ?? "127.0.0.1", metricsServer.port!) : null,
    get httpsUrl() {
      const p = https?.port();
      return p == null ? null : baseUrl(config.server.host, p).replace(/^http:/, "https:");
    },
    lifecycle,
    handle: (request) => app.handle(request),
    stop: (reason = "stop") => lifecycle.shutdown(reason),
  };
}

function assemble(deps: Deps, parts: ServerParts, lifecycle: Lifecycle, server: () => Server<unknown> | null, metrics: boolean, https: HttpsListener | null): AnyElysia {
  let app: AnyElysia = new Elysia().use(observe(deps, server));
  if (https) app = app.use(https.edge);
  app = app.use(opsRoutes(deps, lifecycle, metrics));
  for (const part of parts.routes ?? []) app = typeof part === "function" ? part(app) : app.use(part);
  const ws = parts.websocket;
  if (ws && "mount" in ws && typeof ws.mount === "function") {
    app = ws.mount(app, { onShutdown: (hook) => lifecycle.onShutdown(hook), lifecycle }) ?? app;
  } else if (ws) {
    app = app.use(ws as AnyElysia);
  }
  const web = parts.web;
  if (web) {
    app = app.get("/*", async ({ request }) => {
      const url = requestUrl(request);
      const res = url && (await web(url.pathname));
      if (!res) throw notFound();
      res.headers.set("content-security-policy", appCsp(url));
      return res;
    });
  }
  return app;
}

/** A URL a local client can use: a wildcard bind address is reached via loopback. */
function baseUrl(host: string, port: number): string {
  const h = host === "0.0.0.0" || host === "" ? "127.0.0.1" : host === "::" ? "[::1]" : host.includes(":") ? `[${host}]` : host;
  return `http://${h}:${port}`;
}
