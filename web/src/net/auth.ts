// Where the one client gets its access tokens. Refresh tokens are single-use and a reused
// one revokes the session (theft detection), so with several tabs open only one may refresh
// at a time: a Web Lock serializes refreshes across tabs, and whoever gets the lock first
// re-reads the stored tokens — another tab may already have refreshed them.
import { type AuthSource, postJson } from "../../../src/client/index.ts";
import { authPaths } from "../../../src/protocol/http.ts";
import type { AuthTokens } from "./http.ts";

const marginMs = 30_000;

export interface TokenStore {
  get(): AuthTokens | null;
  set(t: AuthTokens): void;
}

function withLock<T>(fn: () => Promise<T>): Promise<T> {
  const locks = (navigator as Navigator & { locks?: LockManager }).locks;
  return locks ? (locks.request("hearth-refresh", fn) as Promise<T>) : fn();
}

export function sharedAuth(baseUrl: string, store: TokenStore): AuthSource {
  let inflight: Promise<string> | null = null;
  const refresh = (): Promise<string> => {
    const stale = store.get()?.accessToken;
    inflight ??= withLock(async () => {
      const current = store.get();
      if (!current) throw Object.assign(new Error("signed out"), { code: "unauthorized" });
      // another tab refreshed while we waited for the lock: use its tokens
      if (current.accessToken !== stale && current.accessExpiresAt - Date.now() > marginMs) return current.accessToken;
      const next = await postJson<AuthTokens>(baseUrl, authPaths.refresh, { refreshToken: current.refreshToken });
      store.set(next);
      return next.accessToken;
    }).finally(() => (inflight = null));
    return inflight;
  };
  return {
    accessToken: () => {
      const t = store.get();
      if (!t) return Promise.reject(Object.assign(new Error("signed out"), { code: "unauthorized" }));
      return t.accessExpiresAt - Date.now() < marginMs ? refresh() : Promise.resolve(t.accessToken);
    },
    refresh,
  };
}
