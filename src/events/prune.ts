// Keeps event queues, chat logs and idempotency records bounded: every
// eventPruneIntervalMs, drop each user's events beyond the newest eventQueueEventsMax and
// those older than eventQueueAgeMs, each chat's log events beyond the newest
// chatLogKeepMax and those older than chatLogKeepMs, and idempotency records older than
// idempotencyTtlMs. A client whose resume point was pruned gets `resume_gap` and
// re-syncs from a snapshot; one whose chat position was pruned gets that chat's chat_reset.
import { limits } from "../limits.ts";
import type { Logger } from "../log/port.ts";
import type { Storage } from "../storage/port.ts";

export interface PruneDeps {
  storage: Pick<Storage, "events" | "chatLog" | "meta">;
  now: () => number;
  log: Logger;
}

export async function pruneOnce(deps: PruneDeps): Promise<{ events: number; chatLog: number; idempotency: number }> {
  const now = deps.now();
  const events = await deps.storage.events.prune(limits.eventQueueEventsMax, now - limits.eventQueueAgeMs);
  const chatLog = await deps.storage.chatLog.prune(limits.chatLogKeepMax, now - limits.chatLogKeepMs);
  const idempotency = await deps.storage.meta.pruneIdempotency(now - limits.idempotencyTtlMs);
  return { events, chatLog, idempotency };
}

/** Starts the periodic job; the returned function stops it. */
export function startPruneJob(deps: PruneDeps, intervalMs: number = limits.eventPruneIntervalMs): () => void {
  let running = false;
  const timer = setInterval(async () => {
    if (running) return; // a slow prune never overlaps the next
    running = true;
    try {
      const n = await pruneOnce(deps);
      if (n.events || n.chatLog || n.idempotency) deps.log.debug("pruned", n);
    } catch (e) {
      deps.log.warn("prune failed", { err: String(e) });
    } finally {
      running = false;
    }
  }, intervalMs);
  timer.unref?.();
  return () => clearInterval(timer);
}
