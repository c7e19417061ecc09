// In-memory state of accounts, one per Deps (so each test server has its own). It holds
// only what may be lost on restart: throttle counters and 2FA setups not yet confirmed.
// Nothing here lets a revoked session in; the last accepted TOTP step is in storage.
import { limits } from "../limits.ts";
import type { Deps } from "../core/deps.ts";
import { Throttle } from "./throttle.ts";

export interface AccountsState {
  throttle: Throttle;
  /** userId → secret shown by twofactor.setup, until confirmed by twofactor.enable. */
  pendingTotp: Map<string, { secret: string; expiresAt: number }>;
}

const states = new WeakMap<Deps, AccountsState>();

export function accountsState(deps: Deps): AccountsState {
  let state = states.get(deps);
  if (!state) {
    state = {
      throttle: new Throttle(deps.config.accounts.loginThrottleWindowMs, limits.loginThrottleKeysMax),
      pendingTotp: new Map(),
    };
    states.set(deps, state);
  }
  return state;
}

/** Keeps a per-user map bounded: drops entries that `stale` says are useless, then the oldest. */
export function boundMap<V>(map: Map<string, V>, stale: (v: V) => boolean): void {
  if (map.size <= limits.loginThrottleKeysMax) return;
  for (const [key, value] of map) if (stale(value)) map.delete(key);
  while (map.size > limits.loginThrottleKeysMax) map.delete(map.keys().next().value as string);
}
