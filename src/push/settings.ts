// Global notification settings (notify.get / notify.set). A change goes to the user's
// devices as notify.updated, committed with it; presence listens for that event
// (a do-not-disturb change is a presence change).
import { invalidField } from "../errors.ts";
import { publishCommitted } from "../events/publish.ts";
import { MUTE_FOREVER, type NotifySettings } from "../protocol/methods/push.ts";
import type { Deps } from "../core/deps.ts";
import { validateSchedule } from "./dnd.ts";

export async function getSettings(deps: Deps, userId: string): Promise<NotifySettings> {
  return (await deps.storage.push.settings([userId])).get(userId)!;
}

export async function setSettings(deps: Deps, userId: string, patch: Partial<NotifySettings>): Promise<NotifySettings> {
  const clean: Partial<NotifySettings> = { ...patch };
  if (patch.dnd) {
    const until = patch.dnd.until;
    if (until !== null && (until < 0 || until > MUTE_FOREVER)) throw invalidField("dnd.until", "a time in ms since the epoch, MUTE_FOREVER, or null");
    clean.dnd = { until, schedule: validateSchedule(patch.dnd.schedule) };
  }
  const done = await deps.storage.push.setSettings(userId, clean, { emit: (settings) => [{ to: [userId], type: "notify.updated", data: { settings } }] });
  await publishCommitted(deps, done.events);
  return done.value;
}
