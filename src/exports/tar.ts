// A small streaming tar (POSIX ustar) writer: a 512-byte header per file, the bytes,
// zero padding to 512, and two zero blocks at the end. Sizes of 8 GiB and more use the
// GNU/POSIX base-256 size field, which GNU tar, bsdtar (macOS, Windows tar.exe) and
// Python's tarfile read. Names are ASCII, at most 100 bytes (the caller makes them so).
const BLOCK = 512;
const enc = new TextEncoder();

export interface TarEntry {
  name: string;
  size: number;
  mtimeMs: number;
  body: Uint8Array | AsyncIterable<Uint8Array>;
}

function put(h: Uint8Array, offset: number, length: number, text: string): void {
  const bytes = enc.encode(text);
  if (bytes.length > length) throw new Error(`BUG: tar field of ${length} bytes cannot hold "${text}"`);
  h.set(bytes, offset);
}

const octal = (n: number, digits: number) => `${Math.floor(n).toString(8).padStart(digits, "0")}\0`;

function putSize(h: Uint8Array, size: number): void {
  if (size < 8 ** 11) return put(h, 124, 12, octal(size, 11));
  h[124] = 0x80; // base-256: the high bit set, then the size big-endian in the remaining 11 bytes
  let rest = BigInt(size);
  for (let i = 135; i > 124; i--) {
    h[i] = Number(rest & 0xffn);
    rest >>= 8n;
  }
}

export function tarHeader(name: string, size: number, mtimeMs: number): Uint8Array {
  if (!/^[\x21-\x7e][\x20-\x7e]{0,99}$/.test(name)) throw new Error(`BUG: tar entry name must be printable ASCII of at most 100 bytes: ${name}`);
  const h = new Uint8Array(BLOCK);
  put(h, 0, 100, name);
  put(h, 100, 8, "0000600\0");
  put(h, 108, 8, "0000000\0");
  put(h, 116, 8, "0000000\0");
  putSize(h, size);
  put(h, 136, 12, octal(Math.max(0, mtimeMs / 1000), 11));
  put(h, 148, 8, "        "); // checksum: spaces while summing
  h[156] = 0x30; // '0': a regular file
  put(h, 257, 6, "ustar\0");
  put(h, 263, 2, "00");
  put(h, 265, 32, "hearth");
  put(h, 297, 32, "hearth");
  let sum = 0;
  for (const b of h) sum += b;
  put(h, 148, 8, `${sum.toString(8).padStart(6, "0")}\0 `);
  return h;
}

/** The archive of `entries` as chunks; throws if a body's length differs from its declared size. */
export async function* tarStream(entries: AsyncIterable<TarEntry>): AsyncGenerator<Uint8Array> {
  for await (const e of entries) {
    yield tarHeader(e.name, e.size, e.mtimeMs);
    let written = 0;
    if (e.body instanceof Uint8Array) {
      written = e.body.byteLength;
      yield e.body;
    } else {
      for await (const chunk of e.body) {
        written += chunk.byteLength;
        if (written > e.size) break;
        yield chunk;
      }
    }
    if (written !== e.size) throw new Error(`${e.name}: ${written} bytes where ${e.size} were declared`);
    const pad = (BLOCK - (e.size % BLOCK)) % BLOCK;
    if (pad > 0) yield new Uint8Array(pad);
  }
  yield new Uint8Array(BLOCK * 2);
}
