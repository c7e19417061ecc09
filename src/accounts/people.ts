// Finding people: by username or display-name prefix among those who share a direct chat
// or group with you, and — while the server directory is on (an admin setting, on by
// default) — among everyone. Disabled accounts are never found. Blocks are not revealed:
// someone who blocked you is found like anyone, and chat.create then answers `blocked`.
import { limits } from "../limits.ts";
import type { Deps } from "../core/deps.ts";
import { currentUser, requireAdmin } from "./access.ts";
import { audit } from "./audit.ts";
import { publicUser } from "./views.ts";

export const directoryEnabled = async (deps: Deps) => (await deps.storage.accounts.getDirectoryEnabled()) ?? true;

export async function searchPeople(deps: Deps, userId: string, p: { query: string; limit?: number }) {
  const viewer = await currentUser(deps, userId);
  const query = p.query.trim();
  if (query === "") return { users: [] };
  const limit = Math.min(p.limit ?? 20, limits.peopleSearchResultsMax);
  const users = await deps.storage.users.search({ viewerId: viewer.id, query, directory: await directoryEnabled(deps), limit });
  return { users: users.map(publicUser) };
}

export async function serverSettings(deps: Deps, userId: string) {
  await requireAdmin(deps, userId);
  return { directory: await directoryEnabled(deps) };
}

export async function setDirectory(deps: Deps, userId: string, enabled: boolean) {
  const admin = await requireAdmin(deps, userId);
  await deps.storage.accounts.setDirectoryEnabled(enabled);
  deps.log.info("directory set", { enabled, by: admin.id });
  await audit(deps, admin, "settings.directory", enabled ? "on" : "off");
  return { directory: enabled };
}
