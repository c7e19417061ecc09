// The accounts WS methods: schema from src/protocol/methods/accounts.ts, handler here.
// Every handler authorizes from stored state (ctx.userId → the stored user).
import { accountMethods as spec } from "../protocol/methods/accounts.ts";
import { backupMethods, type BackupStatus } from "../protocol/methods/backups.ts";
import type { Deps } from "../core/deps.ts";
import { type MethodDef, bind } from "../core/module.ts";
import { currentUser, requireAdmin } from "./access.ts";
import { listUsers, revokeUserSession, setUserDisabled, setUserRole, userResetLink, userSessions } from "./admin.ts";
import { adminMethods as adminSpec } from "../protocol/methods/admin.ts";
import { searchPeople, serverSettings, setDirectory } from "./people.ts";
import { createInvite, listInvites, revokeInvite, setRegistrationMode } from "./invites.ts";
import { changePassword, findPublicUser, getPublicUser, getPublicUsers, updateProfile } from "./profile.ts";
import { revokeSession } from "./sessions.ts";
import { adminCancelDeletion, adminDeleteUser, requestOwnDeletion } from "./deletion.ts";
import { disableTwoFactor, enableTwoFactor, setupTwoFactor } from "./twofactor.ts";
import { me, sessionInfo } from "./views.ts";

export function accountMethodDefs(deps: Deps): MethodDef[] {
  return [
    bind("me.get", async (ctx) => me(await currentUser(deps, ctx.userId))),
    bind("profile.update", (ctx, p) => updateProfile(deps, ctx.userId, p)),
    bind("password.change", (ctx, p) => changePassword(deps, ctx.userId, ctx.sessionId, ctx.ip, p)),
    bind("session.list", async (ctx) => {
        await currentUser(deps, ctx.userId);
        const sessions = await deps.storage.sessions.listForUser(ctx.userId);
        const withPush = await deps.storage.push.sessionsWithPush(ctx.userId);
        return { sessions: sessions.map((s) => sessionInfo(s, ctx.sessionId, withPush)) };
      }),
    bind("session.revoke", async (ctx, p) => {
        await revokeSession(deps, ctx.userId, p.sessionId);
        return {};
      }),
    bind("twofactor.setup", (ctx) => setupTwoFactor(deps, ctx.userId)),
    bind("twofactor.enable", (ctx, p) => enableTwoFactor(deps, ctx.userId, p.code)),
    bind("twofactor.disable", (ctx, p) => disableTwoFactor(deps, ctx.userId, ctx.ip, p)),
    bind("registration_invite.create", (ctx, p) => createInvite(deps, ctx.userId, p)),
    bind("registration_invite.list", (ctx) => listInvites(deps, ctx.userId)),
    bind("registration_invite.revoke", (ctx, p) => revokeInvite(deps, ctx.userId, p.inviteId)),
    bind("registration.set", (ctx, p) => setRegistrationMode(deps, ctx.userId, p.mode)),
    bind("user.get", async (ctx, p) => {
        await currentUser(deps, ctx.userId);
        return getPublicUser(deps, p.userId);
      }),
    bind("user.get_many", async (ctx, p) => {
      await currentUser(deps, ctx.userId);
      return getPublicUsers(deps, p.userIds);
    }),
    bind("user.find", async (ctx, p) => {
        await currentUser(deps, ctx.userId);
        return findPublicUser(deps, p.username);
      }),
    bind("user.search", (ctx, p) => searchPeople(deps, ctx.userId, p)),
    bind("user.list", (ctx, p) => listUsers(deps, ctx.userId, p)),
    bind("user.set_role", (ctx, p) => setUserRole(deps, ctx.userId, p.userId, p.role)),
    bind("user.reset_link", (ctx, p) => userResetLink(deps, ctx.userId, p.userId)),
    bind("server.settings", (ctx) => serverSettings(deps, ctx.userId)),
    bind("server.set_directory", (ctx, p) => setDirectory(deps, ctx.userId, p.enabled)),
    bind("backup.status", async (ctx): Promise<BackupStatus> => {
        await requireAdmin(deps, ctx.userId);
        return deps.backups?.status() ?? { enabled: false, dir: "", schedule: "none in this process", nextAt: null, running: false, last: null, lastSuccess: null, kept: 0 };
      }),
    bind("user.set_disabled", (ctx, p) => setUserDisabled(deps, ctx.userId, p.userId, p.disabled)),
    bind("account.delete", (ctx, p) => requestOwnDeletion(deps, ctx.userId, ctx.ip, p)),
    bind("user.delete", (ctx, p) => adminDeleteUser(deps, ctx.userId, p.userId, p.immediate ?? false)),
    bind("user.cancel_deletion", (ctx, p) => adminCancelDeletion(deps, ctx.userId, p.userId)),
    bind("admin.sessions", (ctx, p) => userSessions(deps, ctx.userId, p.userId)),
    bind("admin.revoke_session", (ctx, p) => revokeUserSession(deps, ctx.userId, p.userId, p.sessionId)),
  ];
}
