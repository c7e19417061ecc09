// Password login, with TOTP or a recovery code when 2FA is on. The attempt is reserved
// under the throttle BEFORE the password is verified (a locked account or IP costs no
// argon2 time and reveals nothing; a parallel burst cannot outrun the count); wrong
// passwords and wrong second factors both count as failures.
// Unknown usernames cost a dummy verification, so timing does not reveal them. A
// disabled account answers exactly like a wrong password, whatever password was sent:
// the answer must not confirm a password (or that the account exists) to whoever
// guesses. Its owner already learnt why: its sockets were closed with `account_disabled`.
import { AppError } from "../errors.ts";
import { limits } from "../limits.ts";
import type { LoginBody } from "../protocol/http.ts";
import type { Deps } from "../core/deps.ts";
import { usernameKey } from "../storage/errors.ts";
import type { UserCredentials } from "../storage/port.ts";
import { verifyPasswordOrDummy } from "./passwords.ts";
import { type Issued, startSession } from "./sessions.ts";
import { throttled } from "./guard.ts";
import { checkSecondFactor } from "./twofactor.ts";
import { pendingDeletion } from "./deletion.ts";
import { validateDeviceName } from "./validate.ts";

const invalidCredentials = () => new AppError("invalid_credentials", "Wrong username or password");

export async function login(deps: Deps, body: LoginBody, ip: string): Promise<Issued> {
  const deviceName = validateDeviceName(body.deviceName);
  const username = body.username.trim();
  const user = await throttled(deps, usernameKey(username), ip, async () => {
    const creds = await checkCredentials(deps, username, body);
    // Re-checked after the awaits: an admin may have disabled the account meanwhile.
    const now = await deps.storage.users.byId(creds.id);
    if (!now || now.disabled) throw invalidCredentials();
    if (now.deletion) {
      // Shown only to whoever knows the password (and second factor): no one else learns of it.
      if (!body.cancelDeletion || now.deletion.by !== "self") throw pendingDeletion(now.deletion);
      await deps.storage.deletions.cancel(creds.id);
      deps.log.info("account deletion cancelled at sign-in", { userId: creds.id });
    }
    return creds;
  });
  return startSession(deps, user.id, deviceName, ip);
}

async function checkCredentials(deps: Deps, username: string, body: LoginBody): Promise<UserCredentials> {
  const tooLong = [...body.password].length > limits.passwordLengthMax;
  const creds = await deps.storage.users.credentialsByUsername(username);
  const ok = await verifyPasswordOrDummy(tooLong ? "" : body.password, tooLong ? null : creds?.passwordHash);
  if (!ok || !creds || creds.disabled) throw invalidCredentials();
  await checkSecondFactor(deps, creds, body);
  return creds;
}
