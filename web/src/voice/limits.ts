// Bounds of voice messages in the web client (unit last). The server enforces its own
// (upload size, waveform bytes); these keep the recorder and the bubble bounded.
import { limits } from "../../../src/limits.ts";

export const voiceLimits = {
  recordMsMax: 15 * 60_000, // a recording stops by itself (and can be sent) after this long
  recordMsMin: 500, // anything shorter is a slip of the finger: discarded, nothing sent
  waveformBarsMax: limits.voiceWaveformBytesMax, // bars stored with the message: the server's bound, one byte per bar
  liveBars: 40, // bars of the live waveform while recording (the newest levels)
  levelEveryMs: 50, // the live level is sampled this often; the samples are the fallback waveform
  levelsMax: (15 * 60_000) / 50, // samples kept while recording (recordMsMax / levelEveryMs)
  holdMs: 300, // a press on the mic held this long records until released (shorter: a tap)
  cancelSlidePx: 80, // ...and sliding this far to the left while holding cancels it
  bubbleBars: 40, // bars drawn in a voice bubble (the stored waveform resampled)
} as const;

export const playbackRates = [1, 1.5, 2] as const;
export type PlaybackRate = (typeof playbackRates)[number];
