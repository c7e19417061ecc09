// The audit log of admin actions: one entry (who, what, target, when, detail) per change
// an admin makes, written after the change committed. Bounded on every write: entries
// older than `limits.auditRetentionMs` and beyond the newest `limits.auditRowsMax` go.
// The CLI writes entries too, with no actor id and the name "cli".
import { limits } from "../limits.ts";
import type { Storage, User } from "../storage/port.ts";

export interface AuditDeps {
  storage: Storage;
  now: () => number;
}

export function audit(deps: AuditDeps, actor: Pick<User, "id" | "username"> | null, action: string, target: string, detail = ""): Promise<void> {
  const at = deps.now();
  return deps.storage.admin.audit(
    { at, actorId: actor?.id ?? null, actorName: actor?.username ?? "cli", action, target, detail: detail.slice(0, limits.auditDetailCharsMax) },
    { keepMax: limits.auditRowsMax, olderThan: at - limits.auditRetentionMs },
  );
}
