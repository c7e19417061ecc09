// The message sound: a short two-note chime made with WebAudio (no audio file), like the
// call tones in ../calls/tones.ts. At most one per chimeGapMs, so a burst of messages
// chimes once. One AudioContext, made on first use and resumed by the next touch or key
// when autoplay rules started it suspended.
let ctx: AudioContext | null = null;
let last = 0;
let played = 0; // for the e2e hook
const chimeGapMs = 1500;

export const chimesPlayed = () => played;

function context(): AudioContext | null {
  if (typeof AudioContext === "undefined") return null;
  if (!ctx) {
    ctx = new AudioContext();
    const resume = () => void ctx?.resume().catch(() => undefined);
    addEventListener("pointerdown", resume);
    addEventListener("keydown", resume);
  }
  return ctx;
}

export function chime(now = Date.now()): void {
  if (now - last < chimeGapMs) return;
  last = now;
  const c = context();
  if (!c) return;
  played++;
  const t0 = c.currentTime;
  for (const [i, freq] of [988, 1319].entries()) {
    const osc = c.createOscillator();
    const gain = c.createGain();
    osc.type = "sine";
    osc.frequency.value = freq;
    const start = t0 + i * 0.09;
    gain.gain.setValueAtTime(0, start);
    gain.gain.linearRampToValueAtTime(0.1, start + 0.01);
    gain.gain.exponentialRampToValueAtTime(0.0001, start + 0.25);
    osc.connect(gain).connect(c.destination);
    osc.start(start);
    osc.stop(start + 0.3);
  }
}
