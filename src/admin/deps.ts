// What the admin console's use cases need: ports only (the composition root passes its
// Deps, which has all of these).
import type { Config } from "../config/schema.ts";
import type { BackupStatus } from "../protocol/methods/backups.ts";
import type { Logger } from "../log/port.ts";
import type { Storage } from "../storage/port.ts";

export interface AdminDeps {
  config: Config;
  storage: Storage;
  log: Logger;
  now: () => number;
  /** Scheduled backups (src/backups/), set by `serve`; absent: none run in this process. */
  backups?: { status(): BackupStatus };
}

/** The calls worker state, as src/calls/calls.ts reports it (absent: calls are not part of this server). */
export interface CallsHealthSource {
  health(): { state: "not_started" | "running" | "unavailable"; workers: number; workersAlive: number; activeCalls: number; detail: string };
}

/** The certificate the HTTPS listener serves now (src/tls/source.ts), or null while there is none. */
export interface TlsHealthSource {
  readonly mode: string;
  material(): { cert: string } | null;
}

export interface AdminOptions {
  calls?: CallsHealthSource;
  tls?: () => TlsHealthSource | null;
}
