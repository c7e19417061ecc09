import { describe, expect, test } from "bun:test";
import { Decoder, Encoder, ExtData } from "@msgpack/msgpack";
import { limits } from "../limits.ts";
import { lengthBombs } from "../../tests/support/msgpack-bombs.ts";
import { seededRng, type Rng } from "../../tests/support/seed.ts";
import { decodeClientFrame } from "./codec.ts";
import { FRAME_SHAPE_UNBOUNDED, type FrameShapeBounds, checkFrameShape } from "./shape.ts";

const bounds: FrameShapeBounds = { frameArrayItemsMax: 100, frameMapEntriesMax: 50, frameStringBytesMax: 1000, frameDepthMax: 8 };
const u8 = (...xs: number[]) => new Uint8Array(xs);

describe("length bombs", () => {
  for (const [name, bytes] of lengthBombs) {
    test(`${name} is refused before decoding, with or without named bounds`, () => {
      expect(checkFrameShape(bytes, FRAME_SHAPE_UNBOUNDED) ?? checkFrameShape(bytes, bounds)).not.toBeNull();
      const r = decodeClientFrame(bytes, limits);
      expect(r).toMatchObject({ ok: false, fatal: true });
      if (!r.ok && r.fatal) expect(r.why).toStartWith("not a well-formed frame:");
    });
  }

  test("the reason names the type, the offset and what the frame holds", () => {
    expect(checkFrameShape(u8(0xdd, 0x00, 0xff, 0xff, 0xff), FRAME_SHAPE_UNBOUNDED)).toBe(
      "array at byte 0 declares 16777215 items; the frame holds 0 more bytes",
    );
    expect(checkFrameShape(u8(0xdb, 0x00, 0x00, 0x01, 0x00, 0x61), FRAME_SHAPE_UNBOUNDED)).toBe("str at byte 0 declares 256 bytes; the frame holds 1 more");
  });
});

describe("named bounds", () => {
  const enc = new Encoder();
  const cases: [string, unknown, unknown][] = [
    ["array items", Array(100).fill(0), Array(101).fill(0)],
    ["map entries", Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, i])), Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, i]))],
    ["string bytes", "é".repeat(500), "é".repeat(500) + "x"],
    ["bin bytes", new Uint8Array(1000), new Uint8Array(1001)],
    ["ext bytes", new ExtData(7, new Uint8Array(1000)), new ExtData(7, new Uint8Array(1001))],
    // the outer value is depth 1: 8 levels fit, 9 do not
    ["depth", nest(8), nest(9)],
  ];
  for (const [what, atBound, over] of cases) {
    test(`${what}: at the bound passes, one over is refused`, () => {
      expect(checkFrameShape(enc.encode(atBound), bounds)).toBeNull();
      expect(checkFrameShape(enc.encode(over), bounds)).toMatch(/over frame|deeper than frameDepthMax/);
      expect(checkFrameShape(enc.encode(over), FRAME_SHAPE_UNBOUNDED)).toBeNull();
    });
  }

  test("empty containers count for depth too", () => {
    expect(checkFrameShape(enc.encode(nest(7, [])), bounds)).toBeNull();
    expect(checkFrameShape(enc.encode(nest(8, [])), bounds)).not.toBeNull();
  });

  test("the server's limits admit a frame carrying the longest message text", () => {
    const text = "🏡".repeat(limits.messageTextLengthMax);
    const frame = enc.encode({ t: "req", id: 1, method: "message.send", params: { chatId: "c", clientId: "x", text } });
    expect(frame.byteLength).toBeLessThan(limits.frameBytesMax);
    expect(checkFrameShape(frame, limits)).toBeNull();
  });
});

/** `levels` arrays around `inner`. */
function nest(levels: number, inner: unknown = 1): unknown {
  let v = inner;
  for (let i = 0; i < levels; i++) v = [v];
  return v;
}

describe("agrees with the decoder (seeded)", () => {
  const rng = seededRng("shape property test");
  const enc = new Encoder();
  // capped so the decoder itself never allocates for a random header (that is the bug the walk prevents);
  // a 24-byte input cannot hold more than 24 items anyway
  const dec = new Decoder({ maxArrayLength: 64, maxMapLength: 64 });

  test("every encoded value passes; every strict prefix of it is refused", () => {
    for (let i = 0; i < 1000; i++) {
      const bytes = enc.encode(randomValue(rng, { left: 60 }));
      expect(checkFrameShape(bytes, FRAME_SHAPE_UNBOUNDED)).toBeNull();
      const cut = rng.int(bytes.byteLength);
      expect(checkFrameShape(bytes.subarray(0, cut), FRAME_SHAPE_UNBOUNDED)).not.toBeNull();
      expect(checkFrameShape(new Uint8Array([...bytes, rng.int(256)]), FRAME_SHAPE_UNBOUNDED)).toMatch(/trailing/);
    }
  });

  test("random bytes the decoder accepts pass the walk; bytes the walk accepts decode without a length error", () => {
    let accepted = 0;
    for (let i = 0; i < 20_000; i++) {
      const bytes = rng.bytes(1 + rng.int(24));
      const shape = checkFrameShape(bytes, FRAME_SHAPE_UNBOUNDED);
      let decodeError: Error | null = null;
      try {
        dec.decode(bytes);
      } catch (e) {
        decodeError = e as Error;
      }
      if (!decodeError) expect(shape).toBeNull();
      if (shape === null) {
        accepted++;
        // what remains possible: a non-string map key, or an unknown ext the codec refuses
        if (decodeError) expect(decodeError.message).not.toMatch(/Insufficient data|Max length|Extra \d+ of|out of bounds/i);
      }
    }
    expect(accepted).toBeGreaterThan(0);
  });
});

/** A random value of every msgpack type and width; `budget` bounds its total size. */
function randomValue(rng: Rng, budget: { left: number }): unknown {
  budget.left--;
  const big = budget.left > 55; // the first few values may be large, the rest stay small
  switch (rng.int(budget.left > 0 ? 12 : 9)) {
    case 0: return null;
    case 1: return rng() < 0.5;
    case 2: return rng.pick([0, 127, 128, 255, 256, 65535, 65536, 2 ** 32, 2 ** 53 - 1, -1, -32, -33, -128, -129, -32769, -(2 ** 31) - 1, 1.5, 2 ** 64]);
    case 3: return rng.int(2 ** 31) * (rng() < 0.5 ? -1 : 1);
    case 4: return "x".repeat(rng.pick(big ? [0, 31, 32, 255, 256, 65536] : [0, 31, 32, 255, 256]));
    case 5: return String.fromCodePoint(...Array.from({ length: rng.int(20) }, () => rng.int(0xd7ff)));
    case 6: return rng.bytes(rng.pick(big ? [0, 1, 255, 256, 70_000] : [0, 1, 255, 256]));
    case 7: return new ExtData(rng.int(100), rng.bytes(rng.pick(big ? [1, 2, 4, 8, 16, 3, 300, 70_000] : [1, 2, 4, 8, 16, 3, 300])));
    case 8: return new Date(rng.int(2 ** 40));
    case 9: return Array.from({ length: rng.pick(big ? [0, 3, 15, 16, 300] : [0, 3, 15, 16]) }, () => randomValue(rng, budget));
    default: return Object.fromEntries(Array.from({ length: rng.pick([0, 2, 15, 16, 40]) }, (_, i) => [`k${i}`, randomValue(rng, budget)]));
  }
}
