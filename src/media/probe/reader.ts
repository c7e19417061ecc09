// Bounded random access to one file: every parser reads through this, so no input can
// make a probe read more than limits.probeReadBytesMax or walk more than
// limits.probeElementsMax boxes/elements/pages.
import { type FileHandle, open } from "node:fs/promises";
import { limits } from "../../limits.ts";
import { ProbeError } from "./types.ts";

export class Reader {
  private readBytes = 0;
  private elements = 0;

  private constructor(
    private readonly file: FileHandle,
    readonly size: number,
  ) {}

  static async open(path: string): Promise<Reader> {
    const file = await open(path, "r");
    return new Reader(file, (await file.stat()).size);
  }

  /** Up to `length` bytes at `offset` (fewer at the end of the file). */
  async read(offset: number, length: number): Promise<Uint8Array> {
    if (offset < 0) return new Uint8Array(0);
    const n = Math.max(0, Math.min(length, this.size - offset));
    this.readBytes += n;
    if (this.readBytes > limits.probeReadBytesMax) throw new ProbeError("corrupt", `the headers need more than ${limits.probeReadBytesMax} bytes`);
    const buf = new Uint8Array(n);
    if (n > 0) await this.file.read(buf, 0, n, offset);
    return buf;
  }

  /** Counts one box/element/page; a file that makes a walk too long is `corrupt`. */
  step(): void {
    if (++this.elements > limits.probeElementsMax) throw new ProbeError("corrupt", `more than ${limits.probeElementsMax} container elements`);
  }

  close(): Promise<void> {
    return this.file.close();
  }
}

export const view = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset, b.byteLength);
export const ascii = (b: Uint8Array, start: number, length: number) => String.fromCharCode(...b.subarray(start, start + length));

export function need(b: Uint8Array, length: number, what: string): void {
  if (b.length < length) throw new ProbeError("corrupt", `${what} is truncated`);
}

/** Big-endian unsigned 64-bit as a number; values past 2^53 are refused as corrupt. */
export function u64(dv: DataView, offset: number, littleEndian = false): number {
  const v = dv.getBigUint64(offset, littleEndian);
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new ProbeError("corrupt", "a 64-bit field is out of range");
  return Number(v);
}
