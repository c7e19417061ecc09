// What the register page shows for an invite link: who invites you, to which server.
// Only for a live code (else invalid_invite, the same answer as registering with it).
import { AppError } from "../errors.ts";
import { hashToken } from "../ids.ts";
import type { InviteInfoAnswer } from "../protocol/http.ts";
import type { Deps } from "../core/deps.ts";
import { takeLookup } from "./lookups.ts";
import { publicBaseUrl } from "./registration.ts";

/** The server's name as people know it: the host of the address links use. */
export const serverName = (deps: Deps) => new URL(publicBaseUrl(deps)).host;

export async function inviteInfo(deps: Deps, inviteCode: string, ip: string): Promise<InviteInfoAnswer> {
  takeLookup(deps, ip);
  const found = await deps.storage.accounts.liveInviteByCodeHash(hashToken(inviteCode.trim()), deps.now());
  if (!found) throw new AppError("invalid_invite", "The invite is unknown, expired, revoked or used up");
  return { inviterName: found.creatorDisplayName, serverName: serverName(deps) };
}
