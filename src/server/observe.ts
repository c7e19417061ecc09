// Per-request bookkeeping at the HTTP edge: request id (header + child logger), client
// IP, the security headers, the requests refused before any route (unusable Host, body
// over the bound, a body that is not JSON), the one error mapping, HTTP metrics and the
// access log line. Every hook here is total: a request that makes one of them throw is
// still answered (`internal` + request id) and logged; it never reaches the process
// as an uncaught error (one Host-less request used to end the process that way).
import { Elysia } from "elysia";
import { limits } from "../limits.ts";
import type { Server } from "bun";
import type { Deps } from "../core/deps.ts";
import { AppError } from "../errors.ts";
import { newId } from "../ids.ts";
import { bodyBytesMaxFor, jsonOnly } from "./body.ts";
import { clientIp } from "./client-ip.ts";
import { ipBlockList } from "../net/ip-blocklist.ts";
import { elysiaErrorToWire, errorResponse, httpStatusOf, lastResortResponse } from "./errors.ts";
import { acceptRequestId, bindRequest, REQUEST_ID_HEADER, requestContext, type RequestContext } from "./request-id.ts";
import { requestPath, requestUrl } from "./request-url.ts";
import { SECURITY_HEADERS } from "./security-headers.ts";
import type { WireError } from "../protocol/errors.ts";

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
  const blocks = ipBlockList(deps.storage.admin, deps.now);
  const blockedTotal = deps.metrics.counter("hearth_http_ip_blocked_total", "Requests (HTTP and WebSocket upgrades) refused by an IP block, before any other work.");
  const finish = (request: Request, ctx: RequestContext, route: string, status: number) => {
    const seconds = (performance.now() - ctx.startedAt) / 1000;
    metrics.record(request.method, route, status, seconds);
    const path = requestPath(request); // never the query: it may carry tokens
    const fields = { method: request.method, path, route, status, ms: Math.round(seconds * 1000) };
    if (PROBES.has(path) && status < 500) ctx.log.debug("request", fields);
    else ctx.log.info("request", fields);
  };
  return new Elysia()
    .onRequest(async ({ request, set }) => {
      let ctx: RequestContext | undefined;
      try {
        ctx = begin(deps, request, server());
        Object.assign(set.headers, SECURITY_HEADERS);
        set.headers[REQUEST_ID_HEADER] = ctx.requestId;
        // An admin's IP block comes first: nothing of the request (body, route, token) is looked at.
        const refused = (await blocks.blocked(ctx.ip)) ? refuseBlocked(ctx, blockedTotal) : refuseEarly(request, ctx);
        if (refused) finish(request, ctx, "unmatched", refused.status);
        return refused;
      } catch (err) {
        return lastResortResponse(deps.log, err, ctx?.requestId ?? newId());
      }
    })
    .onError({ as: "global" }, ({ code, error, request }) => {
      let ctx: RequestContext | undefined;
      try {
        ctx = requestContext(request) ?? begin(deps, request, server());
        const wire = elysiaErrorToWire(code, error, ctx.requestId, ctx.log);
        ctx.status = httpStatusOf(wire);
        return errorResponse(wire, { ...SECURITY_HEADERS, [REQUEST_ID_HEADER]: ctx.requestId });
      } catch (err) {
        if (ctx) ctx.status = 500;
        return lastResortResponse(deps.log, err, ctx?.requestId ?? newId());
      }
    })
    .onAfterResponse({ as: "global" }, ({ request, route, set, response }) => {
      try {
        const ctx = requestContext(request);
        if (!ctx) return;
        const status = ctx.status ?? (response instanceof Response ? response.status : Number(set.status ?? 200));
        finish(request, ctx, routeLabel(route), status);
      } catch (err) {
        deps.log.error("recording a finished request failed", { err });
      }
    });
}

function begin(deps: Deps, request: Request, server: Server<unknown> | null): RequestContext {
  const requestId = acceptRequestId(request.headers.get(REQUEST_ID_HEADER));
  const peer = peerAddress(server, request);
  const ip = clientIp(request, peer, deps.config.server.trustedProxies);
  const ctx: RequestContext = { requestId, ip, peer, log: deps.log.child({ requestId }), startedAt: performance.now() };
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

function refuseBlocked(ctx: RequestContext, blockedTotal: { inc(): void }): Response {
  blockedTotal.inc();
  ctx.status = 403;
  const headers = { ...SECURITY_HEADERS, [REQUEST_ID_HEADER]: ctx.requestId, connection: "close" }; // the body is never read
  return errorResponse({ code: "ip_blocked", message: "Your address is blocked on this server" }, headers);
}

/** What is answered before any route: an unusable Host, a declared body over the bound, a body that is not JSON. */
function refuseEarly(request: Request, ctx: RequestContext): Response | undefined {
  const wire = earlyProblem(request);
  if (!wire) return undefined;
  ctx.status = httpStatusOf(wire);
  const headers: Record<string, string> = { ...SECURITY_HEADERS, [REQUEST_ID_HEADER]: ctx.requestId };
  if (wire.code === "payload_too_large") headers.connection = "close"; // the body is never read
  return errorResponse(wire, headers);
}

function earlyProblem(request: Request): WireError | null {
  // Bun builds request.url from the Host header; one a URL cannot hold has no origin to serve.
  if (!requestUrl(request)) return { code: "bad_request", message: "The Host header is missing or malformed" };
  const declared = Number(request.headers.get("content-length") ?? "0");
  const max = bodyBytesMaxFor(request, requestPath(request));
  if (declared > max) return { code: "payload_too_large", message: `The body exceeds ${max} bytes`, data: { limit: max } };
  const notJson = jsonOnly(request, requestPath(request));
  return notJson ? wireOf(notJson) : null;
}

function wireOf(err: AppError): WireError {
  return { code: err.code, message: err.message, data: err.data } as WireError;
}

/** Route templates only, so label values stay a small fixed set. */
function routeLabel(route: string | undefined): string {
  if (!route) return "unmatched";
  return route === "/*" ? "web" : route;
}
