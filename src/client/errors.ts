// What the client throws: the server's WireError as an Error, plus a few codes of its own
// for what happens on this side of the wire.
import type { ErrorCode } from "../protocol/errors.ts";

/** Client-side failures that never come from the server. */
export type LocalCode = "timeout" | "disconnected" | "closed";

export class ClientError extends Error {
  constructor(
    readonly code: ErrorCode | LocalCode | (string & {}),
    message: string,
    readonly data?: unknown,
  ) {
    super(message);
    this.name = "ClientError";
  }
}
