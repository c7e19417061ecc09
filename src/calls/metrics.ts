// Call metrics: workers alive, calls, participants, producers and consumers — set from
// the live state after each change (a handful of gauges; cheap to recompute).
import type { Counter, Gauge, Metrics } from "../metrics/port.ts";
import type { WorkerPool } from "./pool.ts";

export interface CallMetrics {
  workerDeaths: Counter;
  refresh(calls: { byId: ReadonlyMap<string, { participants: ReadonlyMap<string, unknown>; media: { peers: ReadonlyMap<string, { producers: ReadonlyMap<string, unknown>; consumers: ReadonlyMap<string, unknown> }> } | null }> }, pool: WorkerPool): void;
}

export function callMetrics(m: Metrics): CallMetrics {
  const g = {
    workers: m.gauge("hearth_calls_workers_alive", "mediasoup workers running."),
    calls: m.gauge("hearth_calls_active", "Calls in progress."),
    participants: m.gauge("hearth_calls_participants", "People in calls."),
    producers: m.gauge("hearth_calls_producers", "Media sources sent into calls."),
    consumers: m.gauge("hearth_calls_consumers", "Media streams sent out of calls."),
    load: m.gauge("hearth_calls_worker_load", "Producers + consumers (pipes included) per worker."),
  } satisfies Record<string, Gauge>;
  const workerDeaths = m.counter("hearth_calls_worker_deaths_total", "mediasoup workers that died (and were respawned).");
  return {
    workerDeaths,
    refresh(calls, pool) {
      let participants = 0;
      let producers = 0;
      let consumers = 0;
      for (const call of calls.byId.values()) {
        participants += call.participants.size;
        for (const peer of call.media?.peers.values() ?? []) {
          producers += peer.producers.size;
          consumers += peer.consumers.size;
        }
      }
      g.workers.set(pool.aliveCount);
      g.calls.set(calls.byId.size);
      g.participants.set(participants);
      g.producers.set(producers);
      g.consumers.set(consumers);
      for (const s of pool.slots) g.load.set(s.load, { worker: String(s.index) });
    },
  };
}
