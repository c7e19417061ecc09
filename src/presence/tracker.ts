// This process's live connections per user and device (session), reported to the
// registry after every change. A change of the user's overall state is marked for the
// coalesced push, and last seen is written when they come online and when they leave
// (the first write keeps last seen close to true even if this process later crashes).
import type { Deps } from "../core/deps.ts";
import type { PresencePush } from "./push.ts";
import type { LocalCounts, PresenceRegistry } from "./registry.ts";

interface Device {
  readonly sessionId: string;
  conns: number;
  away: boolean;
}

export class PresenceTracker {
  // A user's devices as a short array (a user has a few; one, mostly): per idle socket an
  // array of one instead of a Map and its table.
  private readonly users = new Map<string, Device[]>();

  constructor(
    private readonly deps: Deps,
    private readonly registry: PresenceRegistry,
    private readonly push: PresencePush,
  ) {}

  /** A connection opened; the returned function is its close. */
  connected(userId: string, sessionId: string): () => void {
    let devices = this.users.get(userId);
    if (!devices) this.users.set(userId, (devices = []));
    let d = devices.find((x) => x.sessionId === sessionId);
    if (!d) devices.push((d = { sessionId, conns: 0, away: false }));
    d.conns += 1;
    d.away = false; // a new connection is someone actively opening the app
    this.report(userId);
    let open = true;
    const device = d;
    const list = devices;
    return () => {
      if (!open) return;
      open = false;
      device.conns -= 1;
      if (device.conns === 0) {
        const i = list.indexOf(device);
        if (i >= 0) list.splice(i, 1);
      }
      if (list.length === 0 && this.users.get(userId) === list) this.users.delete(userId);
      this.report(userId);
    };
  }

  /** Users with a connection in this process. */
  localUsers(): string[] {
    return [...this.users.keys()];
  }

  /** presence.set from a device; ignored when that device has no connection here. */
  setAway(userId: string, sessionId: string, away: boolean): void {
    const d = this.users.get(userId)?.find((x) => x.sessionId === sessionId);
    if (!d || d.away === away) return;
    d.away = away;
    this.report(userId);
  }

  private counts(userId: string): LocalCounts {
    const c = { online: 0, away: 0 };
    for (const d of this.users.get(userId) ?? []) {
      if (d.away) c.away += d.conns;
      else c.online += d.conns;
    }
    return c;
  }

  private report(userId: string): void {
    const run = async () => {
      const { before, after } = await this.registry.report(userId, this.counts(userId));
      if (before === after) return;
      this.push.mark(userId);
      if (before === "offline" || after === "offline") await this.deps.storage.presence.setLastSeen(userId, this.deps.now());
    };
    run().catch((e) => this.deps.log.warn("presence report failed", { userId, err: String(e) }));
  }
}
