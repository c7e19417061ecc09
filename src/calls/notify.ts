// Call events go through the same per-user event queues as everything else (appended,
// then published after the commit), so a client that reconnects replays what it missed.
// The SFU state has already changed when an event is written: a storage failure is
// logged, never thrown back into media handling.
import { publishCommitted } from "../events/publish.ts";
import type { CallEventData, CallEventType } from "../protocol/events/calls.ts";
import type { Deps } from "../core/deps.ts";
import type { EventDraft } from "../storage/port.ts";

export const callDraft = <T extends CallEventType>(to: readonly string[], type: T, data: CallEventData<T>): EventDraft => ({ to, type, data });

export async function emitCallEvents(deps: Deps, drafts: EventDraft[]): Promise<void> {
  const addressed = drafts.filter((d) => d.to.length > 0);
  if (addressed.length === 0) return;
  try {
    const events = await deps.storage.events.append(addressed);
    await publishCommitted(deps, events);
  } catch (err) {
    deps.log.warn("call events not written", { types: addressed.map((d) => d.type), err: String(err) });
  }
}
