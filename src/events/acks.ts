// Client acks say how far a session has read. They are advisory (delivery never depends
// on them), so they are coalesced: at most one storage write per session per interval.
import { limits } from "../limits.ts";
import type { SessionStore } from "../storage/port.ts";

export interface AckWriter {
  ack(sessionId: string, lastEventId: number): void;
  flush(): Promise<void>;
  stop(): Promise<void>;
}

export function createAckWriter(
  sessions: Pick<SessionStore, "ack">,
  onError: (e: unknown) => void,
  intervalMs: number = limits.ackWriteIntervalMs,
): AckWriter {
  let pending = new Map<string, number>();
  const flush = async () => {
    const batch = pending;
    pending = new Map();
    for (const [sessionId, id] of batch) await sessions.ack(sessionId, id).catch(onError);
  };
  const timer = setInterval(() => void flush(), intervalMs);
  timer.unref?.();
  return {
    ack(sessionId, lastEventId) {
      if ((pending.get(sessionId) ?? -1) < lastEventId) pending.set(sessionId, lastEventId);
    },
    flush,
    async stop() {
      clearInterval(timer);
      await flush();
    },
  };
}
