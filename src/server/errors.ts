// The ONE place errors become wire errors. AppError keeps its code, message and typed
// data; Elysia's own failures (validation, parse, not found) become bad_request /
// invalid_field / not_found; anything else is a bug: `internal` with the request id,
// and one error log line carrying the same id and the stack.
import { AppError, schemaProblem } from "../errors.ts";
import type { Logger } from "../log/port.ts";
import { ERROR_CODES, isErrorCode, type WireError } from "../protocol/errors.ts";

export function toWireError(err: unknown, requestId: string, log: Logger): WireError {
  if (err instanceof AppError && isErrorCode(err.code)) {
    return err.data === undefined ? { code: err.code, message: err.message } : { code: err.code, message: err.message, data: err.data };
  }
  log.error("unhandled error", { requestId, err });
  return { code: "internal", message: "Internal server error", data: { requestId } };
}

export function httpStatusOf(wire: WireError): number {
  return ERROR_CODES[wire.code].http;
}

/** JSON body `{ "error": { code, message, data } }` with the code's HTTP status. */
export function errorResponse(wire: WireError, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify({ error: wire }), {
    status: httpStatusOf(wire),
    headers: { "content-type": "application/json; charset=utf-8", ...headers },
  });
}

interface ElysiaValueError {
  path?: string;
  message?: string;
}

/** Elysia's error codes (strings, or a number for thrown status()) → wire errors. */
export function elysiaErrorToWire(code: string | number, err: unknown, requestId: string, log: Logger): WireError {
  switch (code) {
    case "VALIDATION":
      return validationToWire((err as { valueError?: ElysiaValueError; on?: string }).valueError, (err as { on?: string }).on);
    case "PARSE": {
      // Our body reader (observe.ts → body.ts) throws typed errors; Elysia wraps them.
      const cause = (err as { cause?: unknown }).cause;
      if (cause instanceof AppError) return toWireError(cause, requestId, log);
      return { code: "bad_request", message: "The request body could not be parsed" };
    }
    case "NOT_FOUND":
      return { code: "not_found", message: "Not found" };
    case "INVALID_COOKIE_SIGNATURE":
    case "INVALID_FILE_TYPE":
      return { code: "bad_request", message: "The request is malformed" };
  }
  if (typeof code === "number" && code >= 400 && code < 500) return statusToWire(code);
  return toWireError(err, requestId, log);
}

function validationToWire(valueError: ElysiaValueError | undefined, on: string | undefined): WireError {
  // TypeBox paths look like "/profile/name"; clients see "profile.name".
  const field = (valueError?.path ?? "").replace(/^\//, "").replace(/\//g, ".");
  const reason = valueError?.message ?? "does not match the schema";
  const e = schemaProblem({ path: field, reason }, `request ${on ?? "input"}`);
  return { code: e.code, message: e.message, data: e.data } as WireError;
}

function statusToWire(status: number): WireError {
  if (status === 401) return { code: "unauthenticated", message: "Not authenticated" };
  if (status === 403) return { code: "forbidden", message: "Forbidden" };
  if (status === 404) return { code: "not_found", message: "Not found" };
  return { code: "bad_request", message: "Bad request" };
}

/**
 * The answer when the error mapping itself failed, or a listener caught what the app did
 * not: a well-formed `internal` with a request id and one log line. Never throws.
 */
export function lastResortResponse(log: Logger, err: unknown, requestId: string): Response {
  try {
    log.error("unhandled error at the HTTP edge", { requestId, err });
  } catch {
    // a logger that throws must not turn an answer into a crash
  }
  const body = JSON.stringify({ error: { code: "internal", message: "Internal server error", data: { requestId } } });
  return new Response(body, { status: 500, headers: { "content-type": "application/json; charset=utf-8", "x-request-id": requestId } });
}
