// Container probing against files made by ffmpeg (checked in under tests/fixtures/media,
// durations and sizes as ffprobe reports them) and files built here byte by byte.
import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { limits } from "../../limits.ts";
import { refineKind, sniff } from "../image/index.ts";
import { probeAudioVideo } from "./index.ts";

const fixtures = join(import.meta.dir, "..", "..", "..", "tests", "fixtures", "media");
const dir = mkdtempSync(join(tmpdir(), "hearth-probe-test-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const write = (name: string, bytes: Uint8Array) => {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
};

// ffprobe's figures for the fixtures (Opus: without the 6.5 ms pre-skip that ffprobe counts).
const expected: Record<string, object> = {
  "video-2s-64x48.mp4": { format: "mp4", durationMs: 2000, width: 64, height: 48, video: true, audio: true },
  "video-2s-64x48-moov-at-end.mp4": { format: "mp4", durationMs: 2000, width: 64, height: 48, video: true, audio: false },
  "video-2s-rotated90.mp4": { format: "mp4", durationMs: 2000, width: 48, height: 64, video: true, audio: false },
  "audio-2s.m4a": { format: "mp4", durationMs: 2000, video: false, audio: true },
  "video-2s-64x48.webm": { format: "matroska", durationMs: 2000, width: 64, height: 48, video: true, audio: false },
  "voice-1500ms-recorded.webm": { format: "matroska", durationMs: 1501, video: false, audio: true }, // no Duration element: from the last cluster
  "voice-1500ms.ogg": { format: "ogg", durationMs: 1500, video: false, audio: true },
  "vorbis-1500ms.ogg": { format: "ogg", durationMs: 1500, video: false, audio: true },
  "audio-3s-cbr.mp3": { format: "mp3", durationMs: 3056, video: false, audio: true },
  "audio-3s-vbr.mp3": { format: "mp3", durationMs: 3056, video: false, audio: true },
  "audio-1250ms.flac": { format: "flac", durationMs: 1250, video: false, audio: true },
};

test("files made by ffmpeg: durations and dimensions as ffprobe reports them", async () => {
  for (const [name, want] of Object.entries(expected)) {
    expect({ name, ...(await probeAudioVideo(join(fixtures, name))) }).toEqual({ name, ok: true, ...want } as never);
  }
});

test("a voice recording in WebM sniffs as video by magic and is audio after probing", async () => {
  const path = join(fixtures, "voice-1500ms-recorded.webm");
  const sniffed = await sniff(path);
  expect(sniffed.mime).toBe("video/webm");
  expect(refineKind(sniffed, await probeAudioVideo(path))).toEqual({ mime: "audio/webm", ext: "webm", kind: "audio", inline: true });
  const video = join(fixtures, "video-2s-64x48.webm");
  expect(refineKind(await sniff(video), await probeAudioVideo(video)).kind).toBe("video");
});

function wav(opts: { seconds: number; rate: number; channels: number; streaming?: boolean }): Uint8Array {
  const byteRate = opts.rate * opts.channels * 2;
  const data = Math.round(opts.seconds * byteRate);
  const b = new Uint8Array(44 + data);
  const dv = new DataView(b.buffer);
  const text = (at: number, s: string) => b.set(new TextEncoder().encode(s), at);
  text(0, "RIFF");
  dv.setUint32(4, 36 + data, true);
  text(8, "WAVE");
  text(12, "fmt ");
  dv.setUint32(16, 16, true);
  dv.setUint16(20, 1, true); // PCM
  dv.setUint16(22, opts.channels, true);
  dv.setUint32(24, opts.rate, true);
  dv.setUint32(28, byteRate, true);
  dv.setUint16(32, opts.channels * 2, true);
  dv.setUint16(34, 16, true);
  text(36, "data");
  dv.setUint32(40, opts.streaming ? 0xffffffff : data, true);
  return b;
}

test("WAV written here: duration from the data size and byte rate, streaming sizes from the file", async () => {
  expect(await probeAudioVideo(write("a.wav", wav({ seconds: 1.75, rate: 8000, channels: 1 })))).toEqual({ ok: true, format: "wav", durationMs: 1750, video: false, audio: true });
  expect(await probeAudioVideo(write("b.wav", wav({ seconds: 0.5, rate: 44100, channels: 2, streaming: true })))).toMatchObject({ ok: true, durationMs: 500 });
  // 100 KB at one byte per second claims 27 hours: too long.
  const slow = wav({ seconds: 1, rate: 50_000, channels: 1 });
  new DataView(slow.buffer).setUint32(28, 1, true);
  expect(await probeAudioVideo(write("slow.wav", slow))).toMatchObject({ ok: false, code: "too_long" });
});

const box = (type: string, ...payload: Uint8Array[]) => {
  const body = payload.reduce((a, p) => new Uint8Array([...a, ...p]), new Uint8Array());
  const b = new Uint8Array(8 + body.length);
  new DataView(b.buffer).setUint32(0, b.length);
  b.set(new TextEncoder().encode(type), 4);
  b.set(body, 8);
  return b;
};

function mvhd(timescale: number, duration: number): Uint8Array {
  const p = new Uint8Array(100);
  new DataView(p.buffer).setUint32(12, timescale);
  new DataView(p.buffer).setUint32(16, duration);
  return box("mvhd", p);
}

test("MP4 built here: mvhd duration, a duration beyond the bound, truncated boxes, endless boxes", async () => {
  const ftyp = box("ftyp", new TextEncoder().encode("isom\0\0\0\0isom"));
  expect(await probeAudioVideo(write("m.mp4", new Uint8Array([...ftyp, ...box("moov", mvhd(1000, 4321))])))).toEqual({ ok: true, format: "mp4", durationMs: 4321, video: false, audio: false });
  const long = limits.mediaDurationMsMax / 1000 + 1;
  expect(await probeAudioVideo(write("long.mp4", new Uint8Array([...ftyp, ...box("moov", mvhd(1, long))])))).toMatchObject({ ok: false, code: "too_long" });
  const moov = box("moov", mvhd(1000, 10));
  expect(await probeAudioVideo(write("cut.mp4", new Uint8Array([...ftyp, ...moov.subarray(0, 40)])))).toMatchObject({ ok: false, code: "corrupt" });
  expect(await probeAudioVideo(write("nomoov.mp4", ftyp))).toMatchObject({ ok: false, code: "corrupt" });
  // More top-level boxes than probeTopBoxesMax before a moov: refused, not walked forever.
  const many = new Uint8Array(ftyp.length + 8 * (limits.probeTopBoxesMax + 1));
  many.set(ftyp);
  for (let at = ftyp.length; at < many.length; at += 8) many.set(box("free"), at);
  expect(await probeAudioVideo(write("many.mp4", many))).toMatchObject({ ok: false, code: "corrupt" });
});

test("unknown, empty, truncated and missing files are typed values", async () => {
  expect(await probeAudioVideo(write("notes.txt", new TextEncoder().encode("hello")))).toMatchObject({ ok: false, code: "unsupported" });
  expect(await probeAudioVideo(write("empty", new Uint8Array()))).toMatchObject({ ok: false, code: "unsupported" });
  expect(await probeAudioVideo(join(dir, "missing.mp4"))).toMatchObject({ ok: false, code: "corrupt" });
  // A header cut short: never a throw; the Ogg one still names its codec but no length.
  const cut = { "video-2s-64x48.webm": "corrupt", "voice-1500ms.ogg": "ok, no duration", "audio-1250ms.flac": "corrupt", "audio-3s-cbr.mp3": "corrupt" };
  for (const [name, want] of Object.entries(cut)) {
    const r = await probeAudioVideo(write(`cut-${name}`, readFileSync(join(fixtures, name)).subarray(0, 40)));
    expect({ name, got: r.ok ? (r.durationMs === undefined ? "ok, no duration" : "ok") : r.code }).toEqual({ name, got: want });
  }
});
