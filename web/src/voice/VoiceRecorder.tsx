// The composer's microphone (shown while the text box is empty): a tap starts recording,
// and a bar over the composer row shows a red dot, the time, the live waveform, and
// cancel / stop / send. Stop keeps the recording (its waveform and length) for a look
// before sending; the recording stops by itself at voiceLimits.recordMsMax.
import { createSignal, Index, onCleanup, Show } from "solid-js";
import { errorOf, t } from "../i18n/index.ts";
import { voiceLimits } from "./limits.ts";
import { clock } from "./player.ts";
import { canRecord, type Recorder, type Recording, startRecording } from "./recorder.ts";
import { sendVoice } from "./send.ts";
import { VoiceIcon } from "./VoiceIcons.tsx";
import { resample } from "./waveform.ts";
import "./voice.css";

type Phase = "idle" | "starting" | "recording" | "ready" | "sending";

export function VoiceRecorder(props: { chatId: string; replyToId?: string; onSent: () => void; onError: (text: string) => void }) {
  const [phase, setPhase] = createSignal<Phase>("idle");
  const [elapsed, setElapsed] = createSignal(0);
  const [levels, setLevels] = createSignal<number[]>([]);
  const [ready, setReady] = createSignal<Recording | null>(null);
  const [note, setNote] = createSignal("");
  const [holding, setHolding] = createSignal(false); // recording while the mic is held down
  let rec: Recorder | null = null;
  let chatId = props.chatId; // the chat it was recorded for, even if another opens meanwhile
  let take = 0; // which recording is current: a cancel while the microphone opens ends that one
  let sendWhenReady = false; // released (hold) before the microphone was open

  const start = async () => {
    if (phase() !== "idle") return;
    if (!canRecord()) return props.onError(t("voiceUnsupported"));
    const mine = ++take;
    chatId = props.chatId;
    setPhase("starting");
    setNote("");
    setLevels([]);
    setElapsed(0);
    try {
      const r = await startRecording({
        onLevel: (l) => {
          setLevels((xs) => [...xs.slice(-(voiceLimits.liveBars - 1)), l]);
          setElapsed(rec?.elapsedMs() ?? 0);
        },
        onLimit: () => {
          setNote(t("voiceLimitReached", { minutes: String(voiceLimits.recordMsMax / 60_000) }));
          void stop();
        },
      });
      if (mine !== take) return r.cancel(); // cancelled while the microphone opened
      rec = r;
      setPhase("recording");
      if (sendWhenReady) {
        sendWhenReady = false;
        void send();
      }
    } catch (e) {
      if (mine !== take) return;
      setPhase("idle");
      setHolding(false);
      const name = (e as Error).name;
      props.onError(name === "NotAllowedError" || name === "SecurityError" ? t("micDenied") : errorOf(e));
    }
  };
  const stop = async (): Promise<Recording | null> => {
    const r = rec;
    rec = null;
    if (!r) return ready();
    const done = await r.stop();
    setReady(done);
    setPhase(done ? "ready" : "idle");
    return done;
  };
  const cancel = () => {
    take++;
    sendWhenReady = false;
    setHolding(false);
    rec?.cancel();
    rec = null;
    setReady(null);
    setPhase("idle");
  };

  // hold to record: pressed longer than holdMs records until released (then sends); sliding
  // left by cancelSlidePx cancels. A shorter press is a tap: record until Stop or Send.
  let holdTimer: ReturnType<typeof setTimeout> | undefined;
  let pressX = 0;
  let wasHold = false;
  const onPress = (e: PointerEvent) => {
    if (phase() !== "idle" || e.button !== 0) return;
    pressX = e.clientX;
    wasHold = false;
    (e.currentTarget as HTMLElement).setPointerCapture(e.pointerId);
    holdTimer = setTimeout(() => {
      wasHold = true;
      setHolding(true);
      void start();
    }, voiceLimits.holdMs);
  };
  const onSlide = (e: PointerEvent) => {
    if (holding() && pressX - e.clientX > voiceLimits.cancelSlidePx) cancel();
  };
  const onRelease = () => {
    clearTimeout(holdTimer);
    if (!holding()) return;
    setHolding(false);
    if (phase() === "starting") sendWhenReady = true;
    else void send();
  };
  const onTap = (e: MouseEvent) => {
    if (wasHold) {
      wasHold = false;
      return e.preventDefault();
    }
    void start();
  };
  const send = async () => {
    const done = phase() === "recording" ? await stop() : ready();
    if (!done) return;
    setPhase("sending");
    try {
      await sendVoice(chatId, done, props.replyToId);
      setReady(null);
      setPhase("idle");
      props.onSent();
    } catch (e) {
      setPhase("ready");
      props.onError(errorOf(e));
    }
  };
  onCleanup(() => rec?.cancel());

  // the live bars fill from the right, like a strip moving left
  const live = () => [...Array<number>(Math.max(0, voiceLimits.liveBars - levels().length)).fill(0), ...levels()];
  const shape = () => {
    const w = ready()?.waveform;
    return w && w.length > 0 ? resample(w, voiceLimits.liveBars).map((b) => b / 255) : live();
  };

  return (
    <>
      <button
        type="button"
        class="send-btn voice-mic"
        aria-label={t("recordVoice")}
        title={t("holdToRecord")}
        aria-disabled={phase() !== "idle"}
        onPointerDown={onPress}
        onPointerMove={onSlide}
        onPointerUp={onRelease}
        onPointerCancel={onRelease}
        onContextMenu={(e) => e.preventDefault()}
        onClick={onTap}
      >
        <VoiceIcon name="mic" />
      </button>
      <Show when={phase() !== "idle"}>
        <div class={`voice-rec ${phase()}${holding() ? " holding" : ""}`} role="group" aria-label={t("recording")}>
          <button type="button" class="icon-btn" aria-label={t("cancelRecording")} disabled={phase() === "sending"} onClick={cancel}>
            <VoiceIcon name="trash" />
          </button>
          <span class="rec-dot" aria-hidden="true" />
          <span class="rec-time" role="timer" aria-live="off">{clock(phase() === "recording" || phase() === "starting" ? elapsed() : (ready()?.durationMs ?? 0))}</span>
          <div class="rec-wave" aria-hidden="true">
            <Index each={shape()}>{(l) => <span class="vbar" style={{ height: `${Math.max(8, Math.round(l() * 100))}%` }} />}</Index>
          </div>
          <Show when={note() || holding() || phase() === "sending"}>
            <span class="rec-note" role="status">{phase() === "sending" ? t("voiceSending") : holding() ? t("holdHint") : note()}</span>
          </Show>
          <Show when={phase() === "recording"}>
            <button type="button" class="icon-btn rec-stop" aria-label={t("stopRecording")} onClick={() => void stop()}>
              <VoiceIcon name="stop" />
            </button>
          </Show>
          <button type="button" class="send-btn" aria-label={t("sendVoice")} disabled={phase() === "starting" || phase() === "sending"} onClick={() => void send()}>
            <svg class="icon" width="20" height="20" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true"><path d="M4 12l16-8-6 16-3-7-7-1z" /></svg>
          </button>
        </div>
      </Show>
    </>
  );
}
