// The admin console's WS methods (src/protocol/methods/admin.ts): storage per user and
// chat, the live settings, IP blocks, the audit log, health. Every handler re-reads the
// caller's stored role first (requireAdmin). Another person's sessions are account
// methods (src/accounts/admin.ts), next to the other actions on accounts.
import { requireAdmin } from "../accounts/access.ts";
import { audit } from "../accounts/audit.ts";
import { AppError } from "../errors.ts";
import { limits } from "../limits.ts";
import { bind, type DomainModule } from "../core/module.ts";
import type { LiveSettings } from "../protocol/methods/admin.ts";
import type { AdminDeps, AdminOptions } from "./deps.ts";
import { health } from "./health.ts";
import { addIpBlock, blockInfo, removeIpBlock } from "./ip-blocks.ts";

interface Caller {
  userId: string;
}


export async function liveSettings(deps: AdminDeps): Promise<LiveSettings> {
  return {
    registration: (await deps.storage.accounts.getRegistrationMode()) ?? deps.config.accounts.registration,
    directory: (await deps.storage.accounts.getDirectoryEnabled()) ?? true,
  };
}

async function setSettings(deps: AdminDeps, userId: string, p: Partial<LiveSettings>): Promise<LiveSettings> {
  const admin = await requireAdmin(deps, userId);
  const before = await liveSettings(deps);
  if (p.registration !== undefined && p.registration !== before.registration) {
    await deps.storage.accounts.setRegistrationMode(p.registration);
    await audit(deps, admin, "settings.registration", p.registration, `was ${before.registration}`);
  }
  if (p.directory !== undefined && p.directory !== before.directory) {
    await deps.storage.accounts.setDirectoryEnabled(p.directory);
    await audit(deps, admin, "settings.directory", p.directory ? "on" : "off");
  }
  return liveSettings(deps);
}

async function storageUsage(deps: AdminDeps) {
  const [users, chats, stats] = await Promise.all([
    deps.storage.admin.usageByUser(limits.adminStorageRowsMax),
    deps.storage.admin.usageByChat(limits.adminStorageRowsMax),
    deps.storage.media.stats(0),
  ]);
  return { users, chats, totalBytes: stats.usedBytes };
}

async function auditPage(deps: AdminDeps, p: { beforeId?: number; limit?: number }) {
  const limit = Math.min(p.limit ?? limits.auditPageMax, limits.auditPageMax);
  const rows = await deps.storage.admin.auditPage({ beforeId: p.beforeId, limit: limit + 1 });
  return { entries: rows.slice(0, limit), hasMore: rows.length > limit };
}

export function adminModule(deps: AdminDeps, opts: AdminOptions = {}): DomainModule {
  const startedAt = deps.now();
  const admin = (ctx: Caller) => requireAdmin(deps, ctx.userId);
  return {
    name: "admin",
    methods: [
      bind("admin.storage", async (ctx) => {
        await admin(ctx);
        return storageUsage(deps);
      }),
      bind("admin.settings", async (ctx) => {
        await admin(ctx);
        return liveSettings(deps);
      }),
      bind("admin.set_settings", (ctx, p) => setSettings(deps, ctx.userId, p)),
      bind("admin.ip_blocks", async (ctx) => {
        await admin(ctx);
        return { blocks: (await deps.storage.admin.ipBlocks(deps.now())).map(blockInfo), max: limits.ipBlocksMax };
      }),
      bind("admin.ip_block", async (ctx, p) => blockInfo(await addIpBlock(deps, await admin(ctx), p))),
      bind("admin.ip_unblock", async (ctx, p) => {
        if (!(await removeIpBlock(deps, await admin(ctx), p.id))) throw new AppError("not_found", "No such IP block");
        return {};
      }),
      bind("admin.audit", async (ctx, p) => {
        await admin(ctx);
        return auditPage(deps, p);
      }),
      bind("admin.health", async (ctx) => {
        await admin(ctx);
        return health(deps, opts, startedAt);
      }),
    ],
  };
}
