// Everything presenceView needs about a set of users, read in one go: live state from
// the registry, last seen and privacy from storage.
import type { Deps } from "../server/deps.ts";
import type { PresenceRegistry } from "./registry.ts";
import type { Facts } from "./visibility.ts";

export async function factsOf(deps: Pick<Deps, "storage">, registry: PresenceRegistry, userIds: readonly string[]): Promise<Facts[]> {
  if (userIds.length === 0) return [];
  const [live, seen, privacy] = await Promise.all([
    registry.states(userIds),
    deps.storage.presence.lastSeen(userIds),
    deps.storage.presence.privacy(userIds),
  ]);
  return userIds.map((userId) => ({ userId, live: live.get(userId) ?? "offline", lastSeenAt: seen.get(userId), privacy: privacy.get(userId)! }));
}
