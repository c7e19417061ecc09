// Per-request bookkeeping at the HTTP edge: request id (header + child logger), client
// IP, the body size bound, the one error mapping, HTTP metrics and the access log line.
import { Elysia } from "elysia";
import { limits } from "../limits.ts";
import type { Server } from "bun";
import type { Deps } from "./deps.ts";
import { clientIp } from "./client-ip.ts";
import { elysiaErrorToWire, errorResponse, httpStatusOf } from "./errors.ts";
import { acceptRequestId, bindRequest, REQUEST_ID_HEADER, requestContext, type RequestContext } from "./request-id.ts";

const PROBES = new Set(["/healthz", "/readyz", "/metrics"]);

interface HttpMetrics {
  record(method: string, route: string, status: number, seconds: number): void;
}

function httpMetrics(deps: Deps): HttpMetrics {
  const total = deps.metrics.counter("hearth_http_requests_total", "HTTP requests by method, route and status.");
  const duration = deps.metrics.histogram("hearth_http_request_duration_seconds", "HTTP request duration by method and route.");
  return {
    record(method, route, status, seconds) {
      total.inc({ method, route, status: String(status) });
      duration.observe(seconds, { method, route });
    },
  };
}

/** The hooks every route is wrapped in; registered before any route so they apply to all. */
export function observe(deps: Deps, server: () => Server<unknown> | null) {
  const metrics = httpMetrics(deps);
  const finish = (request: Request, ctx: RequestContext, route: string, status: number) => {
    const seconds = (performance.now() - ctx.startedAt) / 1000;
    metrics.record(request.method, route, status, seconds);
    const path = new URL(request.url).pathname; // never the query: it may carry tokens
    const fields = { method: request.method, path, route, status, ms: Math.round(seconds * 1000) };
    if (PROBES.has(path) && status < 500) ctx.log.debug("request", fields);
    else ctx.log.info("request", fields);
  };
  return new Elysia()
    .onRequest(({ request, set }) => {
      const ctx = begin(deps, request, server());
      set.headers[REQUEST_ID_HEADER] = ctx.requestId;
      const tooLarge = bodyTooLarge(request, ctx);
      if (tooLarge) finish(request, ctx, "unmatched", tooLarge.status);
      return tooLarge;
    })
    .onError({ as: "global" }, ({ code, error, request }) => {
      const ctx = requestContext(request) ?? begin(deps, request, server());
      const wire = elysiaErrorToWire(code, error, ctx.requestId, ctx.log);
      ctx.status = httpStatusOf(wire);
      return errorResponse(wire, { [REQUEST_ID_HEADER]: ctx.requestId });
    })
    .onAfterResponse({ as: "global" }, ({ request, route, set, response }) => {
      const ctx = requestContext(request);
      if (!ctx) return;
      const status = ctx.status ?? (response instanceof Response ? response.status : Number(set.status ?? 200));
      finish(request, ctx, routeLabel(route), status);
    });
}

function begin(deps: Deps, request: Request, server: Server<unknown> | null): RequestContext {
  const requestId = acceptRequestId(request.headers.get(REQUEST_ID_HEADER));
  const peer = peerAddress(server, request);
  const ip = clientIp(request, peer, deps.config.server.trustedProxies);
  const ctx: RequestContext = { requestId, ip, log: deps.log.child({ requestId }), startedAt: performance.now() };
  bindRequest(request, ctx);
  return ctx;
}

function peerAddress(server: Server<unknown> | null, request: Request): string {
  try {
    return server?.requestIP(request)?.address ?? "unknown";
  } catch {
    return "unknown"; // a Request that did not arrive on this server's socket (app.handle)
  }
}

/** Refused before reading: the declared length is over the bound. (Bun's maxRequestBodySize catches undeclared ones.) */
function bodyTooLarge(request: Request, ctx: RequestContext): Response | undefined {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (!(declared > limits.httpBodyBytesMax)) return undefined;
  const wire = { code: "payload_too_large" as const, message: `The body exceeds ${limits.httpBodyBytesMax} bytes`, data: { limit: limits.httpBodyBytesMax } };
  ctx.status = httpStatusOf(wire);
  return errorResponse(wire, { [REQUEST_ID_HEADER]: ctx.requestId, connection: "close" });
}

/** Route templates only, so label values stay a small fixed set. */
function routeLabel(route: string | undefined): string {
  if (!route) return "unmatched";
  return route === "/*" ? "web" : route;
}
