// The HTTPS listener: a second Bun server running the SAME Elysia app with the current
// certificate, restarted (same port, SO_REUSEPORT, no gap) when the certificate changes,
// because Bun's server.reload() does not swap TLS material. Elysia upgrades WebSockets
// and reads peer addresses through app.server, which must be the server that received
// the request: app.server becomes a facade that routes those calls per request.
import type { AnyElysia } from "elysia";
import { websocket } from "elysia/ws";
import type { Server } from "bun";
import type { Deps } from "../core/deps.ts";
import { listenerOptions } from "./listener.ts";
import { listenError } from "./ops.ts";
import type { TlsMaterial, TlsSource } from "../tls/source.ts";
import { tlsEdge, type TlsEdge } from "./tls-edge.ts";
import { httpsPort } from "../tls/port.ts";

export { httpsPort };

export interface HttpsListener {
  /** The onRequest plugin that splits plain and HTTPS traffic; mount before any route. */
  readonly edge: ReturnType<typeof tlsEdge>;
  /** Port of the running HTTPS listener, null while it waits for a first certificate. */
  port(): number | null;
  /** Starts listening (now or when the first certificate arrives); returns the facade for app.server. */
  start(app: AnyElysia, plain: Server<unknown>): Server<unknown>;
  stop(): Promise<void>;
}

type AnyServer = Server<unknown>;

export function createHttpsListener(deps: Deps, source: TlsSource): HttpsListener {
  const { config, log } = deps;
  const origin = new WeakMap<Request, AnyServer>();
  let plain: AnyServer | null = null;
  let current: AnyServer | null = null;
  // HTTPS servers with sockets: the current one and replaced ones still draining theirs
  // (a native topic publish reaches only its own server's subscribers)
  const serving = new Set<AnyServer>();
  const retire = (srv: AnyServer | null) => void srv?.stop(false).finally(() => serving.delete(srv));
  let stopped = false;
  const edgeDeps: TlsEdge = {
    source,
    httpsPort: () => current?.port ?? null,
    peer: (req) => (origin.get(req) ?? plain)?.requestIP(req)?.address ?? "",
  };

  const serve = (app: AnyElysia, m: TlsMaterial, port: number): AnyServer => {
    const srv = Bun.serve({
      hostname: config.server.host,
      port,
      reusePort: true, // lets the replacement bind before the old one stops
      idleTimeout: 30,
      ...listenerOptions(log),
      tls: { cert: m.cert, key: m.key },
      websocket: { ...app.config.websocket, ...websocket } as never,
      fetch(req, srv) {
        origin.set(req, srv as AnyServer);
        return app.fetch(req);
      },
    }) as AnyServer;
    serving.add(srv);
    return srv;
  };

  let paused = false;
  let lastPort = httpsPort(config);
  const swap = (app: AnyElysia, m: TlsMaterial) => {
    if (stopped || paused) return; // a paused listener resumes with the newest material anyway
    const old = current;
    try {
      current = serve(app, m, old?.port ?? lastPort);
      lastPort = current.port!;
    } catch (err) {
      log.error("cannot restart the HTTPS listener with the new certificate; keeping the old one", { err });
      return;
    }
    retire(old); // in-flight requests and open WebSockets finish on the old server
    log.info(old ? "HTTPS listener now serves the new certificate" : "HTTPS listener started", { port: current.port });
  };

  return {
    edge: tlsEdge(config, edgeDeps),
    port: edgeDeps.httpsPort,
    start(app, plainServer) {
      plain = plainServer;
      const first = source.material();
      if (first) {
        try {
          current = serve(app, first, httpsPort(config));
        } catch (err) {
          throw listenError(`the HTTPS listener on ${config.server.host}:${httpsPort(config)}`, err);
        }
      }
      if (current) lastPort = current.port!;
      source.onChange((m) => swap(app, m));
      source.attachListener({
        host: config.server.host,
        async pause() {
          paused = true;
          const held = current;
          current = null;
          await held?.stop(false);
          if (held) serving.delete(held);
          return lastPort;
        },
        resume() {
          paused = false;
          const m = source.material();
          if (m) swap(app, m);
        },
      });
      return facade(plainServer, origin, serving);
    },
    async stop() {
      stopped = true;
      source.stop();
      await current?.stop(false);
      serving.clear();
    },
  };
}


/**
 * app.server for Elysia: upgrade() and requestIP() go to the server that received the
 * request; publish() goes to every server with sockets (the chat fan-out's topics).
 */
function facade(plain: AnyServer, origin: WeakMap<Request, AnyServer>, https: ReadonlySet<AnyServer>): AnyServer {
  return new Proxy(plain, {
    get(target, prop) {
      if (prop === "upgrade") return (req: Request, o?: object) => (origin.get(req) ?? target).upgrade(req, o as never);
      if (prop === "requestIP") return (req: Request) => (origin.get(req) ?? target).requestIP(req);
      if (prop === "publish") {
        return (topic: string, data: Uint8Array) => {
          let n = target.publish(topic, data);
          for (const srv of https) n += Math.max(0, srv.publish(topic, data));
          return n;
        };
      }
      const value = Reflect.get(target, prop, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}
