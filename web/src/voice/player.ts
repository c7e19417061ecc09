// The arithmetic of the recorder and the voice bubble: durations as m:ss, the speed
// cycle, seeking by a tap on the waveform, which bars count as played, and the container
// to record into. Pure, unit-tested; the components only wire it to elements.
import { type PlaybackRate, playbackRates } from "./limits.ts";

/** 7_400 → "0:07", 75_000 → "1:15", 3_725_000 → "1:02:05". */
export function clock(ms: number): string {
  const s = Math.max(0, Math.floor((Number.isFinite(ms) ? ms : 0) / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${ss}` : `${m}:${ss}`;
}

export function nextRate(r: number): PlaybackRate {
  const i = playbackRates.indexOf(r as PlaybackRate);
  return playbackRates[(i + 1) % playbackRates.length]!;
}

/** Where (0…1) a tap at `x` falls on a waveform spanning `left`…`left + width`. */
export function seekFraction(x: number, left: number, width: number): number {
  if (!(width > 0)) return 0;
  return Math.min(1, Math.max(0, (x - left) / width));
}

/**
 * The length to show and to seek in: the element's own duration when it knows one, else
 * the stored one (a WebM from MediaRecorder has no duration header: Chromium says Infinity).
 */
export function lengthMs(elementSeconds: number, storedMs: number | undefined): number {
  if (Number.isFinite(elementSeconds) && elementSeconds > 0) return elementSeconds * 1000;
  return storedMs ?? 0;
}

/** Progress 0…1 of `currentMs` within `totalMs`. */
export function progressOf(currentMs: number, totalMs: number): number {
  return totalMs > 0 ? Math.min(1, Math.max(0, currentMs / totalMs)) : 0;
}

/** How many of `bars` bars are played at `progress`. */
export function playedBars(bars: number, progress: number): number {
  return Math.round(bars * progress);
}

/** Opus, in the first container this browser's MediaRecorder writes (Ogg seeks better). */
export const voiceMimes = ["audio/ogg;codecs=opus", "audio/webm;codecs=opus", "audio/webm", "audio/mp4"] as const;
export function pickMime(supported: (mime: string) => boolean): string | null {
  return voiceMimes.find((m) => supported(m)) ?? null;
}

/** A file name for the upload: the container's extension. */
export function voiceFileName(mime: string, at: Date): string {
  const ext = mime.startsWith("audio/ogg") ? "ogg" : mime.startsWith("audio/mp4") ? "m4a" : "webm";
  const stamp = at.toISOString().slice(0, 19).replace(/[:T]/g, "-");
  return `voice-${stamp}.${ext}`;
}
