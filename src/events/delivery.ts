// Per-connection event delivery: the one place that decides which event goes out next.
// Invariant: events leave in strictly increasing id order with no hole — `lastSentId`
// only ever advances by one. Live bus batches are a hint: an event that arrives out of
// turn waits in `live` (bounded) and the hole before it is read from storage, so a lost,
// late or reordered bus message delays delivery but never loses or repeats an event;
// this also makes a live batch racing the resume replay harmless.
import type { StoredEvent } from "../storage/port.ts";

export type OutEvent = Pick<StoredEvent, "id" | "type" | "data" | "at">;

export interface DeliveryDeps {
  /** Events with id > afterId, ascending, at most limit (storage's readAfter for this user). */
  readAfter(afterId: number, limit: number): Promise<OutEvent[]>;
  /** Sends one `events` frame; never more than frameEventsMax events. */
  send(events: OutEvent[]): void;
  /** Needed events were pruned (or the queue reset): the connection must re-sync. */
  onGap(): void;
  onError(e: unknown): void;
  /** Runs fn once the current turn's work is done (setImmediate on the server). */
  schedule(fn: () => void): void;
  pageMax: number;
  frameEventsMax: number;
  /** Live events held while waiting for a hole to fill; beyond it storage serves them. */
  liveMax: number;
}

export class Delivery {
  private lastSentId = 0;
  private target = 0; // highest id known to exist
  private started = false;
  private stopped = false;
  private draining = false;
  private readonly live = new Map<number, OutEvent>();
  private outbox: OutEvent[] = [];
  private flushScheduled = false;
  private flushWaiters: (() => void)[] = [];

  constructor(private readonly d: DeliveryDeps) {}

  get sentId(): number {
    return this.lastSentId;
  }

  /** Starts delivering after `afterId`; everything up to `target` exists in storage. */
  begin(afterId: number, target: number): void {
    this.lastSentId = afterId;
    this.target = Math.max(this.target, target, afterId);
    for (const id of this.live.keys()) if (id <= afterId) this.live.delete(id);
    this.started = true;
    void this.drain();
  }

  /** A live batch from the bus (may come before begin, late, twice, or out of order). */
  push(events: readonly OutEvent[]): void {
    if (this.stopped) return;
    for (const e of events) {
      if (this.started && e.id <= this.lastSentId) continue;
      if (e.id > this.target) this.target = e.id;
      if (this.live.size < this.d.liveMax) this.live.set(e.id, e);
    }
    if (this.started) void this.drain();
  }

  stop(): void {
    this.stopped = true;
    this.live.clear();
    this.outbox = [];
    this.releaseWaiters();
  }

  private async drain(): Promise<void> {
    if (this.draining || this.stopped) return;
    this.draining = true;
    try {
      while (!this.stopped && this.lastSentId < this.target) {
        const next = this.live.get(this.lastSentId + 1);
        if (next) {
          this.accept(next);
          continue;
        }
        if (!(await this.fillFromStorage())) return;
      }
    } catch (e) {
      if (!this.stopped) this.d.onError(e);
    } finally {
      this.draining = false;
    }
  }

  /** Reads the hole after lastSentId; false when delivery must end. */
  private async fillFromStorage(): Promise<boolean> {
    const page = await this.d.readAfter(this.lastSentId, this.d.pageMax);
    if (this.stopped) return false; // re-check after the await
    if (page.length === 0 || page[0]!.id !== this.lastSentId + 1) {
      this.stop();
      this.d.onGap();
      return false;
    }
    for (const e of page) if (e.id === this.lastSentId + 1) this.accept(e);
    await this.flushed(); // pace replays: at most one page waits in memory
    return !this.stopped;
  }

  private accept(e: OutEvent): void {
    this.lastSentId = e.id;
    this.live.delete(e.id);
    this.outbox.push({ id: e.id, type: e.type, data: e.data, at: e.at });
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      this.d.schedule(() => this.flush());
    }
  }

  /** Once per turn: everything accepted goes out in as few frames as the limit allows. */
  private flush(): void {
    this.flushScheduled = false;
    const out = this.outbox;
    this.outbox = [];
    const max = this.d.frameEventsMax;
    for (let i = 0; i < out.length && !this.stopped; i += max) this.d.send(out.slice(i, i + max));
    this.releaseWaiters();
  }

  private flushed(): Promise<void> {
    if (!this.flushScheduled) return Promise.resolve();
    return new Promise((r) => this.flushWaiters.push(r));
  }

  private releaseWaiters(): void {
    const w = this.flushWaiters;
    this.flushWaiters = [];
    for (const r of w) r();
  }
}
