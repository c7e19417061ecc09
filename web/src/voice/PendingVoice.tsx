// A voice message still in the outbox: its waveform and length as recorded, the upload's
// progress, and cancel (which stops the upload and drops the message).
import { For, Index, Show } from "solid-js";
import { t } from "../i18n/index.ts";
import { cancelSend } from "../media/actions.ts";
import { uploadProgress } from "../media/sending.ts";
import type { OutboxItem } from "../sync/outbox.ts";
import { voiceLimits } from "./limits.ts";
import { clock } from "./player.ts";
import { VoiceIcon } from "./VoiceIcons.tsx";
import { fromBase64, resample } from "./waveform.ts";
import "./voice.css";

export function PendingVoice(props: { item: OutboxItem }) {
  const voices = () => (props.item.attachments ?? []).filter((a) => a.purpose === "voice");
  const pct = () => {
    const p = uploadProgress[props.item.clientId];
    return p && p.total > 0 ? Math.floor((p.sent / p.total) * 100) : 0;
  };
  return (
    <For each={voices()}>
      {(a) => (
        <div class="voice-msg mine pending-voice" classList={{ bare: !props.item.text.trim() }}>
          <span class="voice-play" aria-hidden="true"><VoiceIcon name="mic" size={22} /></span>
          <div class="voice-body">
            <div class="voice-wave" aria-hidden="true">
              <Index each={resample(fromBase64(a.waveform), voiceLimits.bubbleBars)}>
                {(b) => <span class="vbar" style={{ height: `${Math.max(12, Math.round((b() / 255) * 100))}%` }} />}
              </Index>
            </div>
            <div class="voice-meta">
              <span class="voice-time">{clock(a.durationMs ?? 0)}</span>
              <Show when={props.item.state === "pending"}>
                <progress max="100" value={pct()} aria-label={t("voiceSending")} />
                <button type="button" class="voice-rate" onClick={() => void cancelSend(props.item.clientId)}>{t("cancelUpload")}</button>
              </Show>
            </div>
          </div>
        </div>
      )}
    </For>
  );
}
