import { describe, expect, test } from "bun:test";
import { AppError, FatalError } from "../errors.ts";
import { createLogger, type LoggerOptions } from "./logger.ts";

const fixed = () => new Date("2026-11-22T01:02:03.456Z");

function capture(opts: Partial<LoggerOptions> = {}, isTTY = false) {
  const lines: string[] = [];
  const stream = { write: (s: string) => lines.push(s), isTTY };
  const log = createLogger({ level: "info", format: "json", now: fixed, stream, ...opts });
  const records = () => lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  return { log, lines, records };
}

describe("json format", () => {
  test("one object per line with t, level, msg, then fields", () => {
    const { log, lines } = capture();
    log.info("started", { port: 8080, url: "http://x" });
    expect(lines).toEqual(['{"t":"2026-11-22T01:02:03.456Z","level":"info","msg":"started","port":8080,"url":"http://x"}\n']);
  });

  test("levels below the minimum are dropped", () => {
    const { log, records } = capture({ level: "warn" });
    log.debug("a");
    log.info("b");
    log.warn("c");
    log.error("d");
    expect(records().map((r) => r.msg)).toEqual(["c", "d"]);
  });

  test("child binds fields; call fields win; children nest", () => {
    const { log, records } = capture();
    const req = log.child({ requestId: "r1", route: "/a" });
    req.child({ userId: "u1" }).info("hi", { route: "/b" });
    log.info("plain");
    expect(records()[0]).toMatchObject({ requestId: "r1", userId: "u1", route: "/b" });
    expect(records()[1]).not.toHaveProperty("requestId");
  });

  test("reserved names in fields do not overwrite the record", () => {
    const { log, records } = capture();
    log.info("real", { msg: "fake", level: "debug" });
    expect(records()[0]).toMatchObject({ msg: "real", level: "info", field_msg: "fake", field_level: "debug" });
  });

  test("secretish fields are redacted at any depth", () => {
    const { log, lines } = capture();
    log.info("cfg", {
      turnSecret: "pw@h-turn",
      nested: { turnCredential: "pw@h-cred", list: [{ password: "hunter2", refresh_token: "tok-9" }], ok: 1 },
      authorization: "Bearer x",
    });
    const line = lines[0]!;
    for (const secret of ["pw@h", "hunter2", "Bearer", "tok-9"]) expect(line).not.toContain(secret);
    expect(JSON.parse(line).nested).toEqual({ turnCredential: "[redacted]", list: [{ password: "[redacted]", refresh_token: "[redacted]" }], ok: 1 });
  });

  test("bigints, dates and undefined are JSON-safe", () => {
    const { log, records } = capture();
    log.info("x", { n: 12n, d: new Date(0), gone: undefined });
    expect(records()[0]).toEqual({ t: "2026-11-22T01:02:03.456Z", level: "info", msg: "x", n: "12", d: "1970-01-01T00:00:00.000Z" });
  });
});

describe("errors", () => {
  test("unexpected errors carry name, message and stack", () => {
    const { log, records } = capture();
    log.error("boom", { err: new TypeError("bad thing") });
    const err = records()[0]!.err as Record<string, string>;
    expect(err.name).toBe("TypeError");
    expect(err.message).toBe("bad thing");
    expect(err.stack).toContain("logger.test.ts");
  });

  test("expected errors carry code and data, and a stack only at debug", () => {
    const info = capture();
    info.log.warn("refused", { err: new AppError("rate_limited", "slow down", { retryAfterMs: 5 }) });
    expect(info.records()[0]!.err).toEqual({ name: "AppError", message: "slow down", code: "rate_limited", data: { retryAfterMs: 5 } });
    const debug = capture({ level: "debug" });
    debug.log.warn("refused", { err: new FatalError("no") });
    expect((debug.records()[0]!.err as Record<string, string>).stack).toContain("FatalError");
  });

  test("causes are included", () => {
    const { log, records } = capture();
    log.error("wrapped", { err: new Error("outer", { cause: new Error("inner") }) });
    expect((records()[0]!.err as { cause: { message: string } }).cause.message).toBe("inner");
  });
});

describe("pretty format", () => {
  test("auto picks pretty on a TTY and JSON otherwise", () => {
    const tty = capture({ format: "auto" }, true);
    tty.log.info("hello", { a: 1 });
    expect(tty.lines[0]).toBe("\x1b[2m01:02:03.456\x1b[0m \x1b[36mINFO \x1b[0m hello \x1b[2ma=\x1b[0m1\n");
    const pipe = capture({ format: "auto" }, false);
    pipe.log.info("hello");
    expect(JSON.parse(pipe.lines[0]!).msg).toBe("hello");
  });

  test("pretty quotes awkward strings, redacts, and prints stacks below", () => {
    const { log, lines } = capture({ format: "pretty" });
    log.error("oops", { who: "two words", token: "abc", err: new Error("e1") });
    const text = lines[0]!;
    expect(text).toContain('who=\x1b[0m"two words"');
    expect(text).toContain('token=\x1b[0m[redacted]');
    expect(text).toContain('{"name":"Error","message":"e1"}');
    expect(text.split("\n")[1]).toBe("  Error: e1");
  });
});
