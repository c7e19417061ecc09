// Events of the notifications domain: your global notification settings changed (on
// another of your devices, or this one); applying it replaces welcome.snapshot.push.settings.
import { type Static, Type } from "@sinclair/typebox";
import { NotifySettingsSchema } from "../methods/push.ts";

export const pushEvents = {
  /** notify.set changed your settings (sent to you). */
  "notify.updated": Type.Object({ settings: NotifySettingsSchema }),
} as const;

export type PushEventType = keyof typeof pushEvents;

/** Snapshot part of the push module in `welcome.snapshot.push`. */
export const PushSnapshotSchema = Type.Object({
  settings: NotifySettingsSchema,
  vapidPublicKey: Type.String(),
  available: Type.Boolean(),
});
export type PushSnapshot = Static<typeof PushSnapshotSchema>;
