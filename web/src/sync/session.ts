// The signed-in session (tokens only; "session" always means authentication). Persisted in
// localStorage so a reload stays signed in; the WebSocket layer will read it from here.
import { createSignal } from "solid-js";
import type { AuthTokens } from "../net/http.ts";

const storageKey = "hearth.session";

export function parseStoredSession(raw: string | null, now: number): AuthTokens | null {
  if (!raw) return null;
  try {
    const t = JSON.parse(raw) as Partial<AuthTokens>;
    const complete = typeof t.userId === "string" && typeof t.accessToken === "string" && typeof t.refreshToken === "string";
    if (!complete || typeof t.refreshExpiresAt !== "number" || t.refreshExpiresAt <= now) return null;
    return t as AuthTokens;
  } catch {
    return null;
  }
}

function load(): AuthTokens | null {
  try {
    return parseStoredSession(localStorage.getItem(storageKey), Date.now());
  } catch {
    return null; // storage blocked (private mode): stay signed out
  }
}

const [session, setSessionSignal] = createSignal<AuthTokens | null>(load());

/** The session as stored now (another tab may have refreshed it since this one loaded). */
export function storedSession(): AuthTokens | null {
  const s = load();
  return s && s.userId === session()?.userId ? s : null;
}

export { session };

export function setSession(tokens: AuthTokens | null): void {
  try {
    if (tokens) localStorage.setItem(storageKey, JSON.stringify(tokens));
    else localStorage.removeItem(storageKey);
  } catch {
    // not persisted; the in-memory session still works for this tab
  }
  setSessionSignal(tokens);
}

const reasonKey = "hearth.signedOutReason";

/** Why the server ended this device's session (a bye reason), shown on the sign-in screen.
 * Kept in sessionStorage so a reload of that screen still says it; cleared on sign-in. */
export function signedOutReason(): string | null {
  try {
    return sessionStorage.getItem(reasonKey);
  } catch {
    return null;
  }
}

export function setSignedOutReason(reason: string | null): void {
  try {
    if (reason) sessionStorage.setItem(reasonKey, reason);
    else sessionStorage.removeItem(reasonKey);
  } catch {
    // not kept: the sign-in screen shows no reason
  }
}
