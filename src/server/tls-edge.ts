// Where plain HTTP and HTTPS part ways. On the plain listener (server.port): loopback
// hosts, trusted proxies and the probes get the app as before (http://localhost is a
// secure context); every other host gets the trust page (local-ca, HTML navigations) or
// a redirect to https. On the HTTPS listener: HSTS in acme/own modes, and /trust with the
// CA download. ACME HTTP-01 answers are served on the plain listener, for any host.
import { Elysia } from "elysia";
import type { Config } from "../config/schema.ts";
import { isLoopbackHost } from "../net/lan.ts";
import type { TlsSource } from "../tls/source.ts";
import { TRUST_PATHS, trustResponse } from "../tls/trust-page.ts";
import { isTrusted } from "./client-ip.ts";
import { requestUrl } from "./request-url.ts";

export interface TlsEdge {
  source: TlsSource;
  /** Port of the running HTTPS listener; null while none runs (ACME before its first certificate). */
  httpsPort(): number | null;
  /** The TCP peer of a request (not forwarded headers). */
  peer(request: Request): string;
}

const PASS_PATHS = new Set(["/healthz", "/readyz", "/metrics"]);
const ACME_PREFIX = "/.well-known/acme-challenge/";
const HSTS = "max-age=31536000";

/** https URL for the same path: server.publicUrl's origin when it is https, else the request's host on the HTTPS port. */
export function secureUrl(config: Config, url: URL, httpsPort: number): string {
  const path = url.pathname + url.search;
  if (config.server.publicUrl.startsWith("https://")) return new URL(path, config.server.publicUrl).href;
  return `https://${url.hostname}${httpsPort === 443 ? "" : `:${httpsPort}`}${path}`;
}

function plainFront(config: Config, edge: TlsEdge, request: Request, url: URL): Response | undefined {
  const path = url.pathname;
  if (path.startsWith(ACME_PREFIX)) {
    const answer = edge.source.acmeHttpAnswer(path.slice(ACME_PREFIX.length));
    return answer === null ? new Response("not found", { status: 404 }) : new Response(answer, { headers: { "content-type": "text/plain" } });
  }
  const port = edge.httpsPort();
  const caPem = edge.source.caPem();
  if (caPem && port !== null && request.method === "GET") {
    const trust = trustResponse(path, request, caPem, secureUrl(config, new URL("/", url), port));
    if (trust) return trust;
  }
  if (PASS_PATHS.has(path) || isLoopbackHost(url.hostname)) return undefined;
  if (isTrusted(edge.peer(request), config.server.trustedProxies)) return undefined; // the proxy terminates TLS
  if (port === null) return new Response("HTTPS is not ready yet (Hearth is obtaining its certificate); try again in a minute.\n", { status: 503, headers: { "retry-after": "60" } });
  const target = secureUrl(config, url, port);
  if (caPem) {
    const navigation = (request.method === "GET" || request.method === "HEAD") && (request.headers.get("accept") ?? "").includes("text/html");
    if (navigation) return trustResponse(TRUST_PATHS.page, request, caPem, target)!;
  }
  return new Response(null, { status: 308, headers: { location: target } });
}

export function tlsEdge(config: Config, edge: TlsEdge) {
  return new Elysia().onRequest(({ request, set }) => {
    const url = requestUrl(request);
    if (!url) return undefined; // no usable Host: the edge hook before this one answers it (observe.ts)
    if (url.protocol !== "https:") return plainFront(config, edge, request, url);
    if (edge.source.hsts) set.headers["strict-transport-security"] = HSTS;
    const caPem = edge.source.caPem();
    if (caPem && request.method === "GET") return trustResponse(url.pathname, request, caPem, `${url.origin}/`) ?? undefined;
    return undefined;
  });
}
