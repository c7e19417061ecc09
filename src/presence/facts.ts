// Everything presenceView needs about a set of users, read in one go: live state from
// the registry, last seen and privacy from storage.
import type { Deps } from "../core/deps.ts";
import type { PresenceRegistry } from "./registry.ts";
import type { Facts } from "./visibility.ts";
import { dndActive } from "../push/dnd.ts";

export async function factsOf(deps: Pick<Deps, "storage" | "now">, registry: PresenceRegistry, userIds: readonly string[]): Promise<Facts[]> {
  if (userIds.length === 0) return [];
  const [live, seen, privacy, notify] = await Promise.all([
    registry.states(userIds),
    deps.storage.presence.lastSeen(userIds),
    deps.storage.presence.privacy(userIds),
    deps.storage.push.settings(userIds),
  ]);
  const now = deps.now();
  return userIds.map((userId) => ({
    userId,
    live: live.get(userId) ?? "offline",
    lastSeenAt: seen.get(userId),
    privacy: privacy.get(userId)!,
    dnd: dndActive(notify.get(userId)!, now),
  }));
}
