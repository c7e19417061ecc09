// A module's background loop (a sweeper, a GC) as DomainModule.start/stop: started at most
// once, stopped at most once, a stop before any start a no-op.
import type { DomainModule } from "./module.ts";

export function background(begin: () => () => void): Required<Pick<DomainModule, "start" | "stop">> {
  let end: (() => void) | null = null;
  return {
    start: () => {
      end ??= begin();
    },
    stop: () => {
      end?.();
      end = null;
    },
  };
}
