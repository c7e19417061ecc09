// Presence pushes, coalesced: changes are only marked; once per presenceCoalesceMs the
// marked users' current presence goes out, grouped so each recipient gets ONE frame
// with every change it should see. A user who flaps ten times in a window costs one
// entry, and nothing at all if they end where the last push left them.
import { publishEphemeral } from "../events/ephemeral.ts";
import { limits } from "../limits.ts";
import type { WirePresence } from "../protocol/methods/presence.ts";
import type { Deps } from "../core/deps.ts";
import { factsOf } from "./facts.ts";
import type { PresenceRegistry } from "./registry.ts";
import { presenceView } from "./visibility.ts";

export class PresencePush {
  private pending = new Set<string>();
  private readonly lastSent = new Map<string, string>(); // user → the view last pushed, as JSON
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly deps: Deps,
    private readonly registry: PresenceRegistry,
    private readonly windowMs: number = limits.presenceCoalesceMs,
  ) {}

  mark(userId: string): void {
    this.pending.add(userId);
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.flush().catch((e) => this.deps.log.warn("presence push failed", { err: String(e) }));
    }, this.windowMs);
    this.timer.unref?.();
  }

  async flush(): Promise<void> {
    const subjects = [...this.pending];
    this.pending = new Set();
    const now = this.deps.now();
    const perRecipient = new Map<string, WirePresence[]>();
    for (const f of await factsOf(this.deps, this.registry, subjects)) {
      // push peers share a chat with the subject by definition: they see it as a contact
      const view = presenceView(f, "contact", now);
      const key = JSON.stringify(view);
      if (this.lastSent.get(f.userId) === key) continue;
      if (f.live === "offline") this.lastSent.delete(f.userId); // memory follows connected users
      else this.lastSent.set(f.userId, key);
      const peers = await this.deps.storage.presence.pushPeers(f.userId, limits.presenceGroupMembersMax, limits.presencePeersMax);
      for (const p of peers) {
        let list = perRecipient.get(p);
        if (!list) perRecipient.set(p, (list = []));
        list.push(view);
      }
    }
    await Promise.all([...perRecipient].map(([to, users]) => publishEphemeral(this.deps, [to], [{ type: "presence.changed", data: { users } }])));
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
