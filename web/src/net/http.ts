// The one module that talks HTTP to the server (the WebSocket client will live beside it
// in net/). Errors come back as `{error: WireError}` (src/server/errors.ts); they surface as ApiError
// with the same code, so screens switch on codes, never on messages.
import type { AuthInfo, AuthTokens, ClaimBody, InviteInfoAnswer, LoginBody, RegisterBody, ResetInfoAnswer } from "../../../src/protocol/http.ts";
import type { ErrorCode } from "../../../src/protocol/errors.ts";

export type { AuthInfo, AuthTokens, ClaimBody, LoginBody, RegisterBody };

export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode | "network" | "bad_response" | "cancelled",
    message: string,
    readonly data?: unknown,
  ) {
    super(message);
  }
}

// Kept here (not imported from src/protocol/http.ts) so the bundle carries no schema library.
export const authPaths = {
  claim: "/api/auth/claim",
  register: "/api/auth/register",
  login: "/api/auth/login",
  refresh: "/api/auth/refresh",
  logout: "/api/auth/logout",
  info: "/api/auth/info",
  inviteInfo: "/api/auth/invite-info",
  resetInfo: "/api/auth/reset-info",
  reset: "/api/auth/reset",
} as const;

/** Turns a non-2xx answer (`{error: WireError}`) into an ApiError; anything else is bad_response. */
export function errorFromBody(status: number, body: unknown): ApiError {
  const wire = body && typeof body === "object" ? (body as { error?: unknown }).error : undefined;
  if (wire && typeof wire === "object" && typeof (wire as { code?: unknown }).code === "string") {
    const w = wire as { code: ErrorCode; message?: string; data?: unknown };
    return new ApiError(w.code, w.message ?? w.code, w.data);
  }
  return new ApiError("bad_response", `The server answered ${status} without an error body.`);
}

async function request<T>(method: "GET" | "POST", path: string, body?: unknown, accessToken?: string): Promise<T> {
  const headers: Record<string, string> = { accept: "application/json" };
  if (body !== undefined) headers["content-type"] = "application/json";
  if (accessToken) headers.authorization = `Bearer ${accessToken}`;
  let res: Response;
  try {
    res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    throw new ApiError("network", "The server cannot be reached.");
  }
  if (res.status === 204) return undefined as T;
  const parsed: unknown = await res.json().catch(() => null);
  if (!res.ok) throw errorFromBody(res.status, parsed);
  return parsed as T;
}

export const api = {
  info: () => request<AuthInfo>("GET", authPaths.info),
  login: (body: LoginBody) => request<AuthTokens>("POST", authPaths.login, body),
  register: (body: RegisterBody) => request<AuthTokens>("POST", authPaths.register, body),
  claim: (body: ClaimBody) => request<AuthTokens>("POST", authPaths.claim, body),
  refresh: (refreshToken: string) => request<AuthTokens>("POST", authPaths.refresh, { refreshToken }),
  logout: (accessToken: string) => request<void>("POST", authPaths.logout, undefined, accessToken),
  inviteInfo: (inviteCode: string) => request<InviteInfoAnswer>("POST", authPaths.inviteInfo, { inviteCode }),
  resetInfo: (token: string) => request<ResetInfoAnswer>("POST", authPaths.resetInfo, { token }),
  reset: (token: string, password: string) => request<{ username: string }>("POST", authPaths.reset, { token, password }),
};

// src/protocol/http.ts exportPaths.archive, kept here like authPaths (no schema library in the bundle).
export const EXPORT_PATH = "/api/export";

/** Your data export (GET /api/export) as a file to save; the server names it. */
export async function fetchExport(accessToken: string): Promise<{ blob: Blob; filename: string }> {
  let res: Response;
  try {
    res = await fetch(EXPORT_PATH, { headers: { authorization: `Bearer ${accessToken}` } });
  } catch {
    throw new ApiError("network", "The server cannot be reached.");
  }
  if (!res.ok) throw errorFromBody(res.status, await res.json().catch(() => null));
  const filename = /filename="([^"]+)"/.exec(res.headers.get("content-disposition") ?? "")?.[1] ?? "hearth-export.tar";
  return { blob: await res.blob(), filename };
}
