// A chat's notifications in its info panel: all messages / mentions only / nothing, and a
// mute for 1 hour, 8 hours, 1 week or until unmuted (chat.notify). Muted shows until when.
import { For, Show } from "solid-js";
import { locale, t } from "../i18n/index.ts";
import { state } from "../sync/store.ts";
import { now } from "../ui/clock.ts";
import { chatPrefsOf, isMuted, type Level, muteForeverMs, type MuteChoice, muteUntilFor } from "./rules.ts";
import { saveChatPrefs } from "./server.ts";

type Guard = (p: Promise<unknown>) => Promise<void>;

export function untilText(at: number): string {
  return new Date(at).toLocaleString(locale(), { weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" });
}

export function ChatNotify(props: { chatId: string; guard: Guard }) {
  const prefs = () => chatPrefsOf(state.chats[props.chatId]?.me ?? {});
  const muted = () => isMuted(prefs(), now());
  const levels: Level[] = ["all", "mentions", "none"];
  const levelLabel = (l: Level) => ({ all: t("levelAll"), mentions: t("levelMentions"), none: t("levelNone") })[l];
  const mutes: MuteChoice[] = ["1h", "8h", "1w", "forever"];
  const muteLabel = (m: MuteChoice) => ({ "1h": t("mute1h"), "8h": t("mute8h"), "1w": t("mute1w"), forever: t("muteForever") })[m];
  const save = (patch: Parameters<typeof saveChatPrefs>[1]) => props.guard(saveChatPrefs(props.chatId, patch));
  return (
    <section class="info-section notify-settings" aria-label={t("notifications")}>
      <h3>{t("notifications")}</h3>
      <fieldset>
        <legend>{t("notifyLevel")}</legend>
        <div class="choice-row" role="radiogroup" aria-label={t("notifyLevel")}>
          <For each={levels}>
            {(l) => (
              <button type="button" role="radio" aria-checked={prefs().level === l} class={prefs().level === l ? "chip active" : "chip"} onClick={() => void save({ level: l })}>
                {levelLabel(l)}
              </button>
            )}
          </For>
        </div>
      </fieldset>
      <Show
        when={muted()}
        fallback={
          <fieldset>
            <legend>{t("muteFor")}</legend>
            <div class="choice-row" role="group" aria-label={t("muteFor")}>
              <For each={mutes}>{(m) => <button type="button" class="chip" onClick={() => void save({ muteUntil: muteUntilFor(m, Date.now()) })}>{muteLabel(m)}</button>}</For>
            </div>
          </fieldset>
        }
      >
        <div class="mute-row">
          <p class="muted-until" role="status">{prefs().muteUntil === muteForeverMs ? t("mutedForever") : t("mutedUntil", { time: untilText(prefs().muteUntil!) })}</p>
          <button type="button" class="chip" onClick={() => void save({ muteUntil: null })}>{t("unmute")}</button>
        </div>
      </Show>
    </section>
  );
}
