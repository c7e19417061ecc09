// Public profiles by id, fetched on first use and kept in the store. The ids a render asks
// for are gathered and fetched together: one user.get_many per up to USER_GET_MANY_MAX ids
// (a group's member list opens with one request, not one per member). Others' profile
// changes (name, avatar) reach us only by asking again, so each welcome snapshot (a new
// connection: a page load, or a resume that was too far behind) makes every known profile
// stale, and the next read of one asks for it once more.
import { accountMethods, type PublicUser } from "../../../src/protocol/methods/accounts.ts";
import { request } from "../net/connection.ts";
import { batcher } from "./batch.ts";
import { mutate, onSnapshot, state } from "./store.ts";

const asked = new Set<string>(); // being fetched
const fresh = new Set<string>(); // fetched since the last welcome snapshot
/** user.get_many's bound, read from its schema (limits.userGetManyMax on the server; a test ties them). */
const USER_GET_MANY_MAX = accountMethods["user.get_many"].params.properties.userIds.maxItems ?? 1;
// outside the current render: writing the store while reading it would loop
const ask = batcher(USER_GET_MANY_MAX, (part) =>
  request("user.get_many", { userIds: part })
    .then(({ users }) => {
      mutate((s) => {
        for (const found of users) s.users[found.id] = found;
      });
      done(part, true);
    })
    .catch(() => done(part, false)),
);

let watching = false; // registered on first use: no import-order dependence on the store

export function user(id: string | null | undefined): PublicUser | undefined {
  if (!id) return undefined;
  if (!watching) {
    watching = true;
    onSnapshot(() => {
      asked.clear();
      fresh.clear();
    });
  }
  const u = state.users[id];
  if ((!u || !fresh.has(id)) && !asked.has(id) && id !== state.me?.id) {
    asked.add(id);
    ask(id);
  }
  return u;
}

/** asked = in flight; fresh keeps an id from being asked again (also one that failed but is known: no retry on every render). */
function done(ids: readonly string[], answered: boolean): void {
  for (const id of ids) {
    asked.delete(id);
    if (answered || state.users[id]) fresh.add(id);
  }
}

export function nameOf(id: string | null | undefined): string {
  const u = user(id);
  return u ? u.displayName || u.username : "…";
}

/** Asks for someone's profile again now (opening a direct chat shows their current picture and name). */
export function refreshUser(id: string | null | undefined): void {
  if (!id) return;
  fresh.delete(id);
  user(id);
}

/** After a reconnect, unknown ids are asked again. */
export function forgetMisses(): void {
  asked.clear();
}
