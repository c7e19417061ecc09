// What imports need from the composition root: ports only (main.ts passes its Deps, which
// has all of these), and the media module's blob store and per-blob locks, so a file an
// import adopts and the GC deleting the same content never cross (src/media/state.ts).
import type { Bus } from "../bus/port.ts";
import type { Config } from "../config/schema.ts";
import type { CommitObservers } from "../core/observers.ts";
import type { Logger } from "../log/port.ts";
import type { BlobDir } from "../media/blobs.ts";
import type { KeyedMutex } from "../media/mutex.ts";
import type { Storage } from "../storage/port.ts";

export interface ImportsDeps {
  config: Config;
  storage: Storage;
  bus: Bus;
  log: Logger;
  now: () => number;
  observers?: CommitObservers;
}

export interface ImportsMedia {
  dir: BlobDir;
  blobLocks: KeyedMutex;
}
