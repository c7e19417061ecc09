// Operating errors are values with a code from the protocol's one list. Domain and
// storage code throw AppError (or a subclass); the edge (src/server/errors.ts) maps
// them to an HTTP status or a WS error frame. Anything else that escapes is a bug and
// becomes `internal` with a log line carrying the request id.
import type { ErrorCode, ErrorDataOf } from "./protocol/errors.ts";

export class AppError<C extends ErrorCode = ErrorCode> extends Error {
  readonly code: C;
  readonly data: ErrorDataOf<C>;
  constructor(code: C, message: string, ...data: undefined extends ErrorDataOf<C> ? [ErrorDataOf<C>?] : [ErrorDataOf<C>]) {
    super(message);
    this.name = "AppError";
    this.code = code;
    this.data = data[0] as ErrorDataOf<C>;
  }
}

export const notFound = (what = "Not found") => new AppError("not_found", what);
export const forbidden = (why = "Forbidden") => new AppError("forbidden", why);
export const invalidField = (field: string, reason: string, accepted?: readonly string[]) =>
  new AppError("invalid_field", `${field}: ${reason}`, { field, reason, ...(accepted ? { accepted } : {}) });

/**
 * The one mapping of a schema failure (src/protocol/validate.ts firstError, or Elysia's
 * own) to an error: a problem with one field is `invalid_field` naming it, a problem
 * with the whole input (not an object, not JSON-shaped) is `bad_request` about `subject`
 * ("request body", "request params"). HTTP bodies, WS params and Elysia's validation all
 * answer through here.
 */
export function schemaProblem(problem: { path: string; reason: string }, subject: string): AppError {
  if (problem.path === "") return new AppError("bad_request", `The ${subject} ${problem.reason.toLowerCase()}`);
  return invalidField(problem.path, problem.reason);
}

/**
 * A fatal start-up or CLI error: printed as ONE clear line, exit code non-zero, no stack.
 * Thrown by config validation, data-dir checks, port checks, database checks.
 */
export class FatalError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode = 1) {
    super(message);
    this.name = "FatalError";
    this.exitCode = exitCode;
  }
}
