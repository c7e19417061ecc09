// The accounts WS methods: schema from src/protocol/methods/accounts.ts, handler here.
// Every handler authorizes from stored state (ctx.userId → the stored user).
import { accountMethods as spec } from "../protocol/methods/accounts.ts";
import { backupMethods, type BackupStatus } from "../protocol/methods/backups.ts";
import type { Deps } from "../core/deps.ts";
import { type MethodDef, method } from "../core/module.ts";
import { currentUser, requireAdmin } from "./access.ts";
import { listUsers, revokeUserSession, setUserDisabled, setUserRole, userResetLink, userSessions } from "./admin.ts";
import { adminMethods as adminSpec } from "../protocol/methods/admin.ts";
import { searchPeople, serverSettings, setDirectory } from "./people.ts";
import { createInvite, listInvites, revokeInvite, setRegistrationMode } from "./invites.ts";
import { changePassword, findPublicUser, getPublicUser, updateProfile } from "./profile.ts";
import { revokeSession } from "./sessions.ts";
import { disableTwoFactor, enableTwoFactor, setupTwoFactor } from "./twofactor.ts";
import { me, sessionInfo } from "./views.ts";

export function accountMethodDefs(deps: Deps): MethodDef<any, any>[] {
  return [
    method({ name: "me.get", params: spec["me.get"].params, handler: async (ctx) => me(await currentUser(deps, ctx.userId)) }),
    method({ name: "profile.update", params: spec["profile.update"].params, handler: (ctx, p) => updateProfile(deps, ctx.userId, p) }),
    method({
      name: "password.change",
      params: spec["password.change"].params,
      handler: (ctx, p) => changePassword(deps, ctx.userId, ctx.sessionId, ctx.ip, p),
    }),
    method({
      name: "session.list",
      params: spec["session.list"].params,
      handler: async (ctx) => {
        await currentUser(deps, ctx.userId);
        const sessions = await deps.storage.sessions.listForUser(ctx.userId);
        const withPush = await deps.storage.push.sessionsWithPush(ctx.userId);
        return { sessions: sessions.map((s) => sessionInfo(s, ctx.sessionId, withPush)) };
      },
    }),
    method({
      name: "session.revoke",
      params: spec["session.revoke"].params,
      handler: async (ctx, p) => {
        await revokeSession(deps, ctx.userId, p.sessionId);
        return {};
      },
    }),
    method({ name: "twofactor.setup", params: spec["twofactor.setup"].params, handler: (ctx) => setupTwoFactor(deps, ctx.userId) }),
    method({ name: "twofactor.enable", params: spec["twofactor.enable"].params, handler: (ctx, p) => enableTwoFactor(deps, ctx.userId, p.code) }),
    method({ name: "twofactor.disable", params: spec["twofactor.disable"].params, handler: (ctx, p) => disableTwoFactor(deps, ctx.userId, ctx.ip, p) }),
    method({ name: "invite.create", params: spec["invite.create"].params, handler: (ctx, p) => createInvite(deps, ctx.userId, p) }),
    method({ name: "invite.list", params: spec["invite.list"].params, handler: (ctx) => listInvites(deps, ctx.userId) }),
    method({ name: "invite.revoke", params: spec["invite.revoke"].params, handler: (ctx, p) => revokeInvite(deps, ctx.userId, p.inviteId) }),
    method({ name: "registration.set", params: spec["registration.set"].params, handler: (ctx, p) => setRegistrationMode(deps, ctx.userId, p.mode) }),
    method({
      name: "user.get",
      params: spec["user.get"].params,
      handler: async (ctx, p) => {
        await currentUser(deps, ctx.userId);
        return getPublicUser(deps, p.userId);
      },
    }),
    method({
      name: "user.find",
      params: spec["user.find"].params,
      handler: async (ctx, p) => {
        await currentUser(deps, ctx.userId);
        return findPublicUser(deps, p.username);
      },
    }),
    method({ name: "user.search", params: spec["user.search"].params, handler: (ctx, p) => searchPeople(deps, ctx.userId, p) }),
    method({ name: "user.list", params: spec["user.list"].params, handler: (ctx, p) => listUsers(deps, ctx.userId, p) }),
    method({ name: "user.setRole", params: spec["user.setRole"].params, handler: (ctx, p) => setUserRole(deps, ctx.userId, p.userId, p.role) }),
    method({ name: "user.resetLink", params: spec["user.resetLink"].params, handler: (ctx, p) => userResetLink(deps, ctx.userId, p.userId) }),
    method({ name: "server.settings", params: spec["server.settings"].params, handler: (ctx) => serverSettings(deps, ctx.userId) }),
    method({ name: "server.setDirectory", params: spec["server.setDirectory"].params, handler: (ctx, p) => setDirectory(deps, ctx.userId, p.enabled) }),
    method({
      name: "backup.status",
      params: backupMethods["backup.status"].params,
      handler: async (ctx): Promise<BackupStatus> => {
        await requireAdmin(deps, ctx.userId);
        return deps.backups?.status() ?? { enabled: false, dir: "", schedule: "none in this process", nextAt: null, running: false, last: null, lastSuccess: null, kept: 0 };
      },
    }),
    method({
      name: "user.setDisabled",
      params: spec["user.setDisabled"].params,
      handler: (ctx, p) => setUserDisabled(deps, ctx.userId, p.userId, p.disabled),
    }),
    method({ name: "admin.sessions", params: adminSpec["admin.sessions"].params, handler: (ctx, p) => userSessions(deps, ctx.userId, p.userId) }),
    method({
      name: "admin.revokeSession",
      params: adminSpec["admin.revokeSession"].params,
      handler: (ctx, p) => revokeUserSession(deps, ctx.userId, p.userId, p.sessionId),
    }),
  ];
}
