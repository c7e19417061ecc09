// A bounded queue for image jobs: at most `runningMax` at once, `waitingMax` waiting; one
// more is refused at once (`busy`) instead of growing memory. The work itself runs on
// libvips' threads, so the event loop only waits.
export interface JobQueue {
  run<T>(job: () => Promise<T>): Promise<T | "busy">;
  readonly running: number;
  readonly waiting: number;
}

export function createJobQueue(runningMax: number, waitingMax: number): JobQueue {
  let running = 0;
  const waiting: (() => void)[] = [];
  const release = () => {
    const next = waiting.shift();
    if (next) next();
    else running--;
  };
  return {
    get running() {
      return running;
    },
    get waiting() {
      return waiting.length;
    },
    async run<T>(job: () => Promise<T>): Promise<T | "busy"> {
      if (running >= runningMax) {
        if (waiting.length >= waitingMax) return "busy";
        await new Promise<void>((resolve) => waiting.push(resolve)); // the slot is handed over, running unchanged
      } else {
        running++;
      }
      try {
        return await job();
      } finally {
        release();
      }
    },
  };
}
