// A chat's retention settings: auto-delete after N days and the disappearing-messages
// timer; the use case is setRetention in ./manage.ts, the sweeper src/messages/expire.ts.
// Who may change them is access.ts's "set_retention" (admins and the owner of groups and
// channels, either person of a direct chat), checked again inside the transaction. The change goes to every member as chat.retention_changed, which clients
// show in the chat ("Ada set messages to disappear after 1 day"). A new timer applies to
// messages sent from now on: each message carries its own expiresAt, stamped at send.
import { invalidField } from "../errors.ts";
import { limits } from "../limits.ts";
import type { RetentionPatch } from "../storage/chats-port.ts";

/** The patch as the store takes it; invalid_field for a value out of bounds or an empty patch. */
export function validateRetention(p: { autoDeleteDays?: number | null; disappearSeconds?: number | null }): RetentionPatch {
  const { autoDeleteDays: days, disappearSeconds: secs } = p;
  if (days === undefined && secs === undefined) throw invalidField("autoDeleteDays", "give autoDeleteDays, disappearSeconds or both");
  if (days !== undefined && days !== null && !(Number.isInteger(days) && days >= 1 && days <= limits.chatAutoDeleteDaysMax)) {
    throw invalidField("autoDeleteDays", `must be a whole number of days from 1 to ${limits.chatAutoDeleteDaysMax}, or null for off`);
  }
  const [min, max] = [limits.messageDisappearSecondsMin, limits.messageDisappearSecondsMax];
  if (secs !== undefined && secs !== null && !(Number.isInteger(secs) && secs >= min && secs <= max)) {
    throw invalidField("disappearSeconds", `must be a whole number of seconds from ${min} to ${max}, or null for off`);
  }
  return { ...(days !== undefined ? { autoDeleteDays: days } : {}), ...(secs !== undefined ? { disappearSeconds: secs } : {}) };
}

