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
  let rec: Recorder | null = null;
  let chatId = props.chatId; // the chat it was recorded for, even if another opens meanwhile

  const start = async () => {
    if (!canRecord()) return props.onError(t("voiceUnsupported"));
    chatId = props.chatId;
    setPhase("starting");
    setNote("");
    setLevels([]);
    setElapsed(0);
    try {
      rec = await startRecording({
        onLevel: (l) => {
          setLevels((xs) => [...xs.slice(-(voiceLimits.liveBars - 1)), l]);
          setElapsed(rec?.elapsedMs() ?? 0);
        },
        onLimit: () => {
          setNote(t("voiceLimitReached", { minutes: String(voiceLimits.recordMsMax / 60_000) }));
          void stop();
        },
      });
      setPhase("recording");
    } catch (e) {
      setPhase("idle");
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
    rec?.cancel();
    rec = null;
    setReady(null);
    setPhase("idle");
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
      <button type="button" class="send-btn voice-mic" aria-label={t("recordVoice")} disabled={phase() !== "idle"} onClick={() => void start()}>
        <VoiceIcon name="mic" />
      </button>
      <Show when={phase() !== "idle"}>
        <div class={`voice-rec ${phase()}`} role="group" aria-label={t("recording")}>
          <button type="button" class="icon-btn" aria-label={t("cancelRecording")} disabled={phase() === "sending"} onClick={cancel}>
            <VoiceIcon name="trash" />
          </button>
          <span class="rec-dot" aria-hidden="true" />
          <span class="rec-time" role="timer" aria-live="off">{clock(phase() === "recording" || phase() === "starting" ? elapsed() : (ready()?.durationMs ?? 0))}</span>
          <div class="rec-wave" aria-hidden="true">
            <Index each={shape()}>{(l) => <span class="vbar" style={{ height: `${Math.max(8, Math.round(l() * 100))}%` }} />}</Index>
          </div>
          <Show when={note() || phase() === "sending"}>
            <span class="rec-note" role="status">{phase() === "sending" ? t("voiceSending") : note()}</span>
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
