// msgpack frames that declare far more than they carry, one per length-carrying type,
// plus nesting bombs; each is under 4 KiB. Shared by the shape unit test, the protocol test and the WS fuzz.
const u8 = (...xs: number[]) => new Uint8Array(xs);
const str = (s: string) => [0xa0 | s.length, ...new TextEncoder().encode(s)]; // fixstr, < 32 bytes
/** A frame map whose last value is `tail`: the bomb sits where a real field would. */
const inFrame = (fields: [string, number[]][], tail: string, bomb: number[]) =>
  new Uint8Array([0x80 | (fields.length + 1), ...fields.flatMap(([k, v]) => [...str(k), ...v]), ...str(tail), ...bomb]);

// Each declares far more than it carries: the decoder would allocate (arrays) or at least
// trust the length; the walk refuses every one from the header alone.
export const lengthBombs: [string, Uint8Array][] = [
  ["array16", u8(0xdc, 0xff, 0xff)],
  ["array32", u8(0xdd, 0x00, 0xff, 0xff, 0xff)],
  ["array32 max", u8(0xdd, 0xff, 0xff, 0xff, 0xff)],
  ["map16", u8(0xde, 0xff, 0xff)],
  ["map32", u8(0xdf, 0x00, 0xff, 0xff, 0xff)],
  ["str8", u8(0xd9, 0xff)],
  ["str16", u8(0xda, 0xff, 0xff)],
  ["str32", u8(0xdb, 0x00, 0xff, 0xff, 0xff)],
  ["bin8", u8(0xc4, 0xff)],
  ["bin16", u8(0xc5, 0xff, 0xff)],
  ["bin32", u8(0xc6, 0x00, 0xff, 0xff, 0xff)],
  ["ext8", u8(0xc7, 0xff, 0x01)],
  ["ext16", u8(0xc8, 0xff, 0xff, 0x01)],
  ["ext32", u8(0xc9, 0x00, 0xff, 0xff, 0xff, 0x01)],
  ["fixext16", u8(0xd8, 0x01)],
  // a map whose value is an array16 bomb, and a chain of array16 headers (each one's
  // first item is the next): every header alone is small, together they multiply
  ["map holding array16", u8(0x81, 0xa1, 0x74, 0xdc, 0xff, 0xff)],
  ["array16 chain", new Uint8Array(Array.from({ length: 300 }, () => [0xdc, 0xff, 0xff]).flat())],
  ["hello whose token is a str32", inFrame([["t", str("hello")], ["v", [0x01]]], "token", [0xdb, 0x00, 0xff, 0xff, 0xff])],
  ["req whose params is an array32", inFrame([["t", str("req")], ["id", [0x01]], ["method", str("probe.echo")]], "params", [0xdd, 0x00, 0xff, 0xff, 0xff])],
  ["req whose params is a map32", inFrame([["t", str("req")], ["id", [0x02]], ["method", str("probe.echo")]], "params", [0xdf, 0x00, 0xff, 0xff, 0xff])],
  ["fixarray siblings owed", u8(0x92, 0x9f, 0x9f)],
  ["deep fixarrays", new Uint8Array([...Array.from({ length: 2000 }, () => 0x91), 0xc0])],
  ["deep fixmaps", new Uint8Array([...Array.from({ length: 1000 }, () => [0x81, 0xa1, 0x78]).flat(), 0xc0])],
];

