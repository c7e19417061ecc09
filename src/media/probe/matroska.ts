// Matroska / WebM (EBML): Segment/Info gives TimecodeScale and Duration, Segment/Tracks
// the track types and the video's PixelWidth/PixelHeight. Browser recordings
// (MediaRecorder) have no Duration and unknown element sizes: their duration is taken
// from the last Cluster in the file's tail (cluster timecode + the last block's offset).
import { limits } from "../../limits.ts";
import { type Reader, view } from "./reader.ts";
import { type ProbeInfo, ProbeError } from "./types.ts";

const ID = {
  ebml: 0x1a45dfa3,
  docType: 0x4282,
  segment: 0x18538067,
  info: 0x1549a966,
  timecodeScale: 0x2ad7b1,
  duration: 0x4489,
  tracks: 0x1654ae6b,
  trackEntry: 0xae,
  trackType: 0x83,
  video: 0xe0,
  pixelWidth: 0xb0,
  pixelHeight: 0xba,
  cluster: 0x1f43b675,
  timecode: 0xe7,
  simpleBlock: 0xa3,
  blockGroup: 0xa0,
  block: 0xa1,
} as const;

const tailBytes = 1024 * 1024; // where the last Cluster of a recording is looked for

interface Vint {
  value: number;
  length: number;
  unknown: boolean; // all value bits set: "size unknown"
}

function vint(b: Uint8Array, at: number, keepMarker: boolean): Vint | null {
  const first = b[at];
  if (first === undefined || first === 0) return null;
  const length = Math.clz32(first) - 23; // 1..8
  if (at + length > b.length) return null;
  let value = keepMarker ? first : first & (0xff >> length);
  let allOnes = value === 0xff >> length;
  for (let i = 1; i < length; i++) {
    value = value * 256 + b[at + i]!;
    allOnes &&= b[at + i] === 0xff;
  }
  return { value, length, unknown: !keepMarker && allOnes };
}

interface Element {
  id: number;
  start: number; // of the data
  end: number; // the parent's end when the size is unknown
}

function* elements(r: Reader, b: Uint8Array, start: number, end: number): Generator<Element> {
  let at = start;
  while (at < end) {
    r.step();
    const id = vint(b, at, true);
    const size = id ? vint(b, at + id.length, false) : null;
    if (!id || !size) return; // truncated at the end of what was read
    const dataStart = at + id.length + size.length;
    const dataEnd = size.unknown ? end : Math.min(end, dataStart + size.value);
    yield { id: id.value, start: dataStart, end: dataEnd };
    if (size.unknown && id.value !== ID.segment && id.value !== ID.cluster) return; // cannot skip it
    at = size.unknown ? dataStart : dataStart + size.value;
  }
}

const uint = (b: Uint8Array, e: Element) => b.subarray(e.start, e.end).reduce((v, x) => v * 256 + x, 0);

function float(b: Uint8Array, e: Element): number {
  const dv = view(b.subarray(e.start, e.end));
  if (dv.byteLength === 4) return dv.getFloat32(0);
  if (dv.byteLength === 8) return dv.getFloat64(0);
  throw new ProbeError("corrupt", "a Matroska float has a size other than 4 or 8");
}

interface Tracks {
  video: boolean;
  audio: boolean;
  width?: number;
  height?: number;
}

function parseTracks(r: Reader, b: Uint8Array, tracks: Element, out: Tracks): void {
  for (const entry of elements(r, b, tracks.start, tracks.end)) {
    if (entry.id !== ID.trackEntry) continue;
    for (const e of elements(r, b, entry.start, entry.end)) {
      if (e.id === ID.trackType) {
        const type = uint(b, e);
        if (type === 1) out.video = true;
        if (type === 2) out.audio = true;
      } else if (e.id === ID.video) {
        for (const v of elements(r, b, e.start, e.end)) {
          if (v.id === ID.pixelWidth) out.width ??= uint(b, v);
          if (v.id === ID.pixelHeight) out.height ??= uint(b, v);
        }
      }
    }
  }
}

/** The end time (in timecode units) of the last Cluster found in the file's tail. */
async function lastClusterEnd(r: Reader): Promise<number | undefined> {
  const from = Math.max(0, r.size - tailBytes);
  const tail = await r.read(from, tailBytes);
  for (let at = tail.length - 4; at >= 0; at--) {
    if (tail[at] !== 0x1f || tail[at + 1] !== 0x43 || tail[at + 2] !== 0xb6 || tail[at + 3] !== 0x75) continue;
    const size = vint(tail, at + 4, false);
    if (!size) continue;
    const start = at + 4 + size.length;
    let timecode: number | undefined;
    let last = 0;
    for (const e of elements(r, tail, start, size.unknown ? tail.length : Math.min(tail.length, start + size.value))) {
      if (e.id === ID.timecode) timecode = uint(tail, e);
      const block = e.id === ID.simpleBlock ? e : e.id === ID.blockGroup ? [...elements(r, tail, e.start, e.end)].find((x) => x.id === ID.block) : undefined;
      if (block) {
        const track = vint(tail, block.start, false);
        if (track && block.start + track.length + 2 <= block.end) last = Math.max(last, view(tail).getInt16(block.start + track.length));
      }
      if (e.id === ID.cluster) break;
    }
    if (timecode !== undefined) return timecode + last;
  }
  return undefined;
}

export async function probeMatroska(r: Reader): Promise<ProbeInfo> {
  const head = await r.read(0, Math.min(r.size, limits.probeReadBytesMax / 4));
  const top = [...elements(r, head, 0, head.length)];
  const ebml = top.find((e) => e.id === ID.ebml);
  const segment = top.find((e) => e.id === ID.segment);
  if (!ebml || !segment) throw new ProbeError("corrupt", "no EBML header or Segment");
  const docType = [...elements(r, head, ebml.start, ebml.end)].find((e) => e.id === ID.docType);
  const doc = docType ? new TextDecoder().decode(head.subarray(docType.start, docType.end)) : "";
  if (doc !== "webm" && doc !== "matroska") throw new ProbeError("unsupported", `EBML document type ${JSON.stringify(doc)}`);
  let scale = 1_000_000; // ns per timecode unit (the Matroska default)
  let duration: number | undefined;
  const tracks: Tracks = { video: false, audio: false };
  for (const e of elements(r, head, segment.start, segment.end)) {
    if (e.id === ID.info) {
      for (const i of elements(r, head, e.start, e.end)) {
        if (i.id === ID.timecodeScale) scale = uint(head, i) || scale;
        if (i.id === ID.duration) duration = float(head, i);
      }
    } else if (e.id === ID.tracks) parseTracks(r, head, e, tracks);
    else if (e.id === ID.cluster) break; // Info and Tracks come before the first Cluster
  }
  duration ??= await lastClusterEnd(r);
  const durationMs = duration !== undefined && Number.isFinite(duration) && duration >= 0 ? Math.round((duration * scale) / 1e6) : undefined;
  return {
    format: "matroska",
    durationMs,
    ...(tracks.video && tracks.width && tracks.height ? { width: tracks.width, height: tracks.height } : {}),
    video: tracks.video,
    audio: tracks.audio,
  };
}
