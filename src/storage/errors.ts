// Typed storage errors: every adapter throws exactly these (as AppError with a code
// from the protocol's one list), and the contract suite asserts the codes. Domain
// code may let them pass to the edge unchanged.
import { limits } from "../limits.ts";
import { AppError } from "../errors.ts";

export const storeNotFound = (what: string) => new AppError("not_found", `${what} not found`);
export const storeConflict = (what: string) => new AppError("conflict", `${what} already exists or changed`, { what });
export const usernameTaken = () => new AppError("username_taken", "That username is taken");
export const sessionLimitExceeded = () =>
  new AppError("limit_exceeded", "Too many active sessions; sign out elsewhere first", {
    limit: "sessionsPerUserMax",
    max: limits.sessionsPerUserMax,
  });
export const claimInvalid = () => new AppError("claim_invalid", "The owner claim token is unknown, expired or used");
export const resetInvalid = () => new AppError("reset_invalid", "The password-reset link is unknown, expired, replaced or used");
export const invalidInvite = () => new AppError("invalid_invite", "The invite is unknown, expired, revoked or used up");
export const storageUnavailable = (why: string) => new AppError("unavailable", why);

/** Case-insensitive username key, shared by every adapter so uniqueness agrees. */
export function usernameKey(username: string): string {
  return username.normalize("NFKC").toLowerCase();
}
