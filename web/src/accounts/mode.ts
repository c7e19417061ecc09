// Which sign-in screen to show, from the server's auth info and the address the person
// opened. The owner claim link printed on first start is <publicUrl>/claim?token=…
import type { AuthInfo } from "../net/http.ts";

export type AuthMode = { kind: "claim"; token: string } | { kind: "login" } | { kind: "register"; needsInvite: boolean } | { kind: "reset"; token: string };

/** An admin's password-reset link: /reset#TOKEN (what user.resetLink answers). */
export function resetTokenFrom(url: URL): string | null {
  return url.pathname.replace(/\/+$/, "") === "/reset" && url.hash.length > 1 ? url.hash.slice(1) : null;
}

export function claimTokenFrom(url: URL): string | null {
  const token = url.searchParams.get("token") ?? (url.hash.length > 1 ? url.hash.slice(1) : null);
  return url.pathname.replace(/\/+$/, "") === "/claim" && token ? token : null;
}

/** An account invite: /invite#CODE (what registration_invite.create answers) or ?invite=CODE. */
export function inviteCodeFrom(url: URL): string {
  if (url.pathname.replace(/\/+$/, "") === "/invite" && url.hash.length > 1) return url.hash.slice(1);
  return url.searchParams.get("invite") ?? "";
}

/** A chat invite link: /join#CODE (what chat.invite_create answers). */
export function joinCodeFrom(url: URL): string | null {
  return url.pathname.replace(/\/+$/, "") === "/join" && url.hash.length > 1 ? url.hash.slice(1) : null;
}

export function initialMode(info: AuthInfo | null, url: URL): AuthMode {
  const reset = resetTokenFrom(url);
  if (reset) return { kind: "reset", token: reset };
  const token = claimTokenFrom(url);
  if (info?.ownerClaimPending) return { kind: "claim", token: token ?? "" };
  const invite = inviteCodeFrom(url);
  if (invite && info && info.registration !== "closed") return { kind: "register", needsInvite: true };
  return { kind: "login" };
}

export function canRegister(info: AuthInfo | null): boolean {
  return info !== null && info.registration !== "closed" && !info.ownerClaimPending;
}

export function deviceName(userAgent: string): string {
  const browser = /Firefox|Edg|Chrome|Safari/.exec(userAgent)?.[0] ?? "Browser";
  const os = /Android|iPhone|iPad|Mac OS X|Windows|Linux/.exec(userAgent)?.[0] ?? "";
  return `${browser === "Edg" ? "Edge" : browser}${os ? ` on ${os.replace("Mac OS X", "macOS")}` : ""}`.slice(0, 100);
}
