// In-process listeners for committed events: publishCommitted hands every batch to them
// right after the commit (before the bus), so a domain can react to what other domains
// wrote without a hook inside their transactions — e.g. src/push/ turns message.created
// into Web Push. Observers run synchronously and must not throw or block: queue work.
import type { Logger } from "../log/port.ts";
import type { ChatLogEvent, StoredEvent } from "../storage/port.ts";

/** User-log events and chat-log events of one commit (either may be empty). */
export type CommitObserver = (events: readonly StoredEvent[], chatEvents: readonly ChatLogEvent[]) => void;

export class CommitObservers {
  private readonly list = new Set<CommitObserver>();
  constructor(private readonly log?: Logger) {}

  add(fn: CommitObserver): () => void {
    this.list.add(fn);
    return () => this.list.delete(fn);
  }

  notify(events: readonly StoredEvent[], chatEvents: readonly ChatLogEvent[]): void {
    for (const fn of this.list) {
      try {
        fn(events, chatEvents);
      } catch (err) {
        this.log?.error("commit observer failed", { err });
      }
    }
  }
}
