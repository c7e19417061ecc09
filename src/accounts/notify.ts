// After-commit side effects: events the store appended in the change's own transaction
// (WriteOpts.emit, so a crash cannot keep the change and lose its event) are published,
// and BusControl messages make live connections react at once (close sockets).
import type { AccountEventData, AccountEventType } from "../protocol/events/accounts.ts";
import type { BusControl } from "../bus/port.ts";
import { publishCommitted, publishControl } from "../events/publish.ts";
import type { Deps } from "../core/deps.ts";
import type { EventDraft, StoredEvent } from "../storage/port.ts";

export const draft = <T extends AccountEventType>(to: string[], type: T, data: AccountEventData<T>): EventDraft => ({
  to,
  type,
  data,
});

/** Publishes events a storage call already committed (WriteOpts.emit). */
export const publish = (deps: Deps, events: StoredEvent[]) => publishCommitted(deps, { events });

export function control(deps: Deps, userId: string, message: BusControl): Promise<void> {
  return publishControl(deps.bus, userId, message);
}

/** The user's other devices learn that these sessions ended; pass to the revoking store call's emit. */
export const revokedDrafts = (userId: string, sessionIds: readonly string[]): EventDraft[] =>
  sessionIds.map((sessionId) => draft([userId], "session.revoked", { sessionId }));

/** After the revoking commit (which appended `events`): sockets close now, other devices hear it. */
export async function sessionsRevoked(deps: Deps, userId: string, sessionIds: string[], events: StoredEvent[]): Promise<void> {
  await Promise.all(sessionIds.map((sessionId) => control(deps, userId, { kind: "session_revoked", sessionId })));
  await publishCommitted(deps, { events });
}
