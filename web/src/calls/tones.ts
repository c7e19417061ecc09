// The ringtone and the ringback tone, generated with WebAudio (no audio files): two
// oscillators behind a gain that a timer opens and closes in the tone's cadence.
// `toneNow()` is what the e2e hook reports.
import { createEffect, onCleanup } from "solid-js";
import { calls } from "./store.ts";
import { type Tone, toneFor } from "./tone-choice.ts";
import { chatPrefs, globalPrefs } from "../notifications/prefs.ts";
import { callRings, isMuted } from "../notifications/rules.ts";
import { now } from "../ui/clock.ts";

// ring: a bright two-note chirp twice a second for 1 s, then 2 s quiet; ringback: the
// European 425 Hz, 1 s on and 4 s off, as callers know it from phones.
const cadence: Record<Tone, { freqs: [number, number]; onMs: number; offMs: number; gain: number }> = {
  ring: { freqs: [880, 660], onMs: 1000, offMs: 2000, gain: 0.12 },
  ringback: { freqs: [425, 425], onMs: 1000, offMs: 4000, gain: 0.08 },
};

interface Playing {
  tone: Tone;
  ctx: AudioContext;
  stop(): void;
}
let playing: Playing | null = null;

export function toneNow(): { tone: Tone | null; context: AudioContextState | null } {
  return { tone: playing?.tone ?? null, context: playing?.ctx.state ?? null };
}

function play(tone: Tone): Playing {
  const c = cadence[tone];
  const ctx = new AudioContext();
  const gain = ctx.createGain();
  gain.gain.value = 0;
  gain.connect(ctx.destination);
  const oscs = c.freqs.map((f) => {
    const o = ctx.createOscillator();
    o.frequency.value = f;
    o.connect(gain);
    o.start();
    return o;
  });
  const burst = () => {
    const t0 = ctx.currentTime;
    gain.gain.cancelScheduledValues(t0);
    if (tone === "ring") {
      // alternate the two notes every 125 ms inside the burst
      for (let i = 0; i < c.onMs / 125; i++) {
        const t = t0 + i * 0.125;
        oscs[0]!.frequency.setValueAtTime(i % 2 ? c.freqs[1] : c.freqs[0], t);
      }
    }
    gain.gain.setValueAtTime(c.gain, t0);
    gain.gain.setValueAtTime(0, t0 + c.onMs / 1000);
  };
  burst();
  const timer = setInterval(burst, c.onMs + c.offMs);
  // Autoplay rules may start the context suspended: the next touch or key resumes it.
  const resume = () => void ctx.resume().catch(() => undefined);
  addEventListener("pointerdown", resume, { once: true });
  addEventListener("keydown", resume, { once: true });
  return {
    tone,
    ctx,
    stop() {
      clearInterval(timer);
      removeEventListener("pointerdown", resume);
      removeEventListener("keydown", resume);
      for (const o of oscs) o.stop();
      void ctx.close().catch(() => undefined);
    },
  };
}

function set(tone: Tone | null): void {
  if (playing?.tone === tone) return;
  playing?.stop();
  playing = null;
  if (tone && typeof AudioContext !== "undefined") playing = play(tone);
}

/** Mounted once with the call layer: follows the call state, stops on unmount. */
export function CallTones() {
  // the chat's mute (timed or forever), its level and do-not-disturb, as for notifications
  const muted = (chatId: string) => {
    const p = chatPrefs(chatId);
    return !p || isMuted(p, now());
  };
  createEffect(() => set(toneFor(calls, muted, (chatId) => callRings(chatPrefs(chatId), globalPrefs(), now()))));
  onCleanup(() => set(null));
  return null;
}
