// MPEG audio (MP3): after an ID3v2 tag, the first frame header that is followed by a
// second valid one. A Xing/Info or VBRI header in that frame gives the frame count (exact
// for VBR); otherwise the duration is the constant bit rate over the audio bytes.
import { ascii, type Reader, view } from "./reader.ts";
import { type ProbeInfo, ProbeError } from "./types.ts";

const searchBytes = 64 * 1024; // where the first frame is looked for after the ID3 tag

const bitrates = {
  v1l1: [0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448],
  v1l2: [0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384],
  v1l3: [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],
  v2l1: [0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256],
  v2l23: [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
};
const sampleRates: Record<number, number[]> = { 3: [44100, 48000, 32000], 2: [22050, 24000, 16000], 0: [11025, 12000, 8000] };

interface Frame {
  bitrate: number; // bit/s
  sampleRate: number;
  samples: number; // per frame
  length: number; // bytes
  mpeg1: boolean;
  mono: boolean;
}

function frameAt(b: Uint8Array, at: number): Frame | null {
  if (at + 4 > b.length || b[at] !== 0xff || (b[at + 1]! & 0xe0) !== 0xe0) return null;
  const version = (b[at + 1]! >> 3) & 3; // 3 = MPEG1, 2 = MPEG2, 0 = MPEG2.5
  const layer = 4 - ((b[at + 1]! >> 1) & 3); // 1..3
  const rateIndex = b[at + 2]! >> 4;
  const srIndex = (b[at + 2]! >> 2) & 3;
  if (version === 1 || layer === 4 || rateIndex === 0 || rateIndex === 15 || srIndex === 3) return null;
  const mpeg1 = version === 3;
  const table = mpeg1 ? [bitrates.v1l1, bitrates.v1l2, bitrates.v1l3][layer - 1]! : layer === 1 ? bitrates.v2l1 : bitrates.v2l23;
  const bitrate = table[rateIndex]! * 1000;
  const sampleRate = sampleRates[version]![srIndex]!;
  const padding = (b[at + 2]! >> 1) & 1;
  const samples = layer === 1 ? 384 : layer === 3 && !mpeg1 ? 576 : 1152;
  const length = layer === 1 ? (Math.floor((12 * bitrate) / sampleRate) + padding) * 4 : Math.floor((samples / 8) * bitrate / sampleRate) + padding;
  return { bitrate, sampleRate, samples, length, mpeg1, mono: b[at + 3]! >> 6 === 3 };
}

function id3Length(head: Uint8Array): number {
  if (ascii(head, 0, 3) !== "ID3" || head.length < 10) return 0;
  const size = ((head[6]! & 0x7f) << 21) | ((head[7]! & 0x7f) << 14) | ((head[8]! & 0x7f) << 7) | (head[9]! & 0x7f);
  return 10 + size + (head[5]! & 0x10 ? 10 : 0);
}

/** Frames counted by an encoder's Xing/Info or VBRI header, if the first frame has one. */
function vbrFrames(b: Uint8Array, at: number, f: Frame): number | null {
  const dv = view(b);
  const xing = at + 4 + (f.mpeg1 ? (f.mono ? 17 : 32) : f.mono ? 9 : 17);
  const tag = ascii(b, xing, 4);
  if ((tag === "Xing" || tag === "Info") && xing + 12 <= b.length && dv.getUint32(xing + 4) & 1) return dv.getUint32(xing + 8);
  if (ascii(b, at + 36, 4) === "VBRI" && at + 54 <= b.length) return dv.getUint32(at + 50);
  return null;
}

export function looksLikeMp3(head: Uint8Array): boolean {
  return ascii(head, 0, 3) === "ID3" || frameAt(head, 0) !== null;
}

export async function probeMp3(r: Reader): Promise<ProbeInfo> {
  const start = id3Length(await r.read(0, 10));
  const b = await r.read(start, searchBytes);
  for (let at = 0; at + 4 <= b.length; at++) {
    const f = frameAt(b, at);
    if (!f) continue;
    r.step();
    if (at + f.length + 4 <= b.length && !frameAt(b, at + f.length)) continue; // a false sync
    const frames = vbrFrames(b, at, f);
    if (frames !== null) return { format: "mp3", durationMs: Math.round((frames * f.samples * 1000) / f.sampleRate), video: false, audio: true };
    const tail = await r.read(r.size - 128, 3);
    const audioBytes = r.size - start - at - (ascii(tail, 0, 3) === "TAG" ? 128 : 0);
    return { format: "mp3", durationMs: Math.round((audioBytes * 8 * 1000) / f.bitrate), video: false, audio: true };
  }
  throw new ProbeError("corrupt", "no MPEG audio frame");
}
