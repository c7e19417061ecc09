// Options shared by every Bun listener Hearth opens (plain, HTTPS, metrics). Whatever the
// app does not answer, Bun's `error` callback answers: a JSON `internal` with a request id
// and a log line, never Bun's development page (it shows source code) and never a crash.
import type { Logger } from "../log/port.ts";
import { newId } from "../ids.ts";
import { lastResortResponse } from "./errors.ts";

export function listenerOptions(log: Logger) {
  return {
    development: false,
    // Bounds are ours (observe.ts refuses declared lengths with a JSON error, body.ts cuts
    // streamed bodies); Bun's cut-off would answer a bare 413 first. Unread bodies are
    // discarded by Bun as they arrive, not buffered.
    maxRequestBodySize: Number.MAX_SAFE_INTEGER,
    error(err: Error): Response {
      return lastResortResponse(log, err, newId());
    },
  };
}
