// Graceful shutdown, in an order that loses nothing: stop being ready (load balancers
// drain), stop accepting connections, run the registered hooks in registration order
// (the connection layer says `bye` and closes sockets with 1012), then close storage
// (which commits the queued writes) and the bus. Bounded by limits.shutdownGraceMs.
import { limits } from "../limits.ts";
import type { Logger } from "../log/port.ts";

export type ShutdownHook = (reason: string) => void | Promise<void>;

export interface Lifecycle {
  readonly shuttingDown: boolean;
  onShutdown(hook: ShutdownHook): void;
  /** Runs the steps once; later calls return the same promise. Rejects if the grace period runs out. */
  shutdown(reason: string): Promise<void>;
}

export interface ShutdownSteps {
  log: Logger;
  /** Stops accepting connections; resolves when in-flight requests are done. */
  stopListening(): Promise<void>;
  /** Storage, then bus. */
  closeBackends(): Promise<void>;
  graceMs?: number;
}

export function createLifecycle(steps: ShutdownSteps): Lifecycle {
  const hooks: ShutdownHook[] = [];
  let running: Promise<void> | null = null;
  let began = false; // set before any step runs, so the first hook already sees it
  const lifecycle: Lifecycle = {
    get shuttingDown() {
      return began;
    },
    onShutdown(hook) {
      if (began) throw new Error("onShutdown after shutdown began");
      hooks.push(hook);
    },
    shutdown(reason) {
      if (running) return running;
      began = true;
      running = withDeadline(runSteps(steps, hooks, reason), steps.graceMs ?? limits.shutdownGraceMs);
      return running;
    },
  };
  return lifecycle;
}

async function runSteps(steps: ShutdownSteps, hooks: ShutdownHook[], reason: string): Promise<void> {
  const started = performance.now();
  steps.log.info("shutting down", { reason });
  // Listening stops first, but in-flight work finishes only once the hooks closed the sockets.
  const stopped = steps.stopListening().catch((err) => steps.log.error("stopping the listener failed", { err }));
  for (const hook of hooks) {
    try {
      await hook(reason);
    } catch (err) {
      steps.log.error("shutdown hook failed", { err });
    }
  }
  await stopped;
  await steps.closeBackends();
  steps.log.info("shutdown complete", { ms: Math.round(performance.now() - started) });
}

function withDeadline(work: Promise<void>, ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`shutdown did not finish within ${ms} ms`)), ms);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

/**
 * SIGTERM/SIGINT → shutdown → exit 0; past the grace period (or on a second signal)
 * exit 1 with a log line. Returns a function that removes the handlers.
 */
export function exitOnSignals(lifecycle: Lifecycle, log: Logger, exit: (code: number) => void = process.exit): () => void {
  const handler = (signal: NodeJS.Signals) => {
    if (lifecycle.shuttingDown) {
      log.error("second signal during shutdown; exiting now", { signal });
      exit(1);
      return;
    }
    lifecycle.shutdown(signal).then(
      () => exit(0),
      (err) => {
        log.error("shutdown failed", { err });
        exit(1);
      },
    );
  };
  process.on("SIGTERM", handler);
  process.on("SIGINT", handler);
  return () => {
    process.off("SIGTERM", handler);
    process.off("SIGINT", handler);
  };
}
