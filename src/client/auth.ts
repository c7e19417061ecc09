// Where the client gets access tokens. Refresh tokens are single-use and a reused one
// revokes the session (theft detection), so refreshes are single-flight: concurrent
// callers share one request.
import { type AuthTokens, authPaths, type LoginBody } from "../protocol/http.ts";
import { limits } from "../limits.ts";
import { ClientError } from "./errors.ts";

export interface AuthSource {
  /** A token for hello (refreshing first when it is about to expire). */
  accessToken(): Promise<string>;
  /** Called when the server said token_expired. */
  refresh(): Promise<string>;
}

/** Posts JSON, returns the JSON answer; a WireError body becomes a ClientError. */
export async function postJson<T>(baseUrl: string, path: string, body: unknown, headers: Record<string, string> = {}): Promise<T> {
  let res: Response;
  try {
    res = await fetch(baseUrl.replace(/\/+$/, "") + path, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify(body),
    });
  } catch (e) {
    throw new ClientError("disconnected", `POST ${path} failed: ${(e as Error).message}`);
  }
  const text = await res.text();
  const json = text ? (JSON.parse(text) as unknown) : null;
  if (!res.ok) {
    const err = (json as { error?: { code?: string; message?: string; data?: unknown } } | null)?.error;
    throw new ClientError(err?.code ?? "internal", err?.message ?? `HTTP ${res.status}`, err?.data);
  }
  return json as T;
}

/** Uses tokens from login/register/claim and refreshes them over HTTP. */
export function tokenAuth(baseUrl: string, initial: AuthTokens, onTokens?: (t: AuthTokens) => void): AuthSource & { tokens(): AuthTokens } {
  let tokens = initial;
  let inflight: Promise<string> | null = null;
  const refresh = () => {
    inflight ??= postJson<AuthTokens>(baseUrl, authPaths.refresh, { refreshToken: tokens.refreshToken })
      .then((t) => {
        tokens = t;
        onTokens?.(t);
        return t.accessToken;
      })
      .finally(() => (inflight = null));
    return inflight;
  };
  return {
    tokens: () => tokens,
    accessToken: () => (tokens.accessExpiresAt - Date.now() < limits.clientTokenRefreshMarginMs ? refresh() : Promise.resolve(tokens.accessToken)),
    refresh,
  };
}

/** Logs in with a password over HTTP, then behaves like tokenAuth. */
export async function passwordAuth(baseUrl: string, body: LoginBody, onTokens?: (t: AuthTokens) => void) {
  const tokens = await postJson<AuthTokens>(baseUrl, authPaths.login, body);
  onTokens?.(tokens);
  return tokenAuth(baseUrl, tokens, onTokens);
}
