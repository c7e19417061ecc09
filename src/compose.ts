// The composition root: the only file that knows every adapter and every domain module.
// Config → data dir → logger, metrics, secrets → storage → bus → previews (compose), and
// the module list (composeModules). `hearth serve` (src/main.ts), every CLI command that
// touches the data (src/cli/storage.ts) and the test harness (tests/support/harness.ts)
// all build through here, so the process a test talks to is assembled as production's is.
// Everything below receives Deps and knows only ports.
import { accessSync, constants, mkdirSync, statSync } from "node:fs";
import { resolve } from "node:path";
import type { Bus } from "./bus/port.ts";
import type { Calls } from "./calls/calls.ts";
import { databaseFile } from "./config/paths.ts";
import type { Config } from "./config/schema.ts";
import type { Deps } from "./core/deps.ts";
import type { DomainModule } from "./core/module.ts";
import { CommitObservers } from "./core/observers.ts";
import { FatalError } from "./errors.ts";
import { createLogger, type LogStream } from "./log/logger.ts";
import type { Logger } from "./log/port.ts";
import { createMetrics } from "./metrics/registry.ts";
import type { PreviewsOptions } from "./previews/previews.ts";
import { dropRetiredTotpKeys, loadSecrets, loadTotpBox } from "./secrets/store.ts";
import type { TotpBox } from "./secrets/totp-box.ts";
import type { Storage } from "./storage/port.ts";
import type { TlsSource } from "./tls/source.ts";

export interface ComposeOptions {
  /** Where log lines go (tests capture them); default stderr. */
  logStream?: LogStream;
  /** Overrides log.level (CLI commands log only warnings; tests only errors). */
  logLevel?: Config["log"]["level"];
  /** Server time; tests move it forward. Default Date.now. */
  now?: () => number;
  /** The preview fetcher's resolver and dial map (tests point public names at loopback). */
  previews?: PreviewsOptions;
  /** Process-wide metrics (CPU, RSS): off where several servers share one process (tests). */
  processMetrics?: boolean;
}

/** Deps for one process: storage, bus, secrets, logger, metrics, previews. Close with closeDeps. */
export async function compose(config: Config, opts: ComposeOptions = {}): Promise<Deps> {
  ensureDataDir(config.data.dir);
  const log = createLogger({ level: opts.logLevel ?? config.log.level, format: config.log.format, stream: opts.logStream });
  const metrics = createMetrics(opts.processMetrics === false ? { processMetrics: false } : undefined);
  const secrets = loadSecrets(config.data.dir);
  const storage = await openStorage(config, log, loadTotpBox(config.data.dir, secrets));
  let bus: Bus;
  try {
    bus = await openBus(log);
  } catch (err) {
    await storage.close();
    throw err;
  }
  const deps: Deps = { config, storage, bus, log, metrics, secrets, now: opts.now ?? Date.now, observers: new CommitObservers(log) };
  const { createPreviews } = await import("./previews/previews.ts");
  try {
    deps.previews = createPreviews(deps, opts.previews); // FatalError for a bad previews.allowHosts entry
  } catch (err) {
    await closeDeps(deps);
    throw err;
  }
  const { dropPurgedMedia } = await import("./media/gc.ts");
  deps.purgeMedia = (blobs, uploadIds) => dropPurgedMedia(deps, blobs, uploadIds);
  return deps;
}

/** Storage, then bus: what a command that composed but never served closes. */
export async function closeDeps(deps: Deps): Promise<void> {
  await deps.storage.close();
  await deps.bus.close();
}

/** For a command that only works on the data: compose, run, close (also on failure). */
export async function withDeps<T>(config: Config, fn: (deps: Deps) => Promise<T>, opts: ComposeOptions = {}): Promise<T> {
  const deps = await compose(config, { logLevel: "warn", ...opts });
  try {
    return await fn(deps);
  } finally {
    await closeDeps(deps);
  }
}

export interface ModuleOptions {
  /** The calls service, when the caller also needs it (serve's health check); made here otherwise. */
  calls?: Calls;
  /** The HTTPS certificate source, for the admin console's health (null: no TLS). */
  tls?: () => TlsSource | null;
}

/** Every domain module production serves, in mount order. */
export async function composeModules(deps: Deps, opts: ModuleOptions = {}): Promise<DomainModule[]> {
  const { accountsModule } = await import("./accounts/module.ts");
  const { chatsModule } = await import("./chats/module.ts");
  const { callsModule } = await import("./calls/module.ts");
  const { presenceModule } = await import("./presence/module.ts");
  const { createLocalRegistry } = await import("./presence/registry.ts");
  const { pushModule } = await import("./push/module.ts");
  const { previewsModule } = await import("./previews/module.ts");
  const { mediaModule } = await import("./media/module.ts");
  const { adminModule } = await import("./admin/module.ts");
  const { importsModule } = await import("./imports/module.ts");
  const { mediaState } = await import("./media/state.ts");
  const { Calls } = await import("./calls/calls.ts");
  const calls = opts.calls ?? new Calls(deps);
  return [
    accountsModule(deps),
    chatsModule(deps),
    callsModule(deps, { calls }),
    presenceModule(deps, { registry: createLocalRegistry() }),
    pushModule(deps),
    mediaModule(deps),
    previewsModule(deps),
    importsModule(deps, mediaState(deps)),
    adminModule(deps, { calls, tls: opts.tls ?? (() => null) }),
  ];
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

async function openBus(log: Logger): Promise<Bus> {
  const { createInprocBus } = await import("./bus/inproc.ts");
  return createInprocBus((err) => log.error("bus handler failed", { err }));
}
