// A voice message in a bubble: play/pause, the stored waveform as bars (played ones
// filled) that seek on a tap or with the arrow keys, the time (length, or position while
// playing), and the speed (1× → 1.5× → 2×). Others' messages carry a dot until played here.
import { createSignal, For, Index, onCleanup, Show } from "solid-js";
import type { Attachment } from "../media/types.ts";
import { t } from "../i18n/index.ts";
import { voiceLimits } from "./limits.ts";
import { claimPlayback, isPlayed, markPlayed, rate, setRate } from "./played.ts";
import { clock, lengthMs, nextRate, playedBars, progressOf, seekFraction } from "./player.ts";
import { VoiceIcon } from "./VoiceIcons.tsx";
import { fromBase64, resample } from "./waveform.ts";
import "./voice.css";

export const isVoice = (a: Attachment): boolean => a.kind === "voice";

/** The voice attachments of a message (other kinds are shown by media/). */
/** `bare`: no caption, so the message's time sits beside the voice controls. */
export function VoiceAttachments(props: { attachments: Attachment[] | undefined; mine: boolean; bare: boolean }) {
  return (
    <For each={(props.attachments ?? []).filter(isVoice)}>
      {(a) => <VoiceMessage media={a} mine={props.mine} bare={props.bare} />}
    </For>
  );
}

export function VoiceMessage(props: { media: Attachment; mine: boolean; bare?: boolean }) {
  let audio!: HTMLAudioElement;
  const [playing, setPlaying] = createSignal(false);
  const [nowMs, setNowMs] = createSignal(0);
  const [elementS, setElementS] = createSignal(Number.NaN);
  const total = () => lengthMs(elementS(), props.media.durationMs);
  const progress = () => progressOf(nowMs(), total());
  const bars = () => {
    const stored = fromBase64(props.media.waveform);
    return stored.length > 0 ? resample(stored, voiceLimits.bubbleBars) : Array<number>(voiceLimits.bubbleBars).fill(0);
  };
  const played = () => playedBars(bars().length, progress());

  let raf = 0;
  const follow = () => {
    setNowMs(audio.currentTime * 1000);
    if (!audio.paused) raf = requestAnimationFrame(follow);
  };
  onCleanup(() => {
    cancelAnimationFrame(raf);
    audio?.pause();
  });

  const toggle = () => {
    if (!audio.paused) return audio.pause();
    claimPlayback(audio);
    audio.playbackRate = rate();
    void audio.play().catch(() => setPlaying(false));
  };
  const seekTo = (fraction: number) => {
    const ms = fraction * total();
    audio.currentTime = ms / 1000;
    setNowMs(ms);
  };
  const onWaveKey = (e: KeyboardEvent) => {
    const step = e.key === "ArrowRight" ? 5000 : e.key === "ArrowLeft" ? -5000 : 0;
    if (!step) return;
    e.preventDefault();
    seekTo(progressOf(nowMs() + step, total()));
  };
  const cycleRate = () => {
    const r = nextRate(rate());
    setRate(r);
    audio.playbackRate = r;
  };

  return (
    <div class="voice-msg" classList={{ mine: props.mine, bare: props.bare }} data-media-id={props.media.id}>
      <button type="button" class="voice-play" aria-label={playing() ? t("pauseVoice") : t("playVoice")} onClick={(e) => { e.stopPropagation(); toggle(); }}>
        <VoiceIcon name={playing() ? "pause" : "play"} size={22} />
      </button>
      <div class="voice-body">
        <div
          class="voice-wave"
          role="slider"
          tabindex="0"
          aria-label={t("voicePosition")}
          aria-valuemin="0"
          aria-valuemax={Math.round(total() / 1000)}
          aria-valuenow={Math.round(nowMs() / 1000)}
          aria-valuetext={`${clock(nowMs())} / ${clock(total())}`}
          onClick={(e) => {
            e.stopPropagation(); // a tap on the waveform seeks; it does not open the message's sheet
            const box = e.currentTarget.getBoundingClientRect();
            seekTo(seekFraction(e.clientX, box.left, box.width));
          }}
          onKeyDown={onWaveKey}
        >
          <Index each={bars()}>
            {(b, i) => <span class={i < played() ? "vbar played" : "vbar"} style={{ height: `${Math.max(12, Math.round((b() / 255) * 100))}%` }} />}
          </Index>
        </div>
        <div class="voice-meta">
          <span class="voice-time">{clock(playing() || nowMs() > 0 ? nowMs() : total())}</span>
          <Show when={!props.mine && !isPlayed(props.media.id)}>
            <span class="voice-unplayed" role="img" aria-label={t("voiceMessage")} />
          </Show>
          <button type="button" class="voice-rate" aria-label={t("playbackSpeed", { rate: String(rate()) })} onClick={(e) => { e.stopPropagation(); cycleRate(); }}>
            {rate()}×
          </button>
        </div>
      </div>
      <audio
        ref={audio}
        src={`/media/${encodeURIComponent(props.media.id)}`}
        preload="none"
        onPlay={() => {
          setPlaying(true);
          markPlayed(props.media.id);
          follow();
        }}
        onPause={() => setPlaying(false)}
        onEnded={() => {
          setPlaying(false);
          setNowMs(0);
          audio.currentTime = 0;
        }}
        onDurationChange={() => setElementS(audio.duration)}
        onTimeUpdate={() => setNowMs(audio.currentTime * 1000)}
      />
    </div>
  );
}
