// A bounded ZIP reader for export archives, on node:zlib's raw inflate (built into Bun and
// so into the compiled executable; no dependency). Only the central directory is read up
// front; an entry is read when asked, one at a time, by file offset — the archive is never
// in memory whole. Zip-bomb safe by construction: the entry count, each entry's declared
// size and their sum are bounded (limits.importZip*) before anything is inflated, and an
// entry inflates with maxOutputLength = its declared size, so one that lies fails instead
// of growing; its CRC-32 is checked. Stored (0) and deflate (8) entries only — what
// Telegram's folder zipped by any tool and WhatsApp's own export use. ZIP64 and
// encryption are refused with a reason.
import { open, type FileHandle } from "node:fs/promises";
import { inflateRaw } from "node:zlib";
import { promisify } from "node:util";
import { limits } from "../limits.ts";
import { importInvalid } from "./problems.ts";

const inflate = promisify(inflateRaw);

export interface ZipEntry {
  name: string; // as stored, "/"-separated, decoded as UTF-8
  method: number;
  crc32: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

export interface ZipArchive {
  entries: Map<string, ZipEntry>;
  /** The entry's bytes; importInvalid when corrupt. */
  read(entry: ZipEntry): Promise<Uint8Array>;
  close(): Promise<void>;
}

const EOCD_SIG = 0x06054b50;
const CEN_SIG = 0x02014b50;
const LOC_SIG = 0x04034b50;
const EOCD_MIN = 22;
const COMMENT_MAX = 0xffff;

async function readAt(fh: FileHandle, pos: number, length: number): Promise<Buffer> {
  const buf = Buffer.alloc(length);
  const { bytesRead } = await fh.read(buf, 0, length, pos);
  if (bytesRead !== length) throw importInvalid("zip_truncated", "The archive ends early");
  return buf;
}

/** Opens `path` as a ZIP; every fault of the archive itself is importInvalid with a reason. */
export async function openZip(path: string): Promise<ZipArchive> {
  const fh = await open(path, "r");
  try {
    const size = (await fh.stat()).size;
    if (size > limits.importArchiveBytesMax) throw importInvalid("too_large", `The archive is larger than ${limits.importArchiveBytesMax} bytes`);
    if (size < EOCD_MIN) throw importInvalid("not_zip", "The file is not a ZIP archive");
    const entries = await centralDirectory(fh, size);
    return {
      entries,
      read: (e) => readEntry(fh, e, size),
      close: () => fh.close(),
    };
  } catch (err) {
    await fh.close();
    throw err;
  }
}

async function centralDirectory(fh: FileHandle, size: number): Promise<Map<string, ZipEntry>> {
  const tailLength = Math.min(size, EOCD_MIN + COMMENT_MAX);
  const tail = await readAt(fh, size - tailLength, tailLength);
  let at = -1;
  for (let i = tail.length - EOCD_MIN; i >= 0; i--) {
    if (tail.readUInt32LE(i) === EOCD_SIG) {
      at = i;
      break;
    }
  }
  if (at < 0) {
    const head = await readAt(fh, 0, 4);
    throw head.readUInt32LE(0) === LOC_SIG ? importInvalid("zip_truncated", "The archive is cut short: its directory at the end is missing") : importInvalid("not_zip", "The file is not a ZIP archive");
  }
  const count = tail.readUInt16LE(at + 10);
  const cenSize = tail.readUInt32LE(at + 12);
  const cenOffset = tail.readUInt32LE(at + 16);
  if (count === 0xffff || cenOffset === 0xffffffff) throw importInvalid("zip_unsupported", "ZIP64 archives are not supported");
  if (count > limits.importZipEntriesMax) throw importInvalid("too_large", `The archive has ${count} entries; at most ${limits.importZipEntriesMax} are read`);
  if (cenOffset + cenSize > size) throw importInvalid("zip_truncated", "The archive's directory points past its end");
  const cen = await readAt(fh, cenOffset, cenSize);
  return parseEntries(cen, count, cenOffset);
}

function parseEntries(cen: Buffer, count: number, cenOffset: number): Map<string, ZipEntry> {
  const entries = new Map<string, ZipEntry>();
  let pos = 0;
  let total = 0;
  for (let i = 0; i < count; i++) {
    if (pos + 46 > cen.length || cen.readUInt32LE(pos) !== CEN_SIG) throw importInvalid("zip_truncated", "The archive's directory is damaged");
    const flags = cen.readUInt16LE(pos + 8);
    const nameLength = cen.readUInt16LE(pos + 28);
    const skip = nameLength + cen.readUInt16LE(pos + 30) + cen.readUInt16LE(pos + 32);
    if (pos + 46 + skip > cen.length) throw importInvalid("zip_truncated", "The archive's directory is damaged");
    const name = cen.toString("utf8", pos + 46, pos + 46 + nameLength);
    const e: ZipEntry = {
      name,
      method: cen.readUInt16LE(pos + 10),
      crc32: cen.readUInt32LE(pos + 16),
      compressedSize: cen.readUInt32LE(pos + 20),
      size: cen.readUInt32LE(pos + 24),
      localOffset: cen.readUInt32LE(pos + 42),
    };
    pos += 46 + skip;
    if (name.endsWith("/")) continue; // a folder
    if (flags & 1) throw importInvalid("zip_unsupported", "Encrypted archives are not supported", { file: name });
    if (e.method !== 0 && e.method !== 8) throw importInvalid("zip_unsupported", `Compression method ${e.method} is not supported`, { file: name });
    if (e.size === 0xffffffff || e.compressedSize === 0xffffffff) throw importInvalid("zip_unsupported", "ZIP64 entries are not supported", { file: name });
    if (e.localOffset >= cenOffset) throw importInvalid("zip_truncated", "An entry points past the archive's data", { file: name });
    if (e.size > limits.importFileBytesMax) throw importInvalid("too_large", `An entry unpacks to more than ${limits.importFileBytesMax} bytes`, { file: name });
    total += e.size;
    if (total > limits.importUnpackedBytesMax) throw importInvalid("too_large", `The archive unpacks to more than ${limits.importUnpackedBytesMax} bytes`, { file: name });
    entries.set(name, e);
  }
  return entries;
}

async function readEntry(fh: FileHandle, e: ZipEntry, archiveSize: number): Promise<Uint8Array> {
  const local = await readAt(fh, e.localOffset, 30);
  if (local.readUInt32LE(0) !== LOC_SIG) throw importInvalid("zip_truncated", "An entry's header is damaged", { file: e.name });
  const dataAt = e.localOffset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
  if (dataAt + e.compressedSize > archiveSize) throw importInvalid("zip_truncated", "An entry's data is cut short", { file: e.name });
  const raw = await readAt(fh, dataAt, e.compressedSize);
  let bytes: Uint8Array;
  if (e.method === 0) bytes = raw;
  else {
    // maxOutputLength: a bomb whose header understates its size stops at the declared size
    bytes = await inflate(raw, { maxOutputLength: Math.max(1, e.size) }).catch(() => {
      throw importInvalid("zip_corrupt", "An entry does not unpack (damaged, or larger than it says)", { file: e.name });
    });
  }
  if (bytes.length !== e.size || (Bun.hash.crc32(bytes) >>> 0) !== e.crc32) {
    throw importInvalid("zip_corrupt", "An entry's content does not match its checksum", { file: e.name });
  }
  return bytes;
}
