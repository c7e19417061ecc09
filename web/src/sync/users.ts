// Public profiles by id, fetched once on first use (user.get) and kept in the store.
import type { PublicUser } from "../../../src/protocol/methods/accounts.ts";
import { call } from "../net/connection.ts";
import { mutate, state } from "./store.ts";

const asked = new Set<string>();

export function user(id: string | null | undefined): PublicUser | undefined {
  if (!id) return undefined;
  const u = state.users[id];
  if (!u && !asked.has(id)) {
    asked.add(id);
    // outside the current render: writing the store while reading it would loop
    queueMicrotask(() =>
      call("user.get", { userId: id })
        .then((found) => mutate((s) => void (s.users[found.id] = found)))
        .catch(() => asked.delete(id)),
    );
  }
  return u;
}

export function nameOf(id: string | null | undefined): string {
  const u = user(id);
  return u ? u.displayName || u.username : "…";
}

/** After a reconnect, unknown ids are asked again. */
export function forgetMisses(): void {
  asked.clear();
}
