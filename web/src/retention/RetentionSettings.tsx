// The chat info panel's "Message timers": the disappearing-messages timer and auto-delete
// after N days. Who may change them (admins and the owner of a group or channel, either
// person of a direct chat) gets two selects; everyone else sees the values.
import { For, Show } from "solid-js";
import type { ChatEntry } from "../../../src/protocol/methods/chats.ts";
import { t } from "../i18n/index.ts";
import { request } from "../net/connection.ts";
import { AUTO_DELETE_CHOICES, choicesWith, DISAPPEAR_CHOICES, daysLabel, secondsLabel } from "./retention.ts";

export const mayEditRetention = (e: ChatEntry) =>
  e.chat.kind === "direct" || e.chat.kind === "saved" || e.me.role === "owner" || e.me.role === "admin";

// Each option says whether it is the chat's value (not the select's value attribute): an
// option added for a value another client set would otherwise not be selected.
const parse = (v: string) => (v === "off" ? null : Number(v));

export function RetentionSettings(props: { entry: ChatEntry; guard: (p: Promise<unknown>) => Promise<void> }) {
  const chatId = () => props.entry.chat.id;
  const set = (patch: { autoDeleteDays?: number | null; disappearSeconds?: number | null }) =>
    void props.guard(request("chat.set_retention", { chatId: chatId(), ...patch }));
  return (
    <section class="info-section retention" aria-label={t("retention")}>
      <h3>{t("retention")}</h3>
      <Show
        when={mayEditRetention(props.entry)}
        fallback={
          <dl class="retention-values">
            <dt>{t("disappearingMessages")}</dt><dd>{secondsLabel(props.entry.chat.disappearSeconds)}</dd>
            <dt>{t("autoDelete")}</dt><dd>{daysLabel(props.entry.chat.autoDeleteDays)}</dd>
          </dl>
        }
      >
        <label>
          {t("disappearingMessages")}
          <select name="disappear" onChange={(e) => set({ disappearSeconds: parse(e.currentTarget.value) })}>
            <For each={choicesWith(DISAPPEAR_CHOICES, props.entry.chat.disappearSeconds)}>{(s) => <option value={String(s ?? "off")} selected={s === (props.entry.chat.disappearSeconds ?? null)}>{secondsLabel(s)}</option>}</For>
          </select>
        </label>
        <p class="muted hint">{t("disappearingHint")}</p>
        <label>
          {t("autoDelete")}
          <select name="auto-delete" onChange={(e) => set({ autoDeleteDays: parse(e.currentTarget.value) })}>
            <For each={choicesWith(AUTO_DELETE_CHOICES, props.entry.chat.autoDeleteDays)}>{(d) => <option value={String(d ?? "off")} selected={d === (props.entry.chat.autoDeleteDays ?? null)}>{daysLabel(d)}</option>}</For>
          </select>
        </label>
        <p class="muted hint">{t("autoDeleteHint")}</p>
      </Show>
    </section>
  );
}
