// What the container parsers answer: facts read from headers, no decoder involved.
export type ProbeFormat = "mp4" | "matroska" | "ogg" | "mp3" | "wav" | "flac";

export interface ProbeInfo {
  format: ProbeFormat;
  durationMs?: number;
  width?: number; // only with a video track; display orientation (a 90/270 rotation swaps them)
  height?: number;
  video: boolean;
  audio: boolean;
}

export type ProbeFailureCode = "unsupported" | "corrupt" | "too_long" | "too_large";

export type ProbeResult = ({ ok: true } & ProbeInfo) | { ok: false; code: ProbeFailureCode; detail: string };

/** Thrown inside a parser, turned into a ProbeResult at the edge of probeAudioVideo. */
export class ProbeError extends Error {
  constructor(
    readonly code: ProbeFailureCode,
    message: string,
  ) {
    super(message);
  }
}
