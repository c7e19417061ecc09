// Admin actions on other users. The owner cannot be disabled; only the owner may
// disable an admin; nobody disables themself (an instance must keep someone in charge).
import { forbidden, notFound } from "../errors.ts";
import type { Deps } from "../server/deps.ts";
import { requireAdmin } from "./access.ts";
import { control } from "./notify.ts";
import { publicUser } from "./views.ts";

export async function setUserDisabled(deps: Deps, actorId: string, targetId: string, disabled: boolean) {
  const actor = await requireAdmin(deps, actorId);
  const target = await deps.storage.users.byId(targetId);
  if (!target) throw notFound("No such user");
  if (target.id === actor.id) throw forbidden("You cannot disable yourself");
  if (target.role === "owner") throw forbidden("The owner cannot be disabled");
  if (target.role === "admin" && actor.role !== "owner") throw forbidden("Only the owner may disable an admin");
  const { user, revokedSessionIds } = await deps.storage.users.setDisabled(targetId, disabled);
  deps.log.info(disabled ? "user disabled" : "user enabled", { userId: user.id, by: actor.id, revokedSessions: revokedSessionIds.length });
  if (disabled) await control(deps, user.id, { kind: "user_disabled" });
  return publicUser(user);
}
