// The login throttle around anything that checks a secret a person typed: login,
// and, inside a session, the current password or a 2FA code (so a stolen access token
// cannot be used to guess them either). One budget per account and per IP.
// The attempt is reserved before `attempt` starts (see throttle.ts); what happens to the
// reservation depends on the outcome:
//   wrong password / wrong code → stays counted (a failure);
//   success → the account's count is cleared (its owner got in), the IP's attempt released;
//   anything else (two_factor_required, unavailable, a bug) → released: it was no guess.
import { AppError } from "../errors.ts";
import type { Deps } from "../core/deps.ts";
import { accountsState } from "./state.ts";
import { accountKey, reserveLogin } from "./throttle.ts";

const loginLimits = (deps: Deps) => ({
  perAccount: deps.config.accounts.loginAttemptsPerAccount,
  perIp: deps.config.accounts.loginAttemptsPerIp,
});

const isFailure = (err: unknown) => err instanceof AppError && (err.code === "invalid_credentials" || err.code === "invalid_two_factor");

/** Runs `attempt` under the login throttle for (account, ip); refused up front when over the limit. */
export async function throttled<T>(deps: Deps, account: string, ip: string, attempt: () => Promise<T>): Promise<T> {
  const { throttle } = accountsState(deps);
  const held = reserveLogin(throttle, loginLimits(deps), account, ip, deps.now());
  let result: T;
  try {
    result = await attempt();
  } catch (err) {
    if (!isFailure(err)) for (const r of held) throttle.release(r);
    throw err;
  }
  throttle.reset(accountKey(account));
  for (const r of held) throttle.release(r);
  return result;
}
