// A walk over a msgpack frame's headers BEFORE the decoder sees it. The decoder trusts
// declared lengths: `dd 00 ff ff ff` (array32 of 16,777,215 items, no body) makes it
// allocate a 128 MB array, and nested array16 headers multiply that. The walk allocates
// nothing per item and refuses any length the frame cannot hold (every owed value needs
// at least one byte; a string needs its bytes) or that exceeds the named bounds, so the
// decoder only ever allocates in proportion to bytes that really arrived.

export interface FrameShapeBounds {
  frameArrayItemsMax: number;
  frameMapEntriesMax: number;
  /** str, bin and ext payloads */
  frameStringBytesMax: number;
  /** containers inside containers; the frame's own map is depth 1 */
  frameDepthMax: number;
}

/** Only what the frame can hold: for frames from a trusted peer (the server). */
export const FRAME_SHAPE_UNBOUNDED: FrameShapeBounds = {
  frameArrayItemsMax: Number.POSITIVE_INFINITY,
  frameMapEntriesMax: Number.POSITIVE_INFINITY,
  frameStringBytesMax: Number.POSITIVE_INFINITY,
  frameDepthMax: Number.POSITIVE_INFINITY,
};

type Head =
  | { kind: "fixed"; skip: number } // scalars: bytes after the head byte
  | { kind: "bytes"; what: "str" | "bin" | "ext"; lenBytes: number; extra: number } // length field, then `extra` type byte (ext)
  | { kind: "fixbytes"; what: "str" | "ext"; len: number; extra: number }
  | { kind: "container"; what: "array" | "map"; lenBytes: number }
  | { kind: "fixcontainer"; what: "array" | "map"; len: number }
  | { kind: "invalid" };

function head(h: number): Head {
  if (h <= 0x7f || h >= 0xe0) return { kind: "fixed", skip: 0 }; // fixints
  if (h <= 0x8f) return { kind: "fixcontainer", what: "map", len: h & 0x0f };
  if (h <= 0x9f) return { kind: "fixcontainer", what: "array", len: h & 0x0f };
  if (h <= 0xbf) return { kind: "fixbytes", what: "str", len: h & 0x1f, extra: 0 };
  switch (h) {
    case 0xc0: case 0xc2: case 0xc3: return { kind: "fixed", skip: 0 };
    case 0xc4: return { kind: "bytes", what: "bin", lenBytes: 1, extra: 0 };
    case 0xc5: return { kind: "bytes", what: "bin", lenBytes: 2, extra: 0 };
    case 0xc6: return { kind: "bytes", what: "bin", lenBytes: 4, extra: 0 };
    case 0xc7: return { kind: "bytes", what: "ext", lenBytes: 1, extra: 1 };
    case 0xc8: return { kind: "bytes", what: "ext", lenBytes: 2, extra: 1 };
    case 0xc9: return { kind: "bytes", what: "ext", lenBytes: 4, extra: 1 };
    case 0xca: return { kind: "fixed", skip: 4 };
    case 0xcb: return { kind: "fixed", skip: 8 };
    case 0xcc: case 0xd0: return { kind: "fixed", skip: 1 };
    case 0xcd: case 0xd1: return { kind: "fixed", skip: 2 };
    case 0xce: case 0xd2: return { kind: "fixed", skip: 4 };
    case 0xcf: case 0xd3: return { kind: "fixed", skip: 8 };
    case 0xd4: return { kind: "fixbytes", what: "ext", len: 1, extra: 1 };
    case 0xd5: return { kind: "fixbytes", what: "ext", len: 2, extra: 1 };
    case 0xd6: return { kind: "fixbytes", what: "ext", len: 4, extra: 1 };
    case 0xd7: return { kind: "fixbytes", what: "ext", len: 8, extra: 1 };
    case 0xd8: return { kind: "fixbytes", what: "ext", len: 16, extra: 1 };
    case 0xd9: return { kind: "bytes", what: "str", lenBytes: 1, extra: 0 };
    case 0xda: return { kind: "bytes", what: "str", lenBytes: 2, extra: 0 };
    case 0xdb: return { kind: "bytes", what: "str", lenBytes: 4, extra: 0 };
    case 0xdc: return { kind: "container", what: "array", lenBytes: 2 };
    case 0xdd: return { kind: "container", what: "array", lenBytes: 4 };
    case 0xde: return { kind: "container", what: "map", lenBytes: 2 };
    case 0xdf: return { kind: "container", what: "map", lenBytes: 4 };
    default: return { kind: "invalid" }; // 0xc1 is never used
  }
}

function readUint(bytes: Uint8Array, pos: number, n: number): number {
  let v = 0;
  for (let i = 0; i < n; i++) v = v * 256 + bytes[pos + i]!;
  return v;
}

/**
 * Null when every declared length fits the frame and the bounds, the frame is ONE
 * complete value and nothing trails it; else why not (for the bye message).
 */
export function checkFrameShape(bytes: Uint8Array, b: FrameShapeBounds): string | null {
  const end = bytes.byteLength;
  const outer: number[] = []; // values still owed by each enclosing container; length ≤ frameDepthMax
  let left = 1; // values still owed by the innermost open container (the top level owes one)
  let owedTotal = 1; // values owed by all open containers: each needs at least one more byte
  let pos = 0;
  for (;;) {
    while (left === 0) {
      if (outer.length === 0) return pos === end ? null : `${end - pos} trailing bytes after the value`;
      left = outer.pop()!;
    }
    if (pos >= end) return `truncated at byte ${pos}`;
    const at = pos;
    const hd = head(bytes[pos++]!);
    left--;
    owedTotal--;
    if (hd.kind === "invalid") return `byte ${at} is not a msgpack type`;
    if (hd.kind === "fixed") {
      pos += hd.skip;
      continue;
    }
    let len: number;
    if (hd.kind === "bytes" || hd.kind === "container") {
      if (pos + hd.lenBytes > end) return `truncated length at byte ${at}`;
      len = readUint(bytes, pos, hd.lenBytes);
      pos += hd.lenBytes;
    } else len = hd.len;
    if (hd.kind === "bytes" || hd.kind === "fixbytes") {
      if (len > b.frameStringBytesMax) return `${hd.what} at byte ${at} declares ${len} bytes, over frameStringBytesMax (${b.frameStringBytesMax})`;
      const need = hd.extra + len;
      if (need > end - pos) return `${hd.what} at byte ${at} declares ${len} bytes; the frame holds ${end - pos} more`;
      pos += need;
      continue;
    }
    const max = hd.what === "array" ? b.frameArrayItemsMax : b.frameMapEntriesMax;
    if (len > max) return `${hd.what} at byte ${at} declares ${len} ${hd.what === "array" ? "items, over frameArrayItemsMax" : "entries, over frameMapEntriesMax"} (${max})`;
    const values = hd.what === "array" ? len : 2 * len;
    if (owedTotal + values > end - pos) return `${hd.what} at byte ${at} declares ${len} ${hd.what === "array" ? "items" : "entries"}; the frame holds ${end - pos} more bytes`;
    if (outer.length >= b.frameDepthMax) return `nesting at byte ${at} is deeper than frameDepthMax (${b.frameDepthMax})`;
    if (values === 0) continue;
    outer.push(left);
    left = values;
    owedTotal += values;
  }
}
