#!/usr/bin/env bun
// The composition root: the only file that knows every adapter. Config → data dir →
// logger, metrics, secrets → storage → bus → domain modules → server. Everything below
// receives Deps and knows only ports.
import { accessSync, constants, mkdirSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { databaseFile } from "./cli/paths.ts";
import { redactConfig } from "./config/load.ts";
import type { Config } from "./config/schema.ts";
import { FatalError } from "./errors.ts";
import { CommitObservers } from "./core/observers.ts";
import { limits } from "./limits.ts";
import type { Bus } from "./bus/port.ts";
import { createLogger, type LogStream } from "./log/logger.ts";
import type { Logger } from "./log/port.ts";
import { createMetrics } from "./metrics/registry.ts";
import { dropRetiredTotpKeys, loadSecrets, loadTotpBox } from "./secrets/store.ts";
import type { TotpBox } from "./secrets/totp-box.ts";
import { startServer, type RunningServer, type ServerParts } from "./server/app.ts";
import type { Deps } from "./core/deps.ts";
import type { DomainModule } from "./core/module.ts";
import { embedded } from "./server/embedded.ts";
import { exitOnSignals } from "./server/lifecycle.ts";
import { createWebAssets, defaultWebSource } from "./server/static.ts";
import type { Storage } from "./storage/port.ts";
import { startTls } from "./tls/index.ts";
import type { TlsSource } from "./tls/source.ts";

export interface ComposeOptions {
  /** Where log lines go (tests capture them); default stderr. */
  logStream?: LogStream;
}

export async function compose(config: Config, opts: ComposeOptions = {}): Promise<Deps> {
  ensureDataDir(config.data.dir);
  const log = createLogger({ level: config.log.level, format: config.log.format, stream: opts.logStream });
  const metrics = createMetrics();
  const secrets = loadSecrets(config.data.dir);
  const storage = await openStorage(config, log, loadTotpBox(config.data.dir, secrets));
  let bus: Bus;
  try {
    bus = await openBus(config, log);
  } catch (err) {
    await storage.close();
    throw err;
  }
  const deps: Deps = { config, storage, bus, log, metrics, secrets, now: Date.now, observers: new CommitObservers(log) };
  const { createPreviews } = await import("./previews/previews.ts");
  try {
    deps.previews = createPreviews(deps); // FatalError for a bad previews.allowHosts entry
  } catch (err) {
    await storage.close();
    await bus.close();
    throw err;
  }
  return deps;
}

/** `hearth serve`: compose, listen, print where to go, and shut down cleanly on SIGTERM/SIGINT. */
export async function serve(config: Config, opts: ComposeOptions = {}): Promise<RunningServer> {
  const deps = await compose(config, opts);
  let backups: Awaited<ReturnType<typeof createBackups>>;
  try {
    backups = await createBackups(deps); // FatalError for a bad backup.at / backup.intervalMs
  } catch (err) {
    await deps.storage.close();
    await deps.bus.close();
    throw err;
  }
  // Started before the server accepts uploads and not awaited: an image job waits for this
  // load (in the executable: <data>/lib written, checked, dlopen'ed), start-up does not.
  const images = await import("./media/image/native.ts"); // loads no native code by itself
  void images.logImageSupport(config, deps.log).catch((err) => deps.log.error("image support check failed", { err }));
  let server: RunningServer;
  let tls: TlsSource | null = null;
  try {
    tls = await startTls(config, { log: deps.log });
    server = startServer(deps, { ...(await serverParts(deps, tls)), tls: tls ?? undefined });
  } catch (err) {
    tls?.stop();
    await deps.storage.close();
    await deps.bus.close();
    throw err;
  }
  exitOnSignals(server.lifecycle, deps.log);
  process.on("unhandledRejection", (err) => deps.log.error("unhandled promise rejection", { err }));
  deps.log.info("listening", { url: server.url, httpsUrl: server.httpsUrl, metricsUrl: server.metricsUrl, dataDir: resolve(config.data.dir), config: redactConfig(config) });
  if (tls) deps.log.info("HTTPS", { mode: tls.mode, url: server.httpsUrl, startup: tls.startNotes });
  await (await import("./calls/media-port.ts")).logMediaPort(config, deps.log);
  await startDiscovery(deps, server);
  const stopMediaGc = (await import("./media/gc.ts")).startMediaGc(deps);
  server.lifecycle.onShutdown(() => stopMediaGc());
  backups.start();
  server.lifecycle.onShutdown(() => backups.stop());
  await announceOwnerClaim(deps);
  return server;
}

/** What the server serves besides its operational endpoints: every domain module, /ws, the web client. */
async function serverParts(deps: Deps, tls: TlsSource | null): Promise<ServerParts> {
  const { accountsAuthenticate, accountsModule } = await import("./accounts/module.ts");
  const { chatsModule } = await import("./chats/module.ts");
  const { callsModule } = await import("./calls/module.ts");
  const { presenceModule } = await import("./presence/module.ts");
  const { pushModule } = await import("./push/module.ts");
  const { previewsModule } = await import("./previews/module.ts");
  const { mediaModule } = await import("./media/module.ts");
  const { adminModule } = await import("./admin/module.ts");
  const { Calls } = await import("./calls/calls.ts");
  const { createWsPart } = await import("./server/ws.ts");
  const calls = new Calls(deps);
  const modules: DomainModule[] = [
    accountsModule(deps),
    chatsModule(deps),
    callsModule(deps, { calls }),
    presenceModule(deps),
    pushModule(deps),
    mediaModule(deps),
    previewsModule(deps),
    adminModule(deps, { calls, tls: () => tls }),
  ];
  const repoRoot = resolve(import.meta.dir, "..");
  return {
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
  if (announcer) server.lifecycle.onShutdown(() => announcer.stop());
}

/** The backup schedule (backup.*): its status is what backup.status, /readyz and /metrics show. */
async function createBackups(deps: Deps) {
  const { createBackupScheduler } = await import("./backups/scheduler.ts");
  const { snapshotWithCounts, verifySnapshot } = await import("./storage/sqlite/backup.ts");
  const { backupDirOf } = await import("./cli/paths.ts");
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

function ensureDataDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (!statSync(dir).isDirectory()) throw new FatalError(`data directory ${resolve(dir)} is not a directory`);
    accessSync(dir, constants.W_OK | constants.R_OK);
  } catch (err) {
    if (err instanceof FatalError) throw err;
    const code = (err as NodeJS.ErrnoException).code ?? String(err);
    throw new FatalError(`cannot use data directory ${resolve(dir)}: ${code}`);
  }
}

async function openStorage(config: Config, log: Logger, totpBox: TotpBox): Promise<Storage> {
  const { openSqliteStorage } = await import("./storage/sqlite/storage.ts");
  const file = databaseFile(config);
  try {
    const storage = await openSqliteStorage({ file, durability: config.storage.durability, log, totpBox });
    const dropped = dropRetiredTotpKeys(config.data.dir); // every secret is sealed with the current key now
    if (dropped.length) log.info("retired TOTP keys removed after re-encryption", { files: dropped });
    return storage;
  } catch (err) {
    if (err instanceof FatalError) throw err;
    throw new FatalError(`cannot open database ${resolve(file)}: ${(err as Error).message ?? String(err)}`);
  }
}

async function openBus(config: Config, log: Logger): Promise<Bus> {
  const { createInprocBus } = await import("./bus/inproc.ts");
  return createInprocBus((err) => log.error("bus handler failed", { err }));
}

if (import.meta.main) {
  // Not awaited: `serve` imports this module back, and a top-level await here would
  // make that import wait for itself forever.
  void import("./cli/index.ts").then(({ runCli }) => runCli(Bun.argv.slice(2)));
}
