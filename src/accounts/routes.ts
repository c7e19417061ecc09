// HTTP endpoints of accounts (src/protocol/http.ts). Handlers throw AppError; the one
// edge mapping (src/server/errors.ts) turns it into the JSON error body and status.
import { Elysia } from "elysia";
import { AppError } from "../errors.ts";
import { limits } from "../limits.ts";
import {
  type AuthInfo,
  type AuthTokens,
  authPaths,
  ClaimBodySchema,
  LoginBodySchema,
  RefreshBodySchema,
  RegisterBodySchema,
} from "../protocol/http.ts";
import { clientIp } from "../server/client-ip.ts";
import type { Deps } from "../server/deps.ts";
import { login } from "./login.ts";
import { sessionsRevoked } from "./notify.ts";
import { claimOwner, register, registrationMode } from "./registration.ts";
import { type Issued, refreshSession } from "./sessions.ts";
import { accessJwtPlugin, accessPayload, verifyAccessToken } from "./tokens.ts";

type Signer = { sign(payload: Record<string, unknown>): Promise<string> };

async function withAccess(deps: Deps, jwt: Signer, issued: Issued): Promise<AuthTokens> {
  const accessExpiresAt = deps.now() + limits.accessTokenTtlMs;
  const accessToken = await jwt.sign(accessPayload({ sub: issued.userId, sid: issued.sessionId }, accessExpiresAt));
  return { ...issued, accessToken, accessExpiresAt };
}

/** Reads a JSON body of at most authBodyBytesMax bytes (a tighter bound than the server's). */
async function boundedJson({ request }: { request: Request }): Promise<unknown> {
  const tooLarge = () => new AppError("payload_too_large", "The request body is too large", { limit: limits.authBodyBytesMax });
  if (Number(request.headers.get("content-length") ?? 0) > limits.authBodyBytesMax) throw tooLarge();
  const bytes = await request.arrayBuffer();
  if (bytes.byteLength > limits.authBodyBytesMax) throw tooLarge();
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw new AppError("bad_request", "The request body is not JSON");
  }
}

function bearer(request: Request): string {
  const match = /^Bearer\s+(\S+)$/i.exec(request.headers.get("authorization") ?? "");
  if (!match) throw new AppError("unauthenticated", "Missing Authorization: Bearer <access token>");
  return match[1]!;
}

export function accountRoutes(deps: Deps) {
  const trusted = deps.config.server.trustedProxies;
  return new Elysia()
    .use(accessJwtPlugin(deps.secrets))
    .derive(({ request, server }) => ({ ip: clientIp(request, server?.requestIP(request)?.address ?? "", trusted) }))
    .post(authPaths.claim, async ({ body, ip, accessJwt }) => withAccess(deps, accessJwt, await claimOwner(deps, body, ip)), {
      parse: boundedJson,
      body: ClaimBodySchema,
    })
    .post(authPaths.register, async ({ body, ip, accessJwt }) => withAccess(deps, accessJwt, await register(deps, body, ip)), {
      parse: boundedJson,
      body: RegisterBodySchema,
    })
    .post(authPaths.login, async ({ body, ip, accessJwt }) => withAccess(deps, accessJwt, await login(deps, body, ip)), {
      parse: boundedJson,
      body: LoginBodySchema,
    })
    .post(authPaths.refresh, async ({ body, ip, accessJwt }) => withAccess(deps, accessJwt, await refreshSession(deps, body.refreshToken, ip)), {
      parse: boundedJson,
      body: RefreshBodySchema,
    })
    .post(authPaths.logout, async ({ request }) => {
      // Idempotent: a session already revoked logs out fine.
      const claims = await verifyAccessToken(bearer(request), deps.secrets, deps.now());
      if (await deps.storage.sessions.revoke(claims.sub, claims.sid, deps.now())) {
        await sessionsRevoked(deps, claims.sub, [claims.sid]);
      }
      return new Response(null, { status: 204 });
    })
    .get(authPaths.info, async (): Promise<AuthInfo> => ({
      registration: await registrationMode(deps),
      ownerClaimPending: !(await deps.storage.users.ownerExists()),
      passwordMinLength: limits.passwordLengthMin,
    }));
}
