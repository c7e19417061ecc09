// ISO base media (MP4, MOV, M4A, 3GP): moov/mvhd gives the duration, the tkhd of a track
// whose mdia/hdlr is 'vide' the size (16.16 fixed point; a 90/270 degree matrix swaps it).
// Fragmented files with mvhd duration 0 use mvex/mehd. The moov box may be at the end:
// top-level boxes are skipped by their size without reading them.
import { limits } from "../../limits.ts";
import { ascii, need, type Reader, u64, view } from "./reader.ts";
import { type ProbeInfo, ProbeError } from "./types.ts";

interface Box {
  type: string;
  start: number; // of the payload
  end: number;
}

/** Boxes inside [start, end) of `buf` (a box read whole). */
function* children(r: Reader, buf: Uint8Array, start: number, end: number): Generator<Box> {
  const dv = view(buf);
  let at = start;
  while (at + 8 <= end) {
    r.step();
    let size = dv.getUint32(at);
    let header = 8;
    if (size === 1) {
      if (at + 16 > end) break;
      size = u64(dv, at + 8);
      header = 16;
    } else if (size === 0) size = end - at;
    if (size < header || at + size > end) throw new ProbeError("corrupt", `box ${ascii(buf, at + 4, 4)} overruns its parent`);
    yield { type: ascii(buf, at + 4, 4), start: at + header, end: at + size };
    at += size;
  }
}

/** Finds the top-level moov box by walking box headers through the file. */
async function readMoov(r: Reader): Promise<Uint8Array> {
  let at = 0;
  for (let boxes = 0; at + 8 <= r.size; boxes++) {
    if (boxes >= limits.probeTopBoxesMax) throw new ProbeError("corrupt", `no moov box among the first ${limits.probeTopBoxesMax} boxes`);
    r.step();
    const head = await r.read(at, 16);
    const dv = view(head);
    let size = dv.getUint32(0);
    let header = 8;
    if (size === 1) {
      need(head, 16, "a large box header");
      size = u64(dv, 8);
      header = 16;
    } else if (size === 0) size = r.size - at;
    if (size < header) throw new ProbeError("corrupt", "a box is smaller than its header");
    if (ascii(head, 4, 4) === "moov") {
      const body = await r.read(at, size);
      need(body, size, "the moov box");
      return body;
    }
    at += size;
  }
  throw new ProbeError("corrupt", "no moov box (an unfinished recording?)");
}

function fullBoxTime(dv: DataView, start: number): { timescale: number; duration: number } {
  const version = dv.getUint8(start);
  return version === 1 ? { timescale: dv.getUint32(start + 20), duration: u64(dv, start + 24) } : { timescale: dv.getUint32(start + 12), duration: dv.getUint32(start + 16) };
}

interface Track {
  handler: string;
  width: number;
  height: number;
}

function parseTrack(r: Reader, buf: Uint8Array, trak: Box): Track {
  const dv = view(buf);
  const t: Track = { handler: "", width: 0, height: 0 };
  for (const box of children(r, buf, trak.start, trak.end)) {
    if (box.type === "tkhd") {
      const v1 = dv.getUint8(box.start) === 1;
      const matrix = box.start + (v1 ? 52 : 40);
      need(buf.subarray(0, box.end), matrix + 44, "tkhd");
      const [a, b] = [dv.getInt32(matrix), dv.getInt32(matrix + 4)];
      const w = dv.getUint32(matrix + 36) / 65536;
      const h = dv.getUint32(matrix + 40) / 65536;
      const rotated = Math.abs(b) > Math.abs(a); // 90 or 270 degrees
      t.width = Math.round(rotated ? h : w);
      t.height = Math.round(rotated ? w : h);
    } else if (box.type === "mdia") {
      for (const m of children(r, buf, box.start, box.end)) {
        if (m.type === "hdlr" && m.start + 12 <= m.end) t.handler = ascii(buf, m.start + 8, 4);
      }
    }
  }
  return t;
}

export async function probeMp4(r: Reader): Promise<ProbeInfo> {
  const moov = await readMoov(r);
  const dv = view(moov);
  let durationMs: number | undefined;
  let fragmentMs: number | undefined;
  let timescale = 0;
  const tracks: Track[] = [];
  for (const box of children(r, moov, dv.getUint32(0) === 1 ? 16 : 8, moov.length)) {
    if (box.type === "mvhd") {
      need(moov.subarray(0, box.end), box.start + 32, "mvhd");
      const t = fullBoxTime(dv, box.start);
      timescale = t.timescale;
      const unknown = t.duration === 0xffffffff || t.duration === 0;
      if (t.timescale > 0 && !unknown) durationMs = Math.round((t.duration * 1000) / t.timescale);
    } else if (box.type === "trak") {
      tracks.push(parseTrack(r, moov, box));
    } else if (box.type === "mvex") {
      for (const m of children(r, moov, box.start, box.end)) {
        if (m.type !== "mehd" || timescale <= 0) continue;
        const d = dv.getUint8(m.start) === 1 ? u64(dv, m.start + 4) : dv.getUint32(m.start + 4);
        fragmentMs = Math.round((d * 1000) / timescale);
      }
    }
  }
  const video = tracks.find((t) => t.handler === "vide" && t.width > 0 && t.height > 0);
  return {
    format: "mp4",
    durationMs: durationMs ?? fragmentMs,
    ...(video ? { width: video.width, height: video.height } : {}),
    video: Boolean(video),
    audio: tracks.some((t) => t.handler === "soun"),
  };
}
