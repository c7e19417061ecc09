// Which voice messages this device has played (kept on this device only, bounded), and
// the playback speed chosen last (one for all voice messages, like the big messengers).
import { createSignal } from "solid-js";
import { type PlaybackRate, playbackRates } from "./limits.ts";

const playedKey = "hearth.voice.played";
const rateKey = "hearth.voice.rate";
const playedMax = 1000; // remembered ids; the oldest are forgotten beyond this

const read = (): string[] => {
  try {
    const v = JSON.parse(localStorage.getItem(playedKey) ?? "[]") as unknown;
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string").slice(-playedMax) : [];
  } catch {
    return [];
  }
};

const [played, setPlayed] = createSignal<ReadonlySet<string>>(new Set(read()));
export const isPlayed = (mediaId: string): boolean => played().has(mediaId);
export function markPlayed(mediaId: string): void {
  if (played().has(mediaId)) return;
  const ids = [...played(), mediaId].slice(-playedMax);
  setPlayed(new Set(ids));
  try {
    localStorage.setItem(playedKey, JSON.stringify(ids));
  } catch {
    // storage full or denied: the dot comes back after a reload, nothing worse
  }
}

const stored = Number(globalThis.localStorage?.getItem(rateKey));
const [rate, setRateSignal] = createSignal<PlaybackRate>(playbackRates.includes(stored as PlaybackRate) ? (stored as PlaybackRate) : 1);
export { rate };
export function setRate(r: PlaybackRate): void {
  setRateSignal(r);
  try {
    localStorage.setItem(rateKey, String(r));
  } catch {
    // not kept: the next page load starts at 1×
  }
}

/** One voice message plays at a time: starting one pauses the one before. */
let current: HTMLAudioElement | null = null;
export function claimPlayback(el: HTMLAudioElement): void {
  if (current && current !== el) current.pause();
  current = el;
}
