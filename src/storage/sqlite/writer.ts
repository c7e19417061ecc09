// Group-commit writer: the ONLY way anything is written. Ops are synchronous functions;
// ops arriving within `windowMs` share one BEGIN IMMEDIATE … COMMIT (at most `batchOpsMax`),
// which turns one fsync per write into one per batch. Each op runs in its own SAVEPOINT,
// so a failing statement fails only its caller. A caller's promise settles only after
// COMMIT: if COMMIT fails, every op of the batch rejects. bun:sqlite is synchronous, so
// an op that returns a Promise would silently escape the transaction: it is refused.
import type { Database, Statement } from "bun:sqlite";
import type { Logger } from "../../log/port.ts";
import { storageUnavailable } from "../errors.ts";

export type WriteOp<R> = (db: Database) => R;

export interface WriterLimits {
  windowMs: number;
  batchOpsMax: number;
  queueOpsMax: number;
}

interface Pending {
  op: WriteOp<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

export class Writer {
  private queue: Pending[] = [];
  private timer: ReturnType<typeof setTimeout> | null = null;
  private closed = false;
  private followUp = false; // a post-commit check is scheduled for the next turn
  /** Committed transactions and the ops they carried (for metrics and tests). */
  readonly stats = { batches: 0, ops: 0 };
  /**
   * When (Date.now) a write last failed for a reason of the disk or the database file,
   * not of the data; 0 = never. Readiness reads it: on a full disk a tiny probe write
   * may still fit in pages SQLite already has while every real write fails.
   */
  lastStorageFaultAt = 0;
  private readonly sql: Record<"begin" | "commit" | "rollback" | "savepoint" | "release" | "rollbackTo", Statement>;

  constructor(
    private readonly db: Database,
    private readonly lim: WriterLimits,
    private readonly log?: Logger,
  ) {
    // db.query(), not db.prepare(): bun:sqlite finalizes query()-cached statements on
    // close; a live prepare()d one keeps the connection open and the WAL un-checkpointed.
    this.sql = {
      begin: db.query("BEGIN IMMEDIATE"),
      commit: db.query("COMMIT"),
      rollback: db.query("ROLLBACK"),
      savepoint: db.query("SAVEPOINT op"),
      release: db.query("RELEASE op"),
      rollbackTo: db.query("ROLLBACK TO op"),
    };
  }

  /** Queues `op`; resolves with its result once its transaction committed. */
  run<R>(op: WriteOp<R>): Promise<R> {
    if (this.closed) return Promise.reject(storageUnavailable("Storage is closed"));
    if (this.queue.length >= this.lim.queueOpsMax) {
      return Promise.reject(storageUnavailable("Storage write queue is full; try again shortly"));
    }
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ op, resolve: resolve as (v: unknown) => void, reject });
      if (!this.followUp) this.timer ??= setTimeout(() => this.flush(), this.lim.windowMs);
    });
  }

  get queued(): number {
    return this.queue.length;
  }

  /** Commits what is queued, then refuses new writes. Idempotent. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    while (this.queue.length > 0) this.runBatch(this.queue.splice(0, this.lim.batchOpsMax));
  }

  private flush(): void {
    this.timer = null;
    this.runBatch(this.queue.splice(0, this.lim.batchOpsMax));
    // Under sustained load the commit that just ran was the gathering window: what is
    // queued by the next turn (backlog, or callers we just acked writing again) goes
    // at once instead of idling another window. Otherwise the next op starts a window.
    this.followUp = true;
    setImmediate(() => {
      this.followUp = false;
      if (this.queue.length > 0 && !this.closed) this.flush();
    });
  }

  private runBatch(batch: Pending[]): void {
    if (batch.length === 0) return;
    let outcomes: Outcome[];
    try {
      this.sql.begin.run();
      outcomes = this.runOps(batch);
      this.sql.commit.run();
    } catch (e) {
      // BEGIN (busy past the timeout), a savepoint statement, or COMMIT failed: nothing
      // of this batch stands, so every caller hears it.
      this.abandon();
      if (isStorageFault(e)) this.lastStorageFaultAt = Date.now();
      this.log?.error("write batch failed", { ops: batch.length, error: (e as Error).message });
      return failAll(batch, storageUnavailable(`Database write failed: ${(e as Error).message}`));
    }
    this.stats.batches += 1;
    this.stats.ops += batch.length;
    batch.forEach((p, i) => {
      const o = outcomes[i]!;
      if (o.ok) p.resolve(o.value);
      else p.reject(o.error);
    });
  }

  private runOps(batch: Pending[]): Outcome[] {
    const outcomes: Outcome[] = [];
    for (const p of batch) {
      const o = this.runOne(p.op);
      outcomes.push(o);
      // SQLite may roll the whole transaction back by itself (e.g. disk full).
      if (!this.db.inTransaction) throw new Error(`transaction rolled back: ${errorText(o)}`);
    }
    return outcomes;
  }

  private abandon(): void {
    try {
      if (this.db.inTransaction) this.sql.rollback.run();
    } catch (e) {
      this.log?.error("rollback failed", { error: (e as Error).message });
    }
  }

  private runOne(op: WriteOp<unknown>): Outcome {
    this.sql.savepoint.run();
    try {
      const value = op(this.db);
      if (value instanceof Promise) throw new Error("BUG: a write op returned a Promise; ops must be synchronous");
      this.sql.release.run();
      return { ok: true, value };
    } catch (error) {
      if (isStorageFault(error)) this.lastStorageFaultAt = Date.now();
      if (this.db.inTransaction) {
        this.sql.rollbackTo.run();
        this.sql.release.run();
      }
      return { ok: false, error };
    }
  }
}

// SQLite result codes that mean the disk or the file, not the statement (extended codes share the prefix).
const STORAGE_FAULTS = ["SQLITE_FULL", "SQLITE_IOERR", "SQLITE_READONLY", "SQLITE_CANTOPEN", "SQLITE_CORRUPT", "SQLITE_NOTADB"];

function isStorageFault(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return typeof code === "string" && STORAGE_FAULTS.some((c) => code.startsWith(c));
}

function failAll(batch: Pending[], error: unknown): void {
  for (const p of batch) p.reject(error);
}

function errorText(o: Outcome | undefined): string {
  return o && !o.ok ? (o.error as Error).message : "rolled back";
}
