import { describe, expect, test } from "bun:test";
import { AppError, invalidField } from "../errors.ts";
import { createLogger } from "../log/logger.ts";
import { elysiaErrorToWire, errorResponse, toWireError } from "./errors.ts";

function capture() {
  const lines: string[] = [];
  const log = createLogger({ level: "info", format: "json", stream: { write: (s: string) => lines.push(s) } });
  return { log, records: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe("toWireError", () => {
  test("AppError keeps code, message and typed data, and logs nothing", () => {
    const { log, records } = capture();
    expect(toWireError(new AppError("rate_limited", "slow", { retryAfterMs: 100 }), "r1", log)).toEqual({
      code: "rate_limited",
      message: "slow",
      data: { retryAfterMs: 100 },
    });
    expect(toWireError(new AppError("not_found", "no such chat"), "r1", log)).toEqual({ code: "not_found", message: "no such chat" });
    expect(records()).toEqual([]);
  });

  test("anything else is internal with the request id, and one error log line with the stack", () => {
    const { log, records } = capture();
    const wire = toWireError(new RangeError("index 7"), "req-42", log);
    expect(wire).toEqual({ code: "internal", message: "Internal server error", data: { requestId: "req-42" } });
    const [line, ...more] = records();
    expect(more).toEqual([]);
    expect(line).toMatchObject({ level: "error", msg: "unhandled error", requestId: "req-42" });
    expect((line!.err as { stack: string }).stack).toContain("RangeError: index 7");
    expect(JSON.stringify(wire)).not.toContain("index 7"); // internals stay in the log
  });

  test("thrown non-errors are internal too", () => {
    const { log } = capture();
    expect(toWireError("a string", "r", log).code).toBe("internal");
  });
});

describe("elysiaErrorToWire", () => {
  const { log } = capture();
  test("validation with a path → invalid_field naming the field", () => {
    const err = { on: "body", valueError: { path: "/profile/name", message: "Expected string" } };
    expect(elysiaErrorToWire("VALIDATION", err, "r", log)).toEqual({
      code: "invalid_field",
      message: "profile.name: Expected string",
      data: { field: "profile.name", reason: "Expected string" },
    });
  });

  test("validation without a path → bad_request", () => {
    expect(elysiaErrorToWire("VALIDATION", { on: "body", valueError: { path: "", message: "Expected object" } }, "r", log)).toEqual({
      code: "bad_request",
      message: "The request body expected object",
    });
  });

  test("parse, not found, and thrown statuses", () => {
    expect(elysiaErrorToWire("PARSE", new Error("x"), "r", log).code).toBe("bad_request");
    expect(elysiaErrorToWire("NOT_FOUND", new Error("x"), "r", log).code).toBe("not_found");
    expect(elysiaErrorToWire(401, new Error("x"), "r", log).code).toBe("unauthenticated");
    expect(elysiaErrorToWire(418, new Error("x"), "r", log).code).toBe("bad_request");
    expect(elysiaErrorToWire(502, new Error("x"), "r", log).code).toBe("internal");
  });

  test("an AppError thrown in a handler (UNKNOWN) keeps its code", () => {
    expect(elysiaErrorToWire("UNKNOWN", invalidField("name", "too long"), "r", log)).toEqual({
      code: "invalid_field",
      message: "name: too long",
      data: { field: "name", reason: "too long" },
    });
  });
});

test("errorResponse uses the code's HTTP status and the { error } body", async () => {
  const res = errorResponse({ code: "payload_too_large", message: "big", data: { limit: 10 } }, { "x-request-id": "r" });
  expect(res.status).toBe(413);
  expect(res.headers.get("content-type")).toBe("application/json; charset=utf-8");
  expect(res.headers.get("x-request-id")).toBe("r");
  expect(await res.json()).toEqual({ error: { code: "payload_too_large", message: "big", data: { limit: 10 } } });
});
