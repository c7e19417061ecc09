// Recording a voice message: the microphone into MediaRecorder (Opus, see pickMime) and
// into an AnalyserNode whose level drives the live waveform. The levels sampled meanwhile
// are kept (bounded) as the fallback waveform; the real one is computed from the decoded
// recording. Stops by itself at voiceLimits.recordMsMax.
import { voiceLimits } from "./limits.ts";
import { pickMime } from "./player.ts";
import { barsFromLevels, barsFromSamples, levelOf } from "./waveform.ts";

export interface Recording {
  blob: Blob;
  mime: string;
  durationMs: number;
  waveform: Uint8Array;
}

export interface Recorder {
  /** Milliseconds recorded so far. */
  elapsedMs(): number;
  /** Stops and hands back the recording (null when shorter than recordMsMin). */
  stop(): Promise<Recording | null>;
  /** Stops and throws the recording away. */
  cancel(): void;
}

export interface RecorderHooks {
  onLevel(level: number): void; // every levelEveryMs, 0…1
  onLimit(): void; // recordMsMax reached: the caller stops (and sends)
}

export const canRecord = (): boolean =>
  typeof MediaRecorder !== "undefined" && !!navigator.mediaDevices?.getUserMedia && pickMime((m) => MediaRecorder.isTypeSupported(m)) !== null;

export async function startRecording(hooks: RecorderHooks): Promise<Recorder> {
  const mime = pickMime((m) => MediaRecorder.isTypeSupported(m));
  if (!mime) throw Object.assign(new Error("no Opus recorder"), { code: "voice_unsupported" });
  const stream = await navigator.mediaDevices.getUserMedia({ audio: { echoCancellation: true, noiseSuppression: true } });
  const audio = new AudioContext();
  const analyser = audio.createAnalyser();
  analyser.fftSize = 1024;
  audio.createMediaStreamSource(stream).connect(analyser);
  const frame = new Uint8Array(analyser.fftSize);
  const levels: number[] = [];
  const rec = new MediaRecorder(stream, { mimeType: mime, audioBitsPerSecond: 32_000 });
  const chunks: Blob[] = [];
  rec.ondataavailable = (e) => { if (e.data.size > 0) chunks.push(e.data); };
  const started = performance.now();
  let stoppedAt: number | null = null;
  rec.start(1000);

  const tick = setInterval(() => {
    analyser.getByteTimeDomainData(frame);
    const level = levelOf(frame);
    if (levels.length < voiceLimits.levelsMax) levels.push(level);
    hooks.onLevel(level);
    if (performance.now() - started >= voiceLimits.recordMsMax) hooks.onLimit();
  }, voiceLimits.levelEveryMs);

  const release = () => {
    clearInterval(tick);
    stream.getTracks().forEach((t) => t.stop());
    void audio.close().catch(() => undefined);
  };
  const ended = new Promise<void>((resolve) => rec.addEventListener("stop", () => resolve(), { once: true }));

  return {
    elapsedMs: () => Math.min(voiceLimits.recordMsMax, (stoppedAt ?? performance.now()) - started),
    cancel: () => {
      stoppedAt ??= performance.now();
      if (rec.state !== "inactive") rec.stop();
      release();
    },
    stop: async () => {
      stoppedAt ??= performance.now();
      const durationMs = Math.round(Math.min(voiceLimits.recordMsMax, stoppedAt - started));
      if (rec.state !== "inactive") rec.stop();
      await ended;
      release();
      if (durationMs < voiceLimits.recordMsMin) return null;
      const blob = new Blob(chunks, { type: mime.split(";")[0] });
      return { blob, mime, durationMs, waveform: await waveformOf(blob, levels) };
    },
  };
}

/** Peaks of the decoded recording; the levels sampled live when it cannot be decoded. */
async function waveformOf(blob: Blob, levels: number[]): Promise<Uint8Array> {
  const ctx = new OfflineAudioContext(1, 1, 8000);
  try {
    const decoded = await ctx.decodeAudioData(await blob.arrayBuffer());
    return barsFromSamples(decoded.getChannelData(0));
  } catch {
    return barsFromLevels(levels);
  }
}
