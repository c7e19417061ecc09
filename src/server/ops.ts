// Operational endpoints: liveness, readiness, Prometheus metrics, and the separate
// metrics listener used when metrics.bind is set (so /metrics need not be public).
import { Elysia } from "elysia";
import { FatalError, notFound } from "../errors.ts";
import { limits } from "../limits.ts";
import { parseHostPort } from "../config/values.ts";
import type { Metrics } from "../metrics/port.ts";
import type { Deps } from "../core/deps.ts";
import type { Lifecycle } from "./lifecycle.ts";
import type { Logger } from "../log/port.ts";
import { isLocalClient } from "./client-ip.ts";
import { listenerOptions } from "./listener.ts";
import { requestContext } from "./request-id.ts";
import { requestPath } from "./request-url.ts";
import { SECURITY_HEADERS } from "./security-headers.ts";

export const METRICS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

export function opsRoutes(deps: Deps, lifecycle: Lifecycle, withMetrics: boolean) {
  const app = new Elysia()
    .get("/healthz", () => ({ status: "ok" }))
    .get("/readyz", async ({ set }) => {
      const failed = await notReady(deps, lifecycle);
      set.status = failed.length === 0 ? 200 : 503;
      const details = backupDetails(deps);
      const body = failed.length === 0 ? { status: "ready" } : { status: "unavailable", failed };
      return details ? { ...body, details } : body;
    });
  // On the main listener /metrics is for this machine only; metrics.bind is how to offer it further.
  return withMetrics
    ? app.get("/metrics", ({ request }) => {
        const ctx = requestContext(request);
        if (!ctx || !isLocalClient(ctx.peer, ctx.ip)) throw notFound();
        return metricsResponse(deps.metrics);
      })
    : app;
}

export function metricsResponse(metrics: Metrics): Response {
  return new Response(metrics.render(), { headers: { ...SECURITY_HEADERS, "content-type": METRICS_CONTENT_TYPE } });
}

/** Which parts are not ready: "shutdown", "storage", "bus". Each probe is time-bounded. */
async function notReady(deps: Deps, lifecycle: Lifecycle): Promise<string[]> {
  if (lifecycle.shuttingDown) return ["shutdown"];
  const [storage, bus] = await Promise.all([probe(() => deps.storage.ready()), probe(() => deps.bus.ready())]);
  const failed: string[] = [];
  if (!storage) failed.push("storage");
  if (!bus) failed.push("bus");
  if (lifecycle.shuttingDown) return ["shutdown"]; // re-check after the await
  return failed;
}

/**
 * The scheduled backups, as far as an unauthenticated prober may know: whether the last
 * run succeeded and when the last good one was taken — no paths, no error text (admins
 * get those from backup.status). A failed backup does not make the server unready.
 */
function backupDetails(deps: Deps) {
  const st = deps.backups?.status();
  if (!st?.enabled) return null;
  return { backup: { ok: st.last ? st.last.ok : null, lastAt: st.last?.startedAt ?? null, lastSuccessAt: st.lastSuccess?.startedAt ?? null } };
}

async function probe(check: () => Promise<boolean>): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), limits.readyCheckTimeoutMs);
  });
  try {
    return await Promise.race([check().catch(() => false), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The metrics-only listener on metrics.bind; everything else there is 404. */
export function startMetricsListener(bind: string, metrics: Metrics, log: Logger) {
  const target = parseHostPort(bind);
  if (!target) throw new FatalError(`metrics.bind "${bind}" is not host:port`);
  try {
    return Bun.serve({
      hostname: target.host,
      port: target.port,
      ...listenerOptions(log),
      fetch: (req) => (requestPath(req) === "/metrics" && req.method === "GET" ? metricsResponse(metrics) : new Response("Not found\n", { status: 404, headers: SECURITY_HEADERS })),
    });
  } catch (err) {
    throw listenError(`metrics listener on ${bind}`, err);
  }
}

export function listenError(what: string, err: unknown): FatalError {
  const code = (err as { code?: string }).code;
  const why = code === "EADDRINUSE" ? "the address is already in use" : code === "EACCES" ? "permission denied" : String((err as Error).message ?? err);
  return new FatalError(`cannot start ${what}: ${why}`);
}
