// After-commit side effects: events appended to users' queues and published, and
// BusControl messages that make live connections react at once (close sockets).
import type { AccountEventData, AccountEventType } from "../protocol/events/accounts.ts";
import type { BusControl } from "../bus/port.ts";
import { publishCommitted, publishControl } from "../events/publish.ts";
import type { Deps } from "../server/deps.ts";
import type { EventDraft, StoredEvent } from "../storage/port.ts";

export const draft = <T extends AccountEventType>(to: string[], type: T, data: AccountEventData<T>): EventDraft => ({
  to,
  type,
  data,
});

/** Publishes events a storage call already committed (WriteOpts.emit). */
export const publish = (deps: Deps, events: StoredEvent[]) => publishCommitted(deps, events);

/** For storage calls without WriteOpts: append after the commit, then publish. */
export async function appendAndPublish(deps: Deps, drafts: EventDraft[]): Promise<void> {
  if (drafts.length === 0) return;
  await publishCommitted(deps, await deps.storage.events.append(drafts));
}

export function control(deps: Deps, userId: string, message: BusControl): Promise<void> {
  return publishControl(deps.bus, userId, message);
}

/** Sessions ended: their sockets close now, and the user's other devices learn it. */
export async function sessionsRevoked(deps: Deps, userId: string, sessionIds: string[]): Promise<void> {
  await Promise.all(sessionIds.map((sessionId) => control(deps, userId, { kind: "session_revoked", sessionId })));
  await appendAndPublish(deps, sessionIds.map((sessionId) => draft([userId], "session.revoked", { sessionId })));
}
