// `hearth serve`: the parts src/compose.ts builds, put behind the listeners, with what only
// a serving process runs (TLS, discovery, the modules' background work — media GC,
// retention and deletion sweepers —, the backup schedule, the owner claim link).
// src/cli/serve.ts calls it; src/main.ts is the entry point.
import { resolve } from "node:path";
import { closeDeps, compose, composeModules, type ComposeOptions } from "./compose.ts";
import { databaseFile } from "./config/paths.ts";
import { redactConfig } from "./config/load.ts";
import type { Config } from "./config/schema.ts";
import { limits } from "./limits.ts";
import { startServer, type RunningServer, type ServerParts } from "./server/app.ts";
import type { Deps } from "./core/deps.ts";
import type { DomainModule } from "./core/module.ts";
import { embedded } from "./server/embedded.ts";
import { exitOnSignals } from "./server/lifecycle.ts";
import { createWebAssets, defaultWebSource } from "./server/static.ts";
import { startTls } from "./tls/index.ts";
import type { TlsSource } from "./tls/source.ts";

/** `hearth serve`: compose, listen, print where to go, and shut down cleanly on SIGTERM/SIGINT. */
export async function serve(config: Config, opts: ComposeOptions = {}): Promise<RunningServer> {
  const deps = await compose(config, opts);
  let backups: Awaited<ReturnType<typeof createBackups>>;
  try {
    backups = await createBackups(deps); // FatalError for a bad backup.at / backup.intervalMs
  } catch (err) {
    await closeDeps(deps);
    throw err;
  }
  // Started before the server accepts uploads and not awaited: an image job waits for this
  // load (in the executable: <data>/lib written, checked, dlopen'ed), start-up does not.
  const images = await import("./media/image/native.ts"); // loads no native code by itself
  void images.logImageSupport(config, deps.log).catch((err) => deps.log.error("image support check failed", { err }));
  let server: RunningServer;
  let parts: ServerParts & { modules: DomainModule[] };
  let tls: TlsSource | null = null;
  try {
    tls = await startTls(config, { log: deps.log });
    parts = await serverParts(deps, tls);
    server = startServer(deps, { ...parts, tls: tls ?? undefined });
  } catch (err) {
    tls?.stop();
    await closeDeps(deps);
    throw err;
  }
  exitOnSignals(server.lifecycle, deps.log);
  process.on("unhandledRejection", (err) => deps.log.error("unhandled promise rejection", { err }));
  deps.log.info("listening", { url: server.url, httpsUrl: server.httpsUrl, metricsUrl: server.metricsUrl, dataDir: resolve(config.data.dir), config: redactConfig(config) });
  if (tls) deps.log.info("HTTPS", { mode: tls.mode, url: server.httpsUrl, startup: tls.startNotes });
  // A SIGTERM may arrive during any await below: from then on nothing more is started (the
  // lifecycle takes no new hooks once shutdown began, and storage is about to close).
  const serving = () => !server.lifecycle.shuttingDown;
  await (await import("./calls/media-port.ts")).logMediaPort(config, deps.log);
  if (serving()) await startDiscovery(deps, server);
  if (!serving()) return server;
  for (const m of parts.modules) m.start?.(); // media GC, retention and deletion sweepers; stopped by the lifecycle
  backups.start();
  server.lifecycle.onShutdown(() => backups.stop());
  // its write may meet storage closing under a SIGTERM; that is no start-up failure
  await announceOwnerClaim(deps).catch((err) => {
    if (serving()) throw err;
  });
  return server;
}

/** What the server serves besides its operational endpoints: every domain module, /ws, the web client. */
async function serverParts(deps: Deps, tls: TlsSource | null): Promise<ServerParts & { modules: DomainModule[] }> {
  const { accountsAuthenticate } = await import("./accounts/module.ts");
  const { createWsPart } = await import("./server/ws.ts");
  const modules = await composeModules(deps, { tls: () => tls });
  const repoRoot = resolve(import.meta.dir, "..");
  return {
    modules,
    routes: modules.flatMap((m) => (m.routes ? [m.routes] : [])),
    stops: modules.flatMap((m) => (m.stop ? [m.stop] : [])),
    websocket: createWsPart(deps, { authenticate: accountsAuthenticate(deps), modules }),
    web: createWebAssets(defaultWebSource(embedded()?.web ?? null, repoRoot)),
  };
}

/** mDNS announcement and the "other devices" hint; both only matter when LAN devices can connect. */
async function startDiscovery(deps: Deps, server: RunningServer): Promise<void> {
  const { advertiseLinks, lanHint, startAnnouncer } = await import("./net/discovery.ts");
  advertiseLinks(deps, server);
  const hint = lanHint(deps.config, server);
  if (hint) process.stderr.write(hint);
  const announcer = await startAnnouncer(deps.config, deps.log, server);
  if (!announcer) return;
  if (server.lifecycle.shuttingDown) announcer.stop(); // a SIGTERM came while it started
  else server.lifecycle.onShutdown(() => announcer.stop());
}

/** The backup schedule (backup.*): its status is what backup.status, /readyz and /metrics show. */
async function createBackups(deps: Deps) {
  const { createBackupScheduler } = await import("./backups/scheduler.ts");
  const { snapshotWithCounts, verifySnapshot } = await import("./storage/sqlite/backup.ts");
  const { backupDirOf } = await import("./config/paths.ts");
  const c = deps.config.backup;
  const scheduler = createBackupScheduler({
    settings: { enabled: c.enabled, dir: backupDirOf(deps.config), at: c.at, intervalMs: c.intervalMs, keepDaily: c.keepDaily, keepWeekly: c.keepWeekly },
    dataDir: deps.config.data.dir,
    dbFile: databaseFile(deps.config),
    log: deps.log,
    metrics: deps.metrics,
    now: deps.now,
    snapshot: snapshotWithCounts,
    verify: verifySnapshot,
  });
  deps.backups = scheduler;
  return scheduler;
}

/** First start: print the one-time link that makes its opener the owner. */
async function announceOwnerClaim(deps: Deps): Promise<void> {
  const { ensureOwnerClaim } = await import("./accounts/module.ts");
  const { publicBaseUrl } = await import("./accounts/registration.ts");
  const link = await ensureOwnerClaim(deps, publicBaseUrl(deps));
  if (!link) return;
  deps.log.info("no owner yet: open the claim link to create the owner account");
  const hours = Math.round(limits.ownerClaimTtlMs / 3_600_000);
  process.stderr.write(`\n  Claim this Hearth server (the link works once, for ${hours} h):\n  ${link}\n\n`);
}
