// HTTP endpoints of accounts (src/protocol/http.ts). Handlers throw AppError; the one
// edge mapping (src/server/errors.ts) turns it into the JSON error body and status.
import { Elysia } from "elysia";
import type { TSchema } from "@sinclair/typebox";
import { AppError } from "../errors.ts";
import { limits } from "../limits.ts";
import {
  type AuthInfo,
  type AuthTokens,
  authPaths,
  ClaimBodySchema,
  LoginBodySchema,
  RefreshBodySchema,
  InviteInfoBodySchema,
  RegisterBodySchema,
  ResetBodySchema,
  ResetInfoBodySchema,
} from "../protocol/http.ts";
import { inviteInfo } from "./invite-info.ts";
import { resetInfo, resetPassword } from "./reset.ts";
import { clientIp } from "../server/client-ip.ts";
import { jsonBodyOf } from "../server/body.ts";
import type { Deps } from "../core/deps.ts";
import { login } from "./login.ts";
import { revokedDrafts, sessionsRevoked } from "./notify.ts";
import { claimOwner, register, registrationMode } from "./registration.ts";
import { type Issued, refreshSession } from "./sessions.ts";
import { signAccessToken, verifyAccessToken } from "./tokens.ts";

async function withAccess(deps: Deps, issued: Issued): Promise<AuthTokens> {
  const access = await signAccessToken(deps.secrets, { sub: issued.userId, sid: issued.sessionId }, deps.now());
  return { ...issued, accessToken: access.token, accessExpiresAt: access.expiresAt };
}

/**
 * A JSON body of at most authBodyBytesMax bytes (tighter than the server's bound, and
 * exact also for bodies without a Content-Length),
 * checked against its schema. Done here rather than by Elysia's parser, which would
 * fold a too-large body into a generic parse error.
 */
function jsonBody<T extends TSchema>(schema: T) {
  return jsonBodyOf(schema, limits.authBodyBytesMax);
}

const bodies = {
  claim: jsonBody(ClaimBodySchema),
  register: jsonBody(RegisterBodySchema),
  login: jsonBody(LoginBodySchema),
  refresh: jsonBody(RefreshBodySchema),
  inviteInfo: jsonBody(InviteInfoBodySchema),
  resetInfo: jsonBody(ResetInfoBodySchema),
  reset: jsonBody(ResetBodySchema),
};

function bearer(request: Request): string {
  const match = /^Bearer\s+(\S+)$/i.exec(request.headers.get("authorization") ?? "");
  if (!match) throw new AppError("unauthenticated", "Missing Authorization: Bearer <access token>");
  return match[1]!;
}

export function accountRoutes(deps: Deps) {
  const trusted = deps.config.server.trustedProxies;
  return new Elysia()
    .derive(({ request, server }) => ({ ip: clientIp(request, server?.requestIP(request)?.address ?? "", trusted) }))
    .post(
      authPaths.claim,
      async ({ request, ip }) => withAccess(deps, await claimOwner(deps, await bodies.claim(request), ip)),
      { parse: "none" },
    )
    .post(
      authPaths.register,
      async ({ request, ip }) => withAccess(deps, await register(deps, await bodies.register(request), ip)),
      { parse: "none" },
    )
    .post(
      authPaths.login,
      async ({ request, ip }) => withAccess(deps, await login(deps, await bodies.login(request), ip)),
      { parse: "none" },
    )
    .post(
      authPaths.refresh,
      async ({ request, ip }) =>
        withAccess(deps, await refreshSession(deps, (await bodies.refresh(request)).refreshToken, ip)),
      { parse: "none" },
    )
    .post(authPaths.logout, async ({ request }) => {
      // Idempotent: a session already revoked logs out fine.
      const claims = await verifyAccessToken(bearer(request), deps.secrets, deps.now());
      const revoked = await deps.storage.sessions.revoke(claims.sub, claims.sid, deps.now(), {
        emit: (done) => (done ? revokedDrafts(claims.sub, [claims.sid]) : []),
      });
      if (revoked.value) await sessionsRevoked(deps, claims.sub, [claims.sid], revoked.events);
      return new Response(null, { status: 204 });
    })
    .post(authPaths.inviteInfo, async ({ request, ip }) => inviteInfo(deps, (await bodies.inviteInfo(request)).inviteCode, ip), { parse: "none" })
    .post(authPaths.resetInfo, async ({ request, ip }) => resetInfo(deps, (await bodies.resetInfo(request)).token, ip), { parse: "none" })
    .post(authPaths.reset, async ({ request, ip }) => resetPassword(deps, await bodies.reset(request), ip), { parse: "none" })
    .get(authPaths.info, async (): Promise<AuthInfo> => ({
      registration: await registrationMode(deps),
      ownerClaimPending: !(await deps.storage.users.ownerExists()),
      passwordMinLength: limits.passwordLengthMin,
      deletionGraceMs: deps.config.accounts.deletionGraceMs,
    }));
}
