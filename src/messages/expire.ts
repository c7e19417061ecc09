// The retention sweeper: in the server process, once at start-up and then every
// limits.retentionSweepIntervalMs, it purges the messages that are due (a disappearing
// timer ran out, or older than the chat's auto-delete days). What is due is read from
// storage each time (messages.expires_at, chats.auto_delete_days), so nothing is lost to
// a restart: a message that came due while the server was down goes on its first sweep.
// Each batch is one transaction of at most limits.retentionSweepBatchMax messages,
// purged exactly as a delete for everyone and announced with the same message.deleted
// event in the chat's log; at most limits.retentionSweepBatchesPerRunMax batches per sweep. Purging drops
// message_media rows, so the media GC (src/media/gc.ts) removes blobs nobody uses.
import type { Bus } from "../bus/port.ts";
import type { CommitObservers } from "../core/observers.ts";
import { publishCommitted } from "../events/publish.ts";
import { limits } from "../limits.ts";
import type { Logger } from "../log/port.ts";
import type { Metrics } from "../metrics/port.ts";
import type { Storage } from "../storage/port.ts";
import { chatDraft } from "../chats/drafts.ts";
import { deletedData } from "./change.ts";

/** What the sweeper uses of the server's Deps. */
export interface SweepDeps {
  storage: Storage;
  bus: Bus;
  log: Logger;
  metrics: Metrics;
  now: () => number;
  observers?: CommitObservers;
}

/** One sweep; the number of messages purged. */
export async function sweepRetention(deps: SweepDeps): Promise<number> {
  let purged = 0;
  for (let batch = 0; batch < limits.retentionSweepBatchesPerRunMax; batch++) {
    const done = await deps.storage.messages.expire(deps.now(), limits.retentionSweepBatchMax, {
      emit: (r) => r.deleted.map((d) => chatDraft(d.message.chatId, "message.deleted", deletedData(d, true))),
    });
    await publishCommitted(deps, done);
    purged += done.value.deleted.length;
    if (done.value.deleted.length < limits.retentionSweepBatchMax) break;
  }
  if (purged > 0) deps.log.info("retention sweep", { purged });
  deps.metrics.counter("hearth_retention_deleted_total", "Messages the retention sweeper deleted (disappearing timers, auto-delete).").inc(undefined, purged);
  return purged;
}

/** Starts sweeping (the first sweep right away); returns stop. `intervalMs`: tests sweep more often. */
export function startRetentionSweeper(deps: SweepDeps, intervalMs: number = limits.retentionSweepIntervalMs): () => void {
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const run = async () => {
    if (stopped) return;
    try {
      await sweepRetention(deps);
    } catch (err) {
      deps.log.warn("retention sweep failed", { err }); // e.g. the disk is full: the next sweep tries again
    }
    if (!stopped) timer = setTimeout(run, intervalMs);
  };
  timer = setTimeout(run, 0);
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
  };
}
