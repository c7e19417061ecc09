// What the server and every domain module receive from the composition root
// (src/main.ts). Tests build the same object with a temporary data dir.
import type { Bus } from "../bus/port.ts";
import type { Config } from "../config/schema.ts";
import type { Logger } from "../log/port.ts";
import type { Metrics } from "../metrics/port.ts";
import type { Storage } from "../storage/port.ts";
import type { Secrets } from "../secrets/secrets.ts";
import type { CommitObservers } from "../events/observers.ts";
import type { Previews } from "../previews/previews.ts";
import type { BackupStatus } from "../protocol/methods/backups.ts";

export interface Deps {
  config: Config;
  storage: Storage;
  bus: Bus;
  log: Logger;
  metrics: Metrics;
  secrets: Secrets;
  now: () => number;
  /** Listeners for committed events (src/events/observers.ts); src/push/ needs them. */
  observers?: CommitObservers;
  /**
   * Base of links handed out when server.publicUrl is empty: the address other devices
   * use (src/net/discovery.ts advertiseLinks, set once the listeners run). Absent or
   * null: only this machine can connect.
   */
  linkBaseUrl?: () => string | null;
  /** Link previews (src/previews/); absent: preview.get answers null and sends carry none. */
  previews?: Previews;
  /** Scheduled backups (src/backups/scheduler.ts), set by `serve`; absent: none run in this process. */
  backups?: { status(): BackupStatus };
}
