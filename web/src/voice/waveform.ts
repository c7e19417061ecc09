// Waveforms of voice messages: ≤ waveformBarsMax bars of 0–255 computed from the recording
// (peak per slice, scaled so the loudest bar is 255), sent with the upload as base64 and
// stored with the message; the bubble resamples them to the bars that fit its width.
import { voiceLimits } from "./limits.ts";

/** Peak amplitude per slice of `samples` (−1…1), `bars` slices, scaled to 0–255 by the loudest. */
export function barsFromSamples(samples: ArrayLike<number>, bars: number = voiceLimits.waveformBarsMax): Uint8Array {
  const n = Math.max(1, Math.min(bars, voiceLimits.waveformBarsMax, samples.length || 1));
  const peaks = new Float64Array(n);
  for (let i = 0; i < samples.length; i++) {
    const bar = Math.min(n - 1, Math.floor((i * n) / samples.length));
    const v = Math.abs(samples[i]!);
    if (v > peaks[bar]!) peaks[bar] = v;
  }
  return scale(peaks);
}

/** Levels (0…1, e.g. sampled while recording) to at most `bars` bars of 0–255. */
export function barsFromLevels(levels: readonly number[], bars: number = voiceLimits.waveformBarsMax): Uint8Array {
  return levels.length === 0 ? new Uint8Array(0) : scale(Float64Array.from(resample(levels, bars)));
}

function scale(peaks: Float64Array): Uint8Array {
  let max = 0;
  for (const p of peaks) if (p > max) max = p;
  // silence stays flat; a whisper is scaled up like a shout so the shape shows
  return Uint8Array.from(peaks, (p) => (max > 1e-4 ? Math.round((p / max) * 255) : 0));
}

/** `values` to exactly `n` values by the maximum of each group (or repeating when fewer). */
export function resample(values: ArrayLike<number>, n: number): number[] {
  if (values.length === 0 || n <= 0) return [];
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const from = Math.floor((i * values.length) / n);
    const to = Math.max(from + 1, Math.floor(((i + 1) * values.length) / n));
    let m = 0;
    for (let j = from; j < to; j++) m = Math.max(m, values[j]!);
    out.push(m);
  }
  return out;
}

/** RMS level (0…1) of one AnalyserNode time-domain frame (bytes centred on 128). */
export function levelOf(frame: ArrayLike<number>): number {
  if (frame.length === 0) return 0;
  let sum = 0;
  for (let i = 0; i < frame.length; i++) {
    const v = (frame[i]! - 128) / 128;
    sum += v * v;
  }
  // speech RMS rarely passes 0.3: stretch so normal speech fills the bar
  return Math.min(1, Math.sqrt(sum / frame.length) * 3);
}

export function toBase64(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

/** The stored waveform back to bars; anything malformed gives no bars (the bubble draws a flat line). */
export function fromBase64(b64: string | undefined | null): number[] {
  if (!b64) return [];
  try {
    const s = atob(b64);
    return Array.from(s.slice(0, voiceLimits.waveformBarsMax), (c) => c.charCodeAt(0));
  } catch {
    return [];
  }
}
