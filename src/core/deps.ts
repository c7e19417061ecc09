// What the server and every domain module receive from the composition root
// (src/main.ts). Tests build the same object with a temporary data dir. This folder
// (src/core/) is the neutral ground between the server and the domains: it names ports
// and shapes only, so a domain depends on it and never on src/server/.
import type { Bus } from "../bus/port.ts";
import type { Config } from "../config/schema.ts";
import type { Logger } from "../log/port.ts";
import type { Metrics } from "../metrics/port.ts";
import type { Storage } from "../storage/port.ts";
import type { Secrets } from "../secrets/secrets.ts";
import type { CommitObservers } from "./observers.ts";
import type { LinkPreview } from "../storage/previews-port.ts";
import type { BackupStatus } from "../protocol/methods/backups.ts";

export interface Deps {
  config: Config;
  storage: Storage;
  bus: Bus;
  log: Logger;
  metrics: Metrics;
  secrets: Secrets;
  now: () => number;
  /** Listeners for committed events (src/core/observers.ts); src/push/ needs them. */
  observers?: CommitObservers;
  /**
   * Base of links handed out when server.publicUrl is empty: the address other devices
   * use (src/net/discovery.ts advertiseLinks, set once the listeners run). Absent or
   * null: only this machine can connect.
   */
  linkBaseUrl?: () => string | null;
  /** Link previews (src/previews/); absent: preview.get answers null and sends carry none. */
  previews?: Previews;
  /**
   * Removes what an account purge left of the person's media: blobs nobody else refers to
   * and unfinished uploads (src/media/gc.ts dropPurgedMedia, wired by src/compose.ts, so
   * accounts/ does not import media/, which imports accounts/). Absent: the media GC's
   * next run removes them.
   */
  purgeMedia?: (blobs: readonly string[], uploadIds: readonly string[]) => Promise<number>;
  /** Scheduled backups (src/backups/scheduler.ts), set by `serve`; absent: none run in this process. */
  backups?: { status(): BackupStatus };
}

/** Link previews as domains use them; src/previews/previews.ts createPreviews implements it. */
export interface Previews {
  /** preview.get for a user: validates, rate-limits, answers the cached or fetched preview. */
  get(userId: string, url: string): Promise<LinkPreview | null>;
  /** For message.send: the preview of a URL already checked by the caller; never throws. */
  forMessage(url: string): Promise<LinkPreview | null>;
}
