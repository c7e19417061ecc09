// ISO base media (MP4, MOV, M4A, 3GP): moov/mvhd gives the duration, the tkhd of a track
// whose mdia/hdlr is 'vide' the size (16.16 fixed point; a 90/270 degree matrix swaps it).
// Fragmented files (MediaRecorder's MP4) have mvhd duration 0: mvex/mehd when present, else
// the last moof — its tfdt (where each track's fragment starts) plus its trun sample
// durations, in the track's mdhd timescale. Top-level boxes are skipped by their size, so
// moov may be at the end; only moov and the last moof are read whole.
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

interface TopLevel {
  moov: Uint8Array;
  lastMoof: { at: number; size: number } | null;
  complete: boolean; // every top-level box was walked (so lastMoof really is the last)
}

/** Walks the top-level box headers: reads moov whole and remembers where the last moof is. */
async function walkTopLevel(r: Reader): Promise<TopLevel> {
  let at = 0;
  let moov: Uint8Array | null = null;
  let lastMoof: TopLevel["lastMoof"] = null;
  for (let boxes = 0; at + 8 <= r.size; boxes++) {
    if (boxes >= limits.probeTopBoxesMax) {
      if (!moov) throw new ProbeError("corrupt", `no moov box among the first ${limits.probeTopBoxesMax} boxes`);
      return { moov, lastMoof, complete: false };
    }
    r.step();
    const head = await r.read(at, 16);
    need(head, 8, "a box header");
    const dv = view(head);
    let size = dv.getUint32(0);
    let header = 8;
    if (size === 1) {
      need(head, 16, "a large box header");
      size = u64(dv, 8);
      header = 16;
    } else if (size === 0) size = r.size - at;
    if (size < header) throw new ProbeError("corrupt", "a box is smaller than its header");
    const type = ascii(head, 4, 4);
    if (type === "moov") {
      moov = await r.read(at, size);
      need(moov, size, "the moov box");
    } else if (type === "moof") lastMoof = { at, size };
    at += size;
  }
  if (!moov) throw new ProbeError("corrupt", "no moov box (an unfinished recording?)");
  return { moov, lastMoof, complete: true };
}

function fullBoxTime(dv: DataView, start: number): { timescale: number; duration: number } {
  const version = dv.getUint8(start);
  return version === 1 ? { timescale: dv.getUint32(start + 20), duration: u64(dv, start + 24) } : { timescale: dv.getUint32(start + 12), duration: dv.getUint32(start + 16) };
}

interface Track {
  id: number;
  handler: string;
  width: number;
  height: number;
  timescale: number; // mdhd
  defaultSampleDuration: number; // mvex/trex
}

function parseTkhd(dv: DataView, buf: Uint8Array, box: Box, t: Track): void {
  const v1 = dv.getUint8(box.start) === 1;
  const matrix = box.start + (v1 ? 52 : 40);
  need(buf.subarray(0, box.end), matrix + 44, "tkhd");
  t.id = dv.getUint32(box.start + (v1 ? 20 : 12));
  const [a, b] = [dv.getInt32(matrix), dv.getInt32(matrix + 4)];
  const w = dv.getUint32(matrix + 36) / 65536;
  const h = dv.getUint32(matrix + 40) / 65536;
  const rotated = Math.abs(b) > Math.abs(a); // 90 or 270 degrees
  t.width = Math.round(rotated ? h : w);
  t.height = Math.round(rotated ? w : h);
}

function parseTrack(r: Reader, buf: Uint8Array, trak: Box): Track {
  const dv = view(buf);
  const t: Track = { id: 0, handler: "", width: 0, height: 0, timescale: 0, defaultSampleDuration: 0 };
  for (const box of children(r, buf, trak.start, trak.end)) {
    if (box.type === "tkhd") parseTkhd(dv, buf, box, t);
    else if (box.type === "mdia") {
      for (const m of children(r, buf, box.start, box.end)) {
        if (m.type === "hdlr" && m.start + 12 <= m.end) t.handler = ascii(buf, m.start + 8, 4);
        if (m.type === "mdhd" && m.start + 20 <= m.end) t.timescale = fullBoxTime(dv, m.start).timescale;
      }
    }
  }
  return t;
}

/** The latest end time (ms) over the tracks of one moof: tfdt + the sum of its trun durations. */
function moofEndMs(r: Reader, moof: Uint8Array, tracks: Map<number, Track>): number | undefined {
  const dv = view(moof);
  let end: number | undefined;
  for (const traf of children(r, moof, 8, moof.length)) {
    if (traf.type !== "traf") continue;
    let track: Track | undefined;
    let defaultDuration = 0;
    let base: number | undefined;
    let total = 0;
    for (const box of children(r, moof, traf.start, traf.end)) {
      const flags = dv.getUint32(box.start) & 0xffffff;
      if (box.type === "tfhd") {
        track = tracks.get(dv.getUint32(box.start + 4));
        defaultDuration = track?.defaultSampleDuration ?? 0;
        const at = box.start + 8 + (flags & 0x01 ? 8 : 0) + (flags & 0x02 ? 4 : 0); // base data offset, sample description index
        if (flags & 0x08) defaultDuration = dv.getUint32(at);
      } else if (box.type === "tfdt") {
        base = dv.getUint8(box.start) === 1 ? u64(dv, box.start + 4) : dv.getUint32(box.start + 4);
      } else if (box.type === "trun") {
        const count = dv.getUint32(box.start + 4);
        let at = box.start + 8 + (flags & 0x01 ? 4 : 0) + (flags & 0x04 ? 4 : 0);
        const fields = [0x100, 0x200, 0x400, 0x800].filter((f) => flags & f).length;
        if (at + count * fields * 4 > box.end) throw new ProbeError("corrupt", "trun overruns its box");
        for (let i = 0; i < count; i++, at += fields * 4) total += flags & 0x100 ? dv.getUint32(at) : defaultDuration;
      }
    }
    if (track && track.timescale > 0 && base !== undefined) end = Math.max(end ?? 0, Math.round(((base + total) * 1000) / track.timescale));
  }
  return end;
}

export async function probeMp4(r: Reader): Promise<ProbeInfo> {
  const top = await walkTopLevel(r);
  const moov = top.moov;
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
        if (m.type === "mehd" && timescale > 0) {
          const d = dv.getUint8(m.start) === 1 ? u64(dv, m.start + 4) : dv.getUint32(m.start + 4);
          if (d > 0) fragmentMs = Math.round((d * 1000) / timescale);
        }
        if (m.type === "trex" && m.start + 16 <= m.end) {
          const id = dv.getUint32(m.start + 4);
          const t = tracks.find((x) => x.id === id);
          if (t) t.defaultSampleDuration = dv.getUint32(m.start + 12);
        }
      }
    }
  }
  if (durationMs === undefined && fragmentMs === undefined && top.lastMoof && top.complete) {
    const moof = await r.read(top.lastMoof.at, top.lastMoof.size);
    need(moof, top.lastMoof.size, "the last moof box");
    fragmentMs = moofEndMs(r, moof, new Map(tracks.map((t) => [t.id, t])));
  }
  const video = tracks.find((t) => t.handler === "vide" && t.width > 0 && t.height > 0);
  const duration = durationMs ?? fragmentMs;
  return {
    format: "mp4",
    ...(duration !== undefined ? { durationMs: duration } : {}),
    ...(video ? { width: video.width, height: video.height } : {}),
    video: Boolean(video),
    audio: tracks.some((t) => t.handler === "soun"),
  };
}
