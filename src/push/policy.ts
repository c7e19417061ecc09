// Who gets a push, per recipient: the one rule, kept pure so it reads as a table.
//   muted (muteUntil in the future) or level "none"   → nothing (calls too)
//   level "mentions"                                    → only a mention of you, or @all when allMentionsNotify
//   do-not-disturb (manual or schedule)                 → nothing; a call still rings when callsBypassDnd
// The sender, silent sends, and sessions with a visible live connection are filtered
// before this (notifier.ts).
import type { NotifyLevel } from "../storage/chats-port.ts";
import type { NotifySettings } from "../storage/push-port.ts";
import { dndActive } from "./dnd.ts";

export interface Candidate {
  level: NotifyLevel;
  muteUntil: number | null;
  settings: NotifySettings;
}

export type Why = "push" | "muted" | "level_none" | "not_mentioned" | "dnd";

export function decideMessage(c: Candidate, m: { mentioned: boolean; mentionsAll: boolean }, now: number): Why {
  if (c.muteUntil !== null && c.muteUntil > now) return "muted";
  if (c.level === "none") return "level_none";
  const mention = m.mentioned || (m.mentionsAll && c.settings.allMentionsNotify);
  if (c.level === "mentions" && !mention) return "not_mentioned";
  if (dndActive(c.settings, now)) return "dnd";
  return "push";
}

export function decideCall(c: Candidate, now: number): Why {
  if (c.muteUntil !== null && c.muteUntil > now) return "muted";
  if (c.level === "none") return "level_none";
  if (dndActive(c.settings, now) && !c.settings.callsBypassDnd) return "dnd";
  return "push";
}
