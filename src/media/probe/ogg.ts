// Ogg (Opus, Vorbis, FLAC; Theora is named as video without a duration): the first page's
// packet names the codec and its granule rate, the granule position of the stream's last
// page (found in the file's tail) is its length. Opus counts 48 kHz samples after pre-skip.
import { ascii, need, type Reader, view } from "./reader.ts";
import { type ProbeInfo, ProbeError } from "./types.ts";

const tailBytes = 64 * 1024; // an Ogg page is at most 65,307 bytes

interface Stream {
  serial: number;
  rate: number; // granules per second; 0 = unknown
  preSkip: number;
  video: boolean;
}

function firstStream(head: Uint8Array): Stream {
  need(head, 28, "the first Ogg page");
  const dv = view(head);
  const serial = dv.getUint32(14, true);
  const segments = head[26]!;
  const packet = head.subarray(27 + segments);
  const p = view(packet);
  if (ascii(packet, 0, 8) === "OpusHead") {
    need(packet, 12, "OpusHead");
    return { serial, rate: 48_000, preSkip: p.getUint16(10, true), video: false };
  }
  if (ascii(packet, 0, 7) === "\x01vorbis") {
    need(packet, 16, "the Vorbis header");
    return { serial, rate: p.getUint32(12, true), preSkip: 0, video: false };
  }
  if (ascii(packet, 0, 5) === "\x7fFLAC") {
    need(packet, 31, "the Ogg FLAC header");
    return { serial, rate: p.getUint32(27) >>> 12, preSkip: 0, video: false }; // STREAMINFO after 'fLaC' and a block header
  }
  if (ascii(packet, 0, 7) === "\x80theora") return { serial, rate: 0, preSkip: 0, video: true };
  throw new ProbeError("unsupported", "an Ogg stream of an unknown codec");
}

/** The granule position of the last page of `serial` in the tail, or null. */
function lastGranule(r: Reader, tail: Uint8Array, serial: number): number | null {
  const dv = view(tail);
  for (let at = tail.length - 27; at >= 0; at--) {
    if (tail[at] !== 0x4f || ascii(tail, at, 4) !== "OggS") continue;
    r.step();
    if (dv.getUint32(at + 14, true) !== serial) continue;
    const granule = dv.getBigInt64(at + 6, true);
    if (granule >= 0n) return Number(granule);
  }
  return null;
}

export async function probeOgg(r: Reader): Promise<ProbeInfo> {
  const stream = firstStream(await r.read(0, 4096));
  if (stream.video) return { format: "ogg", video: true, audio: false };
  const tail = await r.read(Math.max(0, r.size - tailBytes), tailBytes);
  const granule = lastGranule(r, tail, stream.serial);
  const samples = granule === null ? null : Math.max(0, granule - stream.preSkip);
  // Only header pages (granule 0) say nothing about the length.
  const durationMs = samples !== null && samples > 0 && stream.rate > 0 ? Math.round((samples * 1000) / stream.rate) : undefined;
  return { format: "ogg", durationMs, video: false, audio: true };
}
