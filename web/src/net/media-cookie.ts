// Browsers load <img>/<video> from /media/* without an Authorization header, so the server
// hands out an HttpOnly cookie (`hearth_media`, Path=/media) tied to this session:
// asked for after sign-in and after every token refresh (the server revokes it with the
// session). A failed request is retried with the next token; pictures wait until then.
export const mediaCookiePath = "/api/media/cookie";

let last = "";

export async function requestMediaCookie(accessToken: string, f: typeof fetch = fetch.bind(globalThis)): Promise<boolean> {
  if (accessToken === last) return true;
  try {
    const res = await f(mediaCookiePath, { method: "POST", headers: { authorization: `Bearer ${accessToken}` }, credentials: "same-origin" });
    if (res.ok) last = accessToken;
    return res.ok;
  } catch {
    return false;
  }
}

/** Signing out: the next sign-in asks again even with a token string seen before. */
export function forgetMediaCookie(): void {
  last = "";
}
