// Settings → Notifications: this device (permission and Web Push, or why there is none),
// do not disturb (now / until; others see it as your status), weekly quiet hours in a time
// zone, and the switches for calls in do-not-disturb, @all mentions and hidden content.
import { createSignal, For, onMount, Show } from "solid-js";
import { errorOf, locale, t } from "../i18n/index.ts";
import { Section } from "../ui/Section.tsx";
import { now } from "../ui/clock.ts";
import { untilText } from "./ChatNotify.tsx";
import { askPermission, permission } from "./permission.ts";
import { currentPlatform, needsHomeScreen } from "./platform.ts";
import { globalPrefs } from "./prefs.ts";
import { deviceOff, disablePush, enablePush, pushState, sync } from "./push.ts";
import { type DndChoice, dndUntilFor, type DndSchedule, hhmmToMin, inDnd, minToHhmm, muteForeverMs } from "./rules.ts";
import { savePrefs } from "./server.ts";
import "./notifications.css";

export function NotifySettings() {
  const [note, setNote] = createSignal("");
  const save = (patch: Parameters<typeof savePrefs>[0]): Promise<void> =>
    savePrefs(patch).then(() => void setNote(t("saved")), (e) => void setNote(errorOf(e)));
  return (
    <Section title={t("notifications")}>
      <div class="notify-settings stack">
        <DeviceState />
        <Dnd save={save} />
        <QuietHours save={save} />
        <fieldset>
          <Check label={t("callsBypassDnd")} name="callsBypassDnd" checked={globalPrefs().callsBypassDnd} onChange={(v) => save({ callsBypassDnd: v })} />
          <Check label={t("allMentionsNotify")} name="allMentionsNotify" checked={globalPrefs().allMentionsNotify} onChange={(v) => save({ allMentionsNotify: v })} />
          <Check label={t("hideContent")} name="hideContent" checked={globalPrefs().hideContent} onChange={(v) => save({ hideContent: v })} />
        </fieldset>
        <Show when={note()}><p class="hint" role="status">{note()}</p></Show>
      </div>
    </Section>
  );
}

function Check(props: { label: string; name: string; checked: boolean; onChange: (v: boolean) => void }) {
  return (
    <label class="check">
      <input type="checkbox" name={props.name} checked={props.checked} onChange={(e) => props.onChange(e.currentTarget.checked)} />
      <span>{props.label}</span>
    </label>
  );
}

/** What this device does: permission, push, and what to do about it. */
function DeviceState() {
  const ios = needsHomeScreen(currentPlatform());
  onMount(() => void sync());
  const turnOn = async () => {
    if ((await askPermission()) === "granted") await enablePush();
  };
  const on = () => permission() === "granted" && !deviceOff();
  const text = () => {
    const p = permission();
    if (p === "unsupported") return t("notifyStateUnsupported");
    if (p === "denied") return t("notifyStateDenied");
    if (!on()) return t("notifyStateOff");
    return pushState() === "on" ? t("notifyStateOn") : t("notifyStateInApp");
  };
  return (
    <fieldset>
      <legend>{t("notifyThisDevice")}</legend>
      <p class="note" role="status">{text()}</p>
      <Show when={ios}><p class="note warn">{t("notifyIosHomeScreen")}</p></Show>
      <Show when={on() && pushState() === "unavailable"}><p class="note warn">{t("notifyPushUnavailable")}</p></Show>
      <Show when={on() && pushState() === "failed"}><p class="note warn">{t("notifyPushFailed")}</p></Show>
      <Show when={!ios && (permission() === "default" || permission() === "granted")}>
        <div class="choice-row">
          <Show when={on()} fallback={<button type="button" onClick={() => void turnOn()}>{t("notifyTurnOn")}</button>}>
            <button type="button" class="secondary" onClick={() => void disablePush()}>{t("notifyTurnOff")}</button>
          </Show>
        </div>
      </Show>
    </fieldset>
  );
}

