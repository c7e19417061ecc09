// Duration and dimensions of audio and video, read from container headers (no decoder).
import type { ProbeResult } from "./types.ts";

/** Never throws: an unknown or broken container is a value. */
export async function probeAudioVideo(path: string): Promise<ProbeResult> {
  void path;
  return { ok: false, code: "unsupported", detail: "not written yet" };
}
