// msgpack framing. One Encoder and one Decoder are reused for every frame (measured 2×
// faster than the encode()/decode() helpers). Decoding is bounded: the caller has already
// refused frames above the frame limit, and checkFrameShape (shape.ts) walks the headers
// first, so no declared length beyond what the frame holds (or the bounds) reaches the
// decoder, which would allocate arrays of the declared size before reading them.
import { Decoder, Encoder } from "@msgpack/msgpack";
import type { TSchema } from "@sinclair/typebox";
import type { WireError } from "./errors.ts";
import {
  type ClientFrame,
  clientFrameSchemas,
  type ServerFrame,
  serverFrameSchemas,
} from "./frames.ts";
import { type FrameShapeBounds, FRAME_SHAPE_UNBOUNDED, checkFrameShape } from "./shape.ts";
import { type Checker, compile } from "./validate.ts";

const LENGTH_MAX = 16 * 1024 * 1024; // the largest frame any config allows
const encoder = new Encoder({ ignoreUndefined: true });
const decoder = new Decoder({
  maxStrLength: LENGTH_MAX,
  maxBinLength: LENGTH_MAX,
  maxArrayLength: LENGTH_MAX,
  maxMapLength: LENGTH_MAX,
  maxExtLength: LENGTH_MAX,
});

/** Encodes any value (a frame, a bus payload); the result is a fresh copy. */
export function encode(value: unknown): Uint8Array {
  return encoder.encode(value);
}

/** Decodes one msgpack value; throws on malformed input or trailing bytes. */
export function decode(bytes: Uint8Array): unknown {
  return decoder.decode(bytes);
}

export type FrameResult<F> =
  | { ok: true; frame: F }
  // not msgpack, or not a map: the stream cannot be trusted, close it
  | { ok: false; fatal: true; why: string }
  // a map that breaks the schema: answer with a typed error, keep the connection.
  // `t` is the frame type when it is a known one, `path` the first bad field in it,
  // `map` the frame as decoded (for a caller that answers a bad hello by field).
  | BadFrame;
type BadFrame = { ok: false; fatal: false; id: number | null; t?: string; path?: string; map: Record<string, unknown>; error: WireError<"bad_request"> };

function frameDecoder<F>(schemas: Record<string, TSchema>) {
  const checkers = new Map<string, Checker<TSchema>>(Object.entries(schemas).map(([t, s]) => [t, compile(s)]));
  return (bytes: Uint8Array, bounds: FrameShapeBounds): FrameResult<F> => {
    const shape = checkFrameShape(bytes, bounds);
    if (shape) return { ok: false, fatal: true, why: `not a well-formed frame: ${shape}` };
    let value: unknown;
    try {
      value = decoder.decode(bytes);
    } catch (e) {
      return { ok: false, fatal: true, why: `not msgpack: ${(e as Error).message}` };
    }
    if (typeof value !== "object" || value === null || Array.isArray(value) || value instanceof Uint8Array) {
      return { ok: false, fatal: true, why: "frame is not a map" };
    }
    const map = value as Record<string, unknown>;
    const id = Number.isSafeInteger(map.id) && (map.id as number) >= 0 ? (map.id as number) : null;
    const checker = typeof map.t === "string" ? checkers.get(map.t) : undefined;
    if (!checker) return badRequest(map, id, `unknown frame type ${JSON.stringify(String(map.t)).slice(0, 80)}`);
    const err = checker.firstError(map);
    if (err) return { ...badRequest(map, id, `${map.t}.${err.path}: ${err.reason}`), t: map.t as string, path: err.path };
    return { ok: true, frame: map as F };
  };
}

function badRequest(map: Record<string, unknown>, id: number | null, message: string): BadFrame {
  return { ok: false, fatal: false, id, map, error: { code: "bad_request", message } };
}

/** Server side: decodes and validates a frame sent by a client, within the server's bounds. */
export const decodeClientFrame = frameDecoder<ClientFrame>(clientFrameSchemas);
const serverFrameDecoder = frameDecoder<ServerFrame>(serverFrameSchemas);
/** Client side: decodes and validates a frame sent by the server (its lengths only checked against its bytes). */
export const decodeServerFrame = (bytes: Uint8Array): FrameResult<ServerFrame> => serverFrameDecoder(bytes, FRAME_SHAPE_UNBOUNDED);

export const encodeClientFrame = (f: ClientFrame): Uint8Array => encoder.encode(f);
export const encodeServerFrame = (f: ServerFrame): Uint8Array => encoder.encode(f);
