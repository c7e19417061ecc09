// Typing, presence and privacy as the server sees them: WS methods, the welcome
// snapshot part `presence` (people you share chats with, and your own privacy), and
// the per-connection hook that feeds the tracker. src/main.ts lists it.
import { presenceMethods as pm } from "../protocol/methods/presence.ts";
import type { Deps } from "../core/deps.ts";
import { type DomainModule, bind } from "../core/module.ts";
import { presenceGet, presenceSnapshot } from "./queries.ts";
import { PresencePush } from "./push.ts";
import type { PresenceRegistry } from "./registry.ts";
import { PresenceTracker } from "./tracker.ts";
import { Typing } from "./typing.ts";
import { limits } from "../limits.ts";

export interface PresenceOptions {
  /** Who is connected where: chosen by the composition root (src/compose.ts), one per process today. */
  registry: PresenceRegistry;
  /** Tests shorten the coalescing window. */
  coalesceMs?: number;
  /** Tests shorten the do-not-disturb sweep. */
  dndSweepMs?: number;
}

async function sweepDnd(deps: Deps, tracker: PresenceTracker, push: PresencePush): Promise<void> {
  try {
    const users = tracker.localUsers();
    if (users.length === 0) return;
    for (const [userId, s] of await deps.storage.push.settings(users)) if (s.dnd.until !== null || s.dnd.schedule !== null) push.mark(userId);
  } catch (err) {
    deps.log.warn("do-not-disturb presence sweep failed", { err: String(err) });
  }
}

export function presenceModule(deps: Deps, opts: PresenceOptions): DomainModule {
  const { registry } = opts;
  const push = new PresencePush(deps, registry, opts.coalesceMs);
  const tracker = new PresenceTracker(deps, registry, push);
  const typing = new Typing(deps);
  // Do-not-disturb shows as presence `dnd`: a notify.set (src/push/settings.ts) is a presence change.
  deps.observers?.add((events) => {
    for (const e of events) if (e.type === "notify.updated") push.mark(e.userId);
  });
  // ...and so is a do-not-disturb period starting or ending by itself (a schedule, a manual
  // `until` passing): connected users who have either are re-checked every sweep; the push
  // sends only views that changed.
  const sweep = setInterval(() => void sweepDnd(deps, tracker, push), opts.dndSweepMs ?? limits.presenceDndSweepMs);
  sweep.unref?.();
  return {
    name: "presence",
    stop: () => clearInterval(sweep),
    connected: (c) => tracker.connected(c.userId, c.sessionId),
    snapshot: (userId) => presenceSnapshot(deps, registry, userId),
    methods: [
      bind("typing.start", (x, p) => typing.start(x.userId, p.chatId)),
      bind("typing.stop", (x, p) => typing.stop(x.userId, p.chatId)),
      bind("presence.set", async (x, p) => {
          tracker.setAway(x.userId, x.sessionId, p.state === "away");
          return {};
        }),
      bind("presence.get", (x, p) => presenceGet(deps, registry, x.userId, p.userIds)),
      bind("privacy.get", async (x) => (await deps.storage.presence.privacy([x.userId])).get(x.userId)!),
      bind("privacy.set", async (x, p) => {
          const done = await deps.storage.presence.setPrivacy(x.userId, p);
          push.mark(x.userId); // people who see my presence get the view the new setting allows
          return done.value;
        }),
    ],
  };
}
