// A bounded number of fetches at once, a bounded queue behind them: beyond the queue a
// caller is refused at once instead of waiting without end.
export class Slots {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    private readonly runningMax: number,
    private readonly waitingMax: number,
  ) {}

  /** Runs fn in a slot; null (fn not run) when the queue is full. */
  async run<T>(fn: () => Promise<T>): Promise<{ value: T } | null> {
    if (this.running >= this.runningMax) {
      if (this.waiting.length >= this.waitingMax) return null;
      await new Promise<void>((r) => this.waiting.push(r));
    } else this.running++;
    try {
      return { value: await fn() };
    } finally {
      const next = this.waiting.shift();
      if (next) next(); // the slot passes on; running stays the same
      else this.running--;
    }
  }
}
