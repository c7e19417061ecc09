// The login throttle around anything that checks a secret a person typed: login,
// and, inside a session, the current password or a 2FA code (so a stolen access token
// cannot be used to guess them either). One budget per account and per IP.
import { AppError } from "../errors.ts";
import type { Deps } from "../server/deps.ts";
import { accountsState } from "./state.ts";
import { checkLogin, recordLoginFailure, recordLoginSuccess } from "./throttle.ts";

const loginLimits = (deps: Deps) => ({
  perAccount: deps.config.accounts.loginAttemptsPerAccount,
  perIp: deps.config.accounts.loginAttemptsPerIp,
});

/**
 * Runs `attempt` under the login throttle for (account, ip): refused up front when over
 * the limit; an invalid_credentials / invalid_two_factor outcome counts as a failure.
 */
export async function throttled<T>(deps: Deps, accountKey: string, ip: string, attempt: () => Promise<T>): Promise<T> {
  const { throttle } = accountsState(deps);
  checkLogin(throttle, loginLimits(deps), accountKey, ip, deps.now());
  try {
    const result = await attempt();
    recordLoginSuccess(throttle, accountKey);
    return result;
  } catch (err) {
    if (err instanceof AppError && (err.code === "invalid_credentials" || err.code === "invalid_two_factor")) {
      recordLoginFailure(throttle, accountKey, ip, deps.now());
    }
    throw err;
  }
}

