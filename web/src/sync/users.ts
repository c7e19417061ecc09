// Public profiles by id, fetched on first use (user.get) and kept in the store. Others'
// profile changes (name, avatar) reach us only by asking again, so each welcome snapshot
// (a new connection: a page load, or a resume that was too far behind) makes every known
// profile stale, and the next read of one asks for it once more.
import type { PublicUser } from "../../../src/protocol/methods/accounts.ts";
import { request } from "../net/connection.ts";
import { mutate, onSnapshot, state } from "./store.ts";

const asked = new Set<string>(); // being fetched
const fresh = new Set<string>(); // fetched since the last welcome snapshot

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
    // outside the current render: writing the store while reading it would loop
    queueMicrotask(() =>
      request("user.get", { userId: id })
        .then((found) => {
          fresh.add(id);
          asked.delete(id); // asked = in flight; fresh keeps it from being asked again
          mutate((s) => void (s.users[found.id] = found));
        })
        .catch(() => {
          asked.delete(id);
          if (u) fresh.add(id); // keep what we had; no retry on every render
        }),
    );
  }
  return u;
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
