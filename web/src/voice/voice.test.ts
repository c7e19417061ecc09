import { expect, test } from "vitest";
import { voiceLimits } from "./limits.ts";
import { clock, lengthMs, nextRate, pickMime, playedBars, progressOf, seekFraction, voiceFileName } from "./player.ts";
import { barsFromLevels, barsFromSamples, fromBase64, levelOf, resample, toBase64 } from "./waveform.ts";

test("waveform from samples: at most 128 bars, loudest 255, silence flat", () => {
  const samples = new Float32Array(48_000);
  for (let i = 0; i < samples.length; i++) samples[i] = Math.sin(i / 10) * (i < 24_000 ? 0.1 : 0.5);
  const bars = barsFromSamples(samples);
  expect(bars.length).toBe(voiceLimits.waveformBarsMax);
  expect(Math.max(...bars)).toBe(255);
  expect(bars[0]!).toBeGreaterThan(40);
  expect(bars[0]!).toBeLessThan(60); // 0.1 of the loudest 0.5
  expect(barsFromSamples(new Float32Array(1000), 64).every((b) => b === 0)).toBe(true);
  expect(barsFromSamples(samples, 1000).length).toBe(128);
  expect(barsFromSamples(new Float32Array(3), 64).length).toBe(3); // never more bars than samples
});

test("waveform from live levels (the fallback) and resampling by the maximum", () => {
  expect(barsFromLevels([]).length).toBe(0);
  const levels = Array.from({ length: 1000 }, (_, i) => (i % 100) / 100);
  const bars = barsFromLevels(levels);
  expect(bars.length).toBe(128);
  expect(Math.max(...bars)).toBe(255);
  expect(resample([1, 5, 2, 8], 2)).toEqual([5, 8]);
  expect(resample([3, 7], 4)).toEqual([3, 3, 7, 7]);
  expect(resample([], 4)).toEqual([]);
});

test("levels of analyser frames: silence 0, full swing capped at 1", () => {
  expect(levelOf(new Uint8Array(256).fill(128))).toBe(0);
  expect(levelOf(Uint8Array.from({ length: 256 }, (_, i) => (i % 2 ? 255 : 0)))).toBe(1);
  const quiet = levelOf(Uint8Array.from({ length: 256 }, (_, i) => (i % 2 ? 138 : 118)));
  expect(quiet).toBeGreaterThan(0.1);
  expect(quiet).toBeLessThan(0.5);
});

test("base64 round trip; malformed or oversized input is safe", () => {
  const bars = Uint8Array.from({ length: 128 }, (_, i) => i * 2);
  expect(fromBase64(toBase64(bars))).toEqual([...bars]);
  expect(fromBase64("!!not base64")).toEqual([]);
  expect(fromBase64(undefined)).toEqual([]);
  expect(fromBase64(toBase64(new Uint8Array(300).fill(9))).length).toBe(128);
});

test("clock, speed cycle, seeking and played bars", () => {
  expect(clock(7_400)).toBe("0:07");
  expect(clock(75_000)).toBe("1:15");
  expect(clock(3_725_000)).toBe("1:02:05");
  expect(clock(Number.POSITIVE_INFINITY)).toBe("0:00");
  expect(clock(-5)).toBe("0:00");
  expect([nextRate(1), nextRate(1.5), nextRate(2), nextRate(3)]).toEqual([1.5, 2, 1, 1]);
  expect(seekFraction(150, 100, 200)).toBe(0.25);
  expect(seekFraction(50, 100, 200)).toBe(0);
  expect(seekFraction(400, 100, 200)).toBe(1);
  expect(seekFraction(150, 100, 0)).toBe(0);
  expect(lengthMs(Number.POSITIVE_INFINITY, 4200)).toBe(4200);
  expect(lengthMs(3.5, 4200)).toBe(3500);
  expect(lengthMs(Number.NaN, undefined)).toBe(0);
  expect(progressOf(500, 2000)).toBe(0.25);
  expect(progressOf(5000, 2000)).toBe(1);
  expect(progressOf(5, 0)).toBe(0);
  expect(playedBars(40, 0.5)).toBe(20);
});

test("container: Ogg first, then WebM; file names carry the extension", () => {
  expect(pickMime((m) => m.startsWith("audio/webm"))).toBe("audio/webm;codecs=opus");
  expect(pickMime(() => true)).toBe("audio/ogg;codecs=opus");
  expect(pickMime(() => false)).toBe(null);
  const at = new Date("2026-12-02T03:04:05Z");
  expect(voiceFileName("audio/ogg;codecs=opus", at)).toBe("voice-2026-12-02-03-04-05.ogg");
  expect(voiceFileName("audio/webm;codecs=opus", at)).toBe("voice-2026-12-02-03-04-05.webm");
});

test("the chat list names a voice message without a caption", async () => {
  const { voicePreview } = await import("./preview.ts");
  const m = { id: "m", chatId: "c", seq: 1, senderId: "u", clientId: null, text: "", entities: [], replyToId: null, forward: null, silent: false, createdAt: 1, editedAt: null, deletedAt: null,
    attachments: [{ id: "a", kind: "voice" as const, mime: "audio/ogg", name: "v.ogg", size: 9, durationMs: 7400, thumbs: false, poster: false }] };
  expect(voicePreview(m, "Voice message")).toBe("🎤 Voice message 0:07");
  expect(voicePreview({ ...m, text: "listen" }, "Voice message")).toBe("");
  expect(voicePreview({ ...m, deletedAt: 5 }, "Voice message")).toBe("");
  expect(voicePreview(null, "Voice message")).toBe("");
});
