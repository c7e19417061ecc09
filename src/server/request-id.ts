// Every HTTP request gets an id, echoed in X-Request-Id and bound into its logger, so a
// user's "request abc failed" finds the log line. An incoming id (from a proxy or the
// client) is kept only if it is short and plain; anything else could inject into logs.
import { newId } from "../ids.ts";
import type { Logger } from "../log/port.ts";

export const REQUEST_ID_HEADER = "x-request-id";
const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export function acceptRequestId(incoming: string | null): string {
  return incoming !== null && SAFE_REQUEST_ID.test(incoming) ? incoming : newId();
}

/** What the server knows about one HTTP request; route plugins read it with requestContext(). */
export interface RequestContext {
  requestId: string;
  log: Logger;
  /** Client address after trusted-proxy resolution (src/server/client-ip.ts). */
  ip: string;
  /** The TCP peer's address itself (a proxy, when behind one). */
  peer: string;
  startedAt: number; // performance.now()
  /** Set by the error mapping, which knows the status it chose. */
  status?: number;
}

const contexts = new WeakMap<Request, RequestContext>();

export function bindRequest(request: Request, ctx: RequestContext): void {
  contexts.set(request, ctx);
}

export function requestContext(request: Request): RequestContext | undefined {
  return contexts.get(request);
}
