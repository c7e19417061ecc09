// Duration and dimensions of audio and video, read from container headers (no decoder).
// The first bytes choose the parser; every parser reads through the bounded Reader; the
// result is checked against the media bounds. Never throws: failures are values.
import { limits } from "../../limits.ts";
import { probeFlac } from "./flac.ts";
import { probeMatroska } from "./matroska.ts";
import { looksLikeMp3, probeMp3 } from "./mp3.ts";
import { probeMp4 } from "./mp4.ts";
import { probeOgg } from "./ogg.ts";
import { ascii, Reader } from "./reader.ts";
import { type ProbeInfo, type ProbeResult, ProbeError } from "./types.ts";
import { probeWav } from "./wav.ts";

function parserFor(head: Uint8Array): ((r: Reader) => Promise<ProbeInfo>) | null {
  if (ascii(head, 4, 4) === "ftyp") return probeMp4;
  if (head[0] === 0x1a && head[1] === 0x45 && head[2] === 0xdf && head[3] === 0xa3) return probeMatroska;
  if (ascii(head, 0, 4) === "OggS") return probeOgg;
  if (ascii(head, 0, 4) === "RIFF" && ascii(head, 8, 4) === "WAVE") return probeWav;
  if (ascii(head, 0, 4) === "fLaC") return probeFlac;
  if (looksLikeMp3(head)) return probeMp3;
  return null;
}

function bounded(info: ProbeInfo): ProbeResult {
  if (info.durationMs !== undefined && info.durationMs > limits.mediaDurationMsMax) {
    return { ok: false, code: "too_long", detail: `${info.durationMs} ms is longer than ${limits.mediaDurationMsMax} ms` };
  }
  if ((info.width ?? 0) > limits.imageSidePxMax || (info.height ?? 0) > limits.imageSidePxMax) {
    return { ok: false, code: "too_large", detail: `${info.width}x${info.height} has a side above ${limits.imageSidePxMax} px` };
  }
  return { ok: true, ...info };
}

export async function probeAudioVideo(path: string): Promise<ProbeResult> {
  let r: Reader | null = null;
  try {
    r = await Reader.open(path);
    const parse = parserFor(await r.read(0, 16));
    if (!parse) return { ok: false, code: "unsupported", detail: "not a container this server reads (MP4, WebM/Matroska, Ogg, MP3, WAV, FLAC)" };
    return bounded(await parse(r));
  } catch (err) {
    if (err instanceof ProbeError) return { ok: false, code: err.code, detail: err.message };
    // A DataView read past the end of a truncated box, an unreadable file.
    return { ok: false, code: "corrupt", detail: (err as Error).message.split("\n")[0]! };
  } finally {
    await r?.close();
  }
}
