// msgpack framing. One Encoder and one Decoder are reused for every frame (measured 2×
// faster than the encode()/decode() helpers). Decoding is bounded: the caller has already
// refused frames above the frame limit, and the decoder's own length limits stop a small
// frame from declaring a huge string or array.
import { Decoder, Encoder } from "@msgpack/msgpack";
import type { TSchema } from "@sinclair/typebox";
import type { WireError } from "./errors.ts";
import {
  type ClientFrame,
  clientFrameSchemas,
  type ServerFrame,
  serverFrameSchemas,
} from "./frames.ts";
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
  // a map that breaks the schema: answer with a typed error, keep the connection
  | { ok: false; fatal: false; id: number | null; error: WireError<"bad_request"> };

function frameDecoder<F>(schemas: Record<string, TSchema>) {
  const checkers = new Map<string, Checker<TSchema>>(Object.entries(schemas).map(([t, s]) => [t, compile(s)]));
  return (bytes: Uint8Array): FrameResult<F> => {
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
    if (!checker) return badRequest(id, `unknown frame type ${JSON.stringify(String(map.t)).slice(0, 80)}`);
    const err = checker.firstError(map);
    if (err) return badRequest(id, `${map.t}.${err.path}: ${err.reason}`);
    return { ok: true, frame: map as F };
  };
}

function badRequest(id: number | null, message: string): FrameResult<never> {
  return { ok: false, fatal: false, id, error: { code: "bad_request", message } };
}

/** Server side: decodes and validates a frame sent by a client. */
export const decodeClientFrame = frameDecoder<ClientFrame>(clientFrameSchemas);
/** Client side: decodes and validates a frame sent by the server. */
export const decodeServerFrame = frameDecoder<ServerFrame>(serverFrameSchemas);

export const encodeClientFrame = (f: ClientFrame): Uint8Array => encoder.encode(f);
export const encodeServerFrame = (f: ServerFrame): Uint8Array => encoder.encode(f);
