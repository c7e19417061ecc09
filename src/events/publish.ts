// After a commit, tell each recipient's live connections: one bus message per user
// carrying that user's new events in id order. Losing one is harmless (see delivery.ts),
// so a bus failure is logged, never thrown at the caller whose write already committed.
import { topics, type Bus, type BusControl } from "../bus/port.ts";
import type { Logger } from "../log/port.ts";
import { decode, encode } from "../protocol/codec.ts";
import type { StoredEvent } from "../storage/port.ts";
import type { OutEvent } from "./delivery.ts";
import type { CommitObservers } from "../core/observers.ts";

export async function publishCommitted(deps: { bus: Bus; log?: Logger; observers?: CommitObservers }, events: readonly StoredEvent[]): Promise<void> {
  if (events.length === 0) return;
  deps.observers?.notify(events);
  const byUser = new Map<string, OutEvent[]>();
  for (const e of events) {
    let list = byUser.get(e.userId);
    if (!list) byUser.set(e.userId, (list = []));
    list.push({ id: e.id, type: e.type, data: e.data, at: e.at });
  }
  const sends = [...byUser].map(([userId, list]) =>
    deps.bus
      .publish(topics.userEvents(userId), encode(list.sort((a, b) => a.id - b.id)))
      .catch((e) => deps.log?.warn("event publish failed; delivery will read storage", { userId, err: String(e) })),
  );
  await Promise.all(sends);
}

// The in-process bus hands the same payload to every connection of a user: decode once.
const decoded = new WeakMap<Uint8Array, OutEvent[]>();

/** Decodes a topics.userEvents payload; [] for anything malformed. */
export function decodeEventsPayload(payload: Uint8Array): OutEvent[] {
  const hit = decoded.get(payload);
  if (hit) return hit;
  let list: OutEvent[] = [];
  try {
    const v = decode(payload);
    if (Array.isArray(v)) list = v.filter((e): e is OutEvent => typeof e?.id === "number" && typeof e?.type === "string");
  } catch {
    // a foreign or corrupt message: storage still has the events
  }
  decoded.set(payload, list);
  return list;
}

/** Makes a user's live connections react at once (revoked session, disabled account). */
export async function publishControl(bus: Bus, userId: string, msg: BusControl): Promise<void> {
  await bus.publish(topics.userControl(userId), encode(msg));
}

export function decodeControlPayload(payload: Uint8Array): BusControl | null {
  try {
    const v = decode(payload) as BusControl;
    return v && (v.kind === "user_disabled" || (v.kind === "session_revoked" && typeof v.sessionId === "string")) ? v : null;
  } catch {
    return null;
  }
}
