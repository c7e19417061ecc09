// A session's "last seen" (and the address it was last seen from) for the session list.
// Advisory like acks, so batched: frames only mark the session, and at most one storage
// write per session per limits.sessionSeenWriteIntervalMs records the latest mark.
import type { SessionStore } from "../storage/port.ts";

export interface SeenWriter {
  seen(sessionId: string, at: number, ip: string): void;
  flush(): Promise<void>;
  stop(): Promise<void>;
}

export function createSeenWriter(sessions: Pick<SessionStore, "touch">, onError: (e: unknown) => void, intervalMs: number): SeenWriter {
  let pending = new Map<string, { at: number; ip: string }>();
  const flush = async () => {
    const batch = pending;
    pending = new Map();
    for (const [sessionId, s] of batch) await sessions.touch(sessionId, s.at, s.ip).catch(onError);
  };
  const timer = setInterval(() => void flush(), intervalMs);
  timer.unref?.();
  return {
    seen(sessionId, at, ip) {
      pending.set(sessionId, { at, ip });
    },
    flush,
    async stop() {
      clearInterval(timer);
      await flush();
    },
  };
}
