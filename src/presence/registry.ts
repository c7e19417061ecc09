// The presence registry: who has live connections, across processes. Each process
// reports its own per-user counts; the registry answers the user's state over all of
// them. The in-process adapter below serves one box. A Redis adapter (scale-out) keeps
// one hash per user (field = process id, value = counts) plus a per-process heartbeat
// key, so a crashed process's connections stop counting when its heartbeat expires.
export type LiveState = "online" | "away" | "offline";

/** One process's connections of one user: those on active devices, and those idle. */
export interface LocalCounts {
  online: number;
  away: number;
}

export interface PresenceRegistry {
  /** Replaces this process's counts for the user; answers the overall state before and after. */
  report(userId: string, local: LocalCounts): Promise<{ before: LiveState; after: LiveState }>;
  /** Overall state of each user ("offline" when no process has a connection). */
  states(userIds: readonly string[]): Promise<Map<string, LiveState>>;
}

export const stateOf = (c: LocalCounts): LiveState => (c.online > 0 ? "online" : c.away > 0 ? "away" : "offline");

/** Single process: the local counts are the whole truth. */
export function createLocalRegistry(): PresenceRegistry {
  const counts = new Map<string, LocalCounts>();
  const state = (userId: string): LiveState => stateOf(counts.get(userId) ?? { online: 0, away: 0 });
  return {
    async report(userId, local) {
      const before = state(userId);
      if (local.online + local.away === 0) counts.delete(userId);
      else counts.set(userId, { ...local });
      return { before, after: state(userId) };
    },
    async states(userIds) {
      return new Map(userIds.map((u) => [u, state(u)]));
    },
  };
}
