// Authorization reads the stored user on every call: a role change or a disable takes
// effect at once, whatever the caller's token says.
import { AppError, forbidden } from "../errors.ts";
import type { Deps } from "../core/deps.ts";
import type { User } from "../storage/port.ts";

export async function currentUser(deps: Pick<Deps, "storage">, userId: string): Promise<User> {
  const user = await deps.storage.users.byId(userId);
  if (!user || user.deletedAt !== undefined) throw new AppError("unauthenticated", "Unknown user");
  if (user.disabled) throw new AppError("account_disabled", "The account is disabled");
  // Its sessions were revoked when it was scheduled; an access token still in flight gets no further.
  if (user.deletion) throw new AppError("account_pending_deletion", "The account is scheduled for deletion", { deleteAt: user.deletion.at, by: user.deletion.by, cancellable: user.deletion.by === "self" });
  return user;
}

export const isAdmin = (user: User) => user.role === "owner" || user.role === "admin";

export async function requireAdmin(deps: Pick<Deps, "storage">, userId: string): Promise<User> {
  const user = await currentUser(deps, userId);
  if (!isAdmin(user)) throw forbidden("Only admins may do this");
  return user;
}
