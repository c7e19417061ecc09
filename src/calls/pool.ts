// The mediasoup worker pool: N worker processes, each with ONE WebRtcServer that carries
// every WebRTC transport of that worker over a single UDP + TCP port.
//
// Ports: a port can be bound by one process only (mediasoup's udpReusePort would let the
// kernel spread one client's packets over several workers, which breaks ICE), so worker i
// listens on calls.rtcPort + i. With calls.workers = 1 that is exactly one port; with N
// workers the firewall opens rtcPort … rtcPort+N-1 (docs/architecture.md, calls part).
//
// Load is the number of producers and consumers (pipes included) living on a worker,
// counted by the media layer; new calls go to the least-loaded live worker. A worker
// that dies is respawned on the same port; listeners learn which slot died so the calls
// on it can be rebuilt.
import { limits } from "../limits.ts";
import type { Logger } from "../log/port.ts";
import type { Mediasoup, types } from "./mediasoup.ts";

export interface WorkerSlot {
  readonly index: number;
  readonly worker: types.Worker;
  readonly server: types.WebRtcServer;
  /** Producers + consumers on this worker (adjusted by the media layer). */
  load: number;
  alive: boolean;
}

export interface PoolOptions {
  workers: number; // ≥ 1
  rtcPort: number; // 0: each worker picks free ports (tests)
  listenIp: string;
  announcedAddress: string;
  log: Logger;
}

export type DeathListener = (dead: WorkerSlot) => void;

export class WorkerPool {
  readonly slots: WorkerSlot[] = [];
  private closed = false;
  private readonly listeners = new Set<DeathListener>();

  private constructor(
    private readonly mediasoup: Mediasoup,
    private readonly opts: PoolOptions,
  ) {}

  static async start(mediasoup: Mediasoup, opts: PoolOptions): Promise<WorkerPool> {
    const pool = new WorkerPool(mediasoup, opts);
    try {
      for (let i = 0; i < opts.workers; i++) pool.slots.push(await pool.spawn(i));
    } catch (err) {
      pool.close();
      throw err;
    }
    return pool;
  }

  /** The live worker with the least load (ties: the lowest index); throws when none is alive. */
  leastLoaded(): WorkerSlot {
    let best: WorkerSlot | null = null;
    for (const s of this.slots) if (s.alive && (!best || s.load < best.load)) best = s;
    if (!best) throw new Error("no mediasoup worker is alive");
    return best;
  }

  /** Waits (bounded) while every worker is being respawned; false if none came back. */
  async waitAlive(maxMs: number): Promise<boolean> {
    const deadline = Date.now() + maxMs;
    while (this.aliveCount === 0 && !this.closed && Date.now() < deadline) await Bun.sleep(20);
    return this.aliveCount > 0;
  }

  slot(index: number): WorkerSlot {
    const s = this.slots[index];
    if (!s) throw new Error(`no worker slot ${index}`);
    return s;
  }

  get aliveCount(): number {
    return this.slots.filter((s) => s.alive).length;
  }

  onDeath(listener: DeathListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): void {
    this.closed = true;
    for (const s of this.slots) s.worker.close();
  }

  portOf(index: number): number {
    return this.opts.rtcPort === 0 ? 0 : this.opts.rtcPort + index;
  }

  private async spawn(index: number): Promise<WorkerSlot> {
    const worker = await this.mediasoup.createWorker({ logLevel: "warn", appData: { index } });
    let server: types.WebRtcServer;
    try {
      server = await worker.createWebRtcServer({ listenInfos: this.listenInfos(index) });
    } catch (err) {
      worker.close();
      throw new Error(`cannot listen for WebRTC media on port ${this.portOf(index)} (UDP+TCP): ${(err as Error).message}`);
    }
    const slot: WorkerSlot = { index, worker, server, load: 0, alive: true };
    worker.on("died", (err) => this.died(slot, err));
    return slot;
  }

  private listenInfos(index: number): types.TransportListenInfo[] {
    const port = this.portOf(index);
    const base = { ip: this.opts.listenIp, announcedAddress: this.opts.announcedAddress, ...(port ? { port } : {}) };
    return [
      { ...base, protocol: "udp" },
      { ...base, protocol: "tcp" },
    ];
  }

  private died(slot: WorkerSlot, err: Error): void {
    if (this.closed || !slot.alive) return;
    slot.alive = false;
    this.opts.log.error("mediasoup worker died; respawning", { worker: slot.index, pid: slot.worker.pid, err: err.message });
    for (const l of this.listeners) {
      try {
        l(slot);
      } catch (e) {
        this.opts.log.error("worker death listener failed", { err: e });
      }
    }
    void this.respawn(slot.index);
  }

  /** Retries until a new worker runs in the slot (the old one's port is freed when it exits). */
  private async respawn(index: number): Promise<void> {
    for (let attempt = 1; !this.closed; attempt++) {
      try {
        const fresh = await this.spawn(index);
        if (this.closed) return void fresh.worker.close();
        this.slots[index] = fresh;
        this.opts.log.info("mediasoup worker respawned", { worker: index, pid: fresh.worker.pid, attempt });
        return;
      } catch (err) {
        this.opts.log.warn("mediasoup worker respawn failed; retrying", { worker: index, attempt, err: (err as Error).message });
        await Bun.sleep(limits.callWorkerRespawnDelayMs);
      }
    }
  }
}
