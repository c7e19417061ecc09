// A concurrency gate with a bounded queue: at most `runningMax` jobs run at once, at most
// `waitingMax` wait for a slot, and a job beyond that is refused at once with
// `unavailable` (a clear "try again shortly") instead of growing memory or latency
// without bound. Slots are handed to waiters in arrival order.
import { AppError } from "../errors.ts";

export class Gate {
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  /** Jobs that got a slot, ever: lets tests count the expensive work actually done. */
  started = 0;

  constructor(
    private readonly runningMax: number,
    private readonly waitingMax: number,
    private readonly busyMessage: string,
  ) {}

  async run<T>(job: () => Promise<T>): Promise<T> {
    if (this.running < this.runningMax) this.running += 1;
    else if (this.waiting.length >= this.waitingMax) throw new AppError("unavailable", this.busyMessage);
    else await new Promise<void>((resolve) => this.waiting.push(resolve)); // the slot is handed over, not re-counted
    this.started += 1;
    try {
      return await job();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running -= 1;
    }
  }

  get queued(): number {
    return this.waiting.length;
  }

  get active(): number {
    return this.running;
  }
}
