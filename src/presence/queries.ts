// Presence reads: the welcome snapshot part and presence.get, both through the one
// visibility rule (visibility.ts).
import { limits } from "../limits.ts";
import type { WirePresence } from "../protocol/methods/presence.ts";
import type { Deps } from "../core/deps.ts";
import { factsOf } from "./facts.ts";
import type { PresenceRegistry } from "./registry.ts";
import { presenceView } from "./visibility.ts";

export async function presenceSnapshot(deps: Deps, registry: PresenceRegistry, userId: string) {
  const peers = await deps.storage.presence.pushPeers(userId, limits.presenceGroupMembersMax, limits.presenceSnapshotUsersMax);
  const now = deps.now();
  const users = (await factsOf(deps, registry, peers)).map((f) => presenceView(f, "contact", now));
  const privacy = (await deps.storage.presence.privacy([userId])).get(userId)!;
  return { users, privacy };
}

export async function presenceGet(deps: Deps, registry: PresenceRegistry, viewerId: string, userIds: string[]): Promise<{ users: WirePresence[] }> {
  const unique = [...new Set(userIds)];
  // unknown (or never existing) users are left out rather than reported as long gone
  const found = await Promise.all(unique.map((id) => deps.storage.users.byId(id)));
  const ids = unique.filter((_, i) => found[i] !== null);
  const contacts = await deps.storage.presence.sharingChat(viewerId, ids);
  const now = deps.now();
  const facts = await factsOf(deps, registry, ids);
  const users = facts.map((f) => presenceView(f, f.userId === viewerId ? "self" : contacts.has(f.userId) ? "contact" : "stranger", now));
  return { users };
}