/** Do not disturb now: off / 1 hour / until 8:00 / until turned off. Others see it as your status. */
function Dnd(props: { save: (p: { dnd: { until: number | null; schedule: DndSchedule | null } }) => Promise<void> }) {
  const choices: DndChoice[] = ["off", "1h", "morning", "on"];
  const label = (c: DndChoice) => ({ off: t("dndOff"), "1h": t("dnd1h"), morning: t("dndMorning"), on: t("dndOn") })[c];
  const until = () => globalPrefs().dnd.until;
  const manual = () => until() !== null && until()! > now();
  const current = (c: DndChoice) => (c === "off" ? !manual() : c === "on" ? manual() && until() === muteForeverMs : false);
  return (
    <fieldset>
      <legend>{t("dnd")}</legend>
      <div class="choice-row" role="radiogroup" aria-label={t("dnd")}>
        <For each={choices}>
          {(c) => (
            <button type="button" role="radio" aria-checked={current(c)} class={current(c) ? "chip active" : "chip"}
              onClick={() => void props.save({ dnd: { ...globalPrefs().dnd, until: dndUntilFor(c, Date.now()) } })}>
              {label(c)}
            </button>
          )}
        </For>
      </div>
      <Show when={inDnd(globalPrefs(), now())}>
        <p class="note warn" role="status">
          <span class="dnd-mark" aria-hidden="true" />
          {manual() && until() !== muteForeverMs ? t("dndUntil", { time: untilText(until()!) }) : t("dndActive")}
        </p>
      </Show>
      <p class="note">{t("dndHint")}</p>
    </fieldset>
  );
}

const hereTz = () => Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
function zones(current: string): string[] {
  const all = (Intl as { supportedValuesOf?: (k: string) => string[] }).supportedValuesOf?.("timeZone") ?? [];
  return all.includes(current) ? all : [current, ...all];
}

/** A weekly quiet time: from, to, the days it starts on, in a time zone (the device's by default). */
function QuietHours(props: { save: (p: { dnd: { until: number | null; schedule: DndSchedule | null } }) => Promise<void> }) {
  const sched = () => globalPrefs().dnd.schedule;
  const put = (s: DndSchedule | null) => void props.save({ dnd: { until: globalPrefs().dnd.until, schedule: s } });
  const edit = (patch: Partial<DndSchedule>) => {
    const s = sched();
    if (s) put({ ...s, ...patch });
  };
  // Sunday first as the protocol counts; labels in the UI language
  const dayName = (d: number) => new Date(Date.UTC(2026, 0, 4 + d)).toLocaleDateString(locale(), { weekday: "short", timeZone: "UTC" });
  const days = [1, 2, 3, 4, 5, 6, 0];
  const hasDay = (d: number) => (sched()?.days.length ?? 0) === 0 || sched()!.days.includes(d);
  const toggleDay = (d: number) => {
    const s = sched();
    if (!s) return;
    const on = s.days.length === 0 ? [0, 1, 2, 3, 4, 5, 6] : s.days;
    edit({ days: on.includes(d) ? on.filter((x) => x !== d) : [...on, d].sort() });
  };
  return (
    <fieldset>
      <Check label={t("quietHours")} name="quietHours" checked={!!sched()} onChange={(v) => put(v ? { startMin: 22 * 60, endMin: 7 * 60, days: [], tz: hereTz() } : null)} />
      <Show when={sched()}>
        {(s) => (
          <div class="stack">
            <div class="hours">
              <label>
                {t("quietFrom")}
                <input type="time" name="quietFrom" value={minToHhmm(s().startMin)} onChange={(e) => { const v = hhmmToMin(e.currentTarget.value); if (v !== null) edit({ startMin: v }); }} />
              </label>
              <label>
                {t("quietTo")}
                <input type="time" name="quietTo" value={minToHhmm(s().endMin)} onChange={(e) => { const v = hhmmToMin(e.currentTarget.value); if (v !== null) edit({ endMin: v }); }} />
              </label>
            </div>
            <div class="days" role="group" aria-label={t("quietDays")}>
              <For each={days}>
                {(d) => (
                  <button type="button" class={hasDay(d) ? "chip active" : "chip"} aria-pressed={hasDay(d)} onClick={() => toggleDay(d)}>{dayName(d)}</button>
                )}
              </For>
            </div>
            <label>
              {t("timeZone")}
              <select name="tz" value={s().tz} onChange={(e) => edit({ tz: e.currentTarget.value })}>
                <For each={zones(s().tz)}>{(z) => <option value={z}>{z.replace(/_/g, " ")}</option>}</For>
              </select>
            </label>
          </div>
        )}
      </Show>
    </fieldset>
  );
}
