// What a viewer may know of someone's presence: the one rule, applied to pushes,
// the welcome snapshot and presence.get alike. A hidden last seen also hides the live
// state (otherwise watching online→offline would reveal the time): the viewer gets a
// coarse `recently` / `long_ago` that does not change when the user comes and goes.
import { limits } from "../limits.ts";
import type { WirePresence } from "../protocol/methods/presence.ts";
import type { PrivacySettings, Visibility } from "../storage/presence-port.ts";
import type { LiveState } from "./registry.ts";

export type Relation = "self" | "contact" | "stranger"; // contact: shares a direct chat or group

export function admits(setting: Visibility, relation: Relation): boolean {
  return relation === "self" || setting === "everyone" || (setting === "contacts" && relation === "contact");
}

export interface Facts {
  userId: string;
  live: LiveState;
  lastSeenAt: number | undefined;
  privacy: PrivacySettings;
  dnd: boolean; // do-not-disturb on now (src/push/dnd.ts): shown instead of online/away
}

export function presenceView(f: Facts, relation: Relation, now: number): WirePresence {
  if (admits(f.privacy.lastSeen, relation)) {
    if (f.live !== "offline") return { userId: f.userId, state: f.dnd ? "dnd" : f.live };
    return f.lastSeenAt === undefined ? { userId: f.userId, state: "offline" } : { userId: f.userId, state: "offline", lastSeenAt: f.lastSeenAt };
  }
  const recent = f.live !== "offline" || (f.lastSeenAt !== undefined && now - f.lastSeenAt < limits.presenceRecentlyMs);
  return { userId: f.userId, state: recent ? "recently" : "long_ago" };
}
