import { describe, expect, test } from "bun:test";
import { decode, decodeClientFrame, decodeServerFrame, encode, encodeClientFrame, encodeServerFrame } from "./codec.ts";
import { BYE_REASONS, BYE_REASON_LIST, byeReasonOfCloseCode } from "./close.ts";


import { limits } from "../limits.ts";
const bounds = limits;

describe("client frames", () => {
  test("a valid hello, req, ack and ping round-trip", () => {
    const frames = [
      { t: "hello", v: 1, token: "abc", resume: { queueId: "q", lastEventId: 5 }, client: { name: "x", version: "1" } },
      { t: "req", id: 7, method: "user.get", params: { a: [1, 2] } },
      { t: "ack", lastEventId: 9 },
      { t: "ping" },
    ] as const;
    for (const f of frames) {
      const r = decodeClientFrame(encodeClientFrame(f as never), bounds);
      expect(r).toEqual({ ok: true, frame: f as never });
    }
  });

  test("non-msgpack and non-map frames are fatal", () => {
    const bad = [new Uint8Array([0xc1]), new Uint8Array([]), encode([1, 2]), encode("hello"), encode(null), encode(new Uint8Array(3))];
    for (const b of bad) expect(decodeClientFrame(b, bounds)).toMatchObject({ ok: false, fatal: true });
  });

  test("trailing bytes after a valid map are fatal", () => {
    const b = encode({ t: "ping" });
    const withTail = new Uint8Array([...b, 0x01]);
    expect(decodeClientFrame(withTail, bounds)).toMatchObject({ ok: false, fatal: true });
  });

  test("a map that breaks the schema is a recoverable bad_request carrying the req id", () => {
    const r = decodeClientFrame(encode({ t: "req", id: 12, method: 5 }), bounds);
    expect(r).toMatchObject({ ok: false, fatal: false, id: 12, error: { code: "bad_request" } });
    if (!r.ok && !r.fatal) expect(r.error.message).toContain("method");
    expect(decodeClientFrame(encode({ t: "nope" }), bounds)).toMatchObject({ ok: false, fatal: false, id: null });
    expect(decodeClientFrame(encode({ t: "ack", lastEventId: -1 }), bounds)).toMatchObject({ fatal: false });
    expect(decodeClientFrame(encode({ t: "req", id: -3, method: "a.b" }), bounds)).toMatchObject({ fatal: false, id: null });
  });

  test("__proto__ keys are refused, not merged", () => {
    // fixmap(1) { "__proto__": 1 }
    const bytes = new Uint8Array([0x81, 0xa9, ...new TextEncoder().encode("__proto__"), 0x01]);
    expect(decodeClientFrame(bytes, bounds)).toMatchObject({ ok: false, fatal: true });
  });

  test("a tiny frame cannot declare a huge array", () => {
    // array32 with 2^32-1 elements and no body
    expect(decodeClientFrame(new Uint8Array([0xdd, 0xff, 0xff, 0xff, 0xff]), bounds)).toMatchObject({ fatal: true });
  });
});

describe("server frames", () => {
  test("welcome, res ok/error, events, bye, pong validate", () => {
    const frames = [
      { t: "welcome", v: 1, queueId: "q", lastEventId: 0, server: { name: "hearth", version: "0.1.0" }, resumed: false, snapshot: {} },
      { t: "res", id: 1, result: null },
      { t: "res", id: null, error: { code: "bad_request", message: "x" } },
      { t: "events", events: [{ id: 1, type: "a.b", data: { x: 1 }, at: Date.now() }] },
      { t: "bye", reason: "too_slow" },
      { t: "pong" },
    ];
    for (const f of frames) expect(decodeServerFrame(encodeServerFrame(f as never))).toEqual({ ok: true, frame: f as never });
  });

  test("undefined fields are omitted, not sent as nil", () => {
    expect(decode(encode({ t: "bye", reason: "x", message: undefined }))).toEqual({ t: "bye", reason: "x" });
  });
});

describe("bye reasons", () => {
  test("close codes are unique and in the application range or standard", () => {
    const codes = BYE_REASON_LIST.map((r) => BYE_REASONS[r].code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const c of codes) expect(c >= 4000 || c === 1011 || c === 1012).toBe(true);
    for (const r of BYE_REASON_LIST) expect(byeReasonOfCloseCode(BYE_REASONS[r].code)).toBe(r);
  });
});

describe("browser bundle", () => {
  test("src/protocol bundles for the browser without Node or Bun APIs", async () => {
    const out = await Bun.build({ entrypoints: [`${import.meta.dir}/index.ts`], target: "browser" });
    expect(out.success).toBe(true);
    const text = await out.outputs[0]!.text();
    expect(text).not.toMatch(/from ["'](node:|bun)/);
    expect(text).not.toMatch(/require\(["'](node:|fs|bun)/);
  });
});
