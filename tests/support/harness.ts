// Shared end-to-end harness: a real Hearth server in this process on a random port, with
// real SQLite in a temp data dir, the in-process bus, the accounts module and the
// WebSocket endpoint — plus helpers to make users and connected clients. A child-process
// variant (startServerProcess) serves crash and restart tests.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { accountsAuthenticate, accountsModule } from "../../src/accounts/module.ts";
import { createClient, type ClientOptions, type HearthClient } from "../../src/client/client.ts";
import { tokenAuth } from "../../src/client/auth.ts";
import type { ClientError } from "../../src/client/errors.ts";
import type { ClientEvent } from "../../src/client/client.ts";
import type { EventDataOf, EventType } from "../../src/protocol/events.ts";
import type { MethodName, ResultOf } from "../../src/protocol/methods/index.ts";
import { loadConfig } from "../../src/config/load.ts";
import type { WsLimits } from "../../src/events/hub.ts";
import { authPaths, type AuthTokens } from "../../src/protocol/http.ts";
import { startServer, type RunningServer } from "../../src/server/app.ts";
import type { Deps } from "../../src/core/deps.ts";
import { type Authenticate, type DomainModule, unlistedMethod } from "../../src/core/module.ts";
import { createWsPart } from "../../src/server/ws.ts";
import { Type } from "@sinclair/typebox";
import { AppError } from "../../src/errors.ts";
import { publishCommitted } from "../../src/events/publish.ts";
import { decodeServerFrame, encode } from "../../src/protocol/codec.ts";
import type { Hello, ServerFrame } from "../../src/protocol/frames.ts";
import { PROTOCOL_VERSION } from "../../src/protocol/version.ts";
import type { PreviewsOptions } from "../../src/previews/previews.ts";
import { compose, composeModules } from "../../src/compose.ts";

export interface TestServerOptions {
  /** Config overrides as "section.key=value" (registration is open and not throttled per IP unless overridden). */
  set?: string[];
  /** Test-only domain modules, mounted next to accounts. */
  modules?: (deps: Deps) => DomainModule[];
  /** Mount production's module list (src/compose.ts composeModules) instead of accounts + `modules`. */
  production?: boolean;
  wsLimits?: Partial<WsLimits>;
  authenticate?: (deps: Deps) => Authenticate;
  /** Reuse a data dir (kept on stop). */
  dir?: string;
  /** Collects log lines (JSON strings) instead of dropping them. */
  logLines?: string[];
  /** Link previews: the resolver stub and dial-port map the fetcher uses (src/previews/previews.ts). */
  previews?: PreviewsOptions;
  /** Tests move server time forward (token expiry, queue age); shared across restarts. */
  clock?: { offsetMs: number };
}

export interface TestServer {
  url: string;
  wsUrl: string;
  dir: string;
  deps: Deps;
  ws: ReturnType<typeof createWsPart>;
  /** Graceful stop; removes the data dir unless it was given. */
  stop(): Promise<void>;
  /** Graceful stop, then a new server on the same port and data dir. */
  restart(): Promise<void>;
}

export async function startTestServer(opts: TestServerOptions = {}): Promise<TestServer> {
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), "hearth-test-"));
  let port = 0;
  let running = await boot(dir, port, opts);
  port = running.server.port;
  const url = running.server.url;
  const t: TestServer = {
    url,
    wsUrl: `${url.replace(/^http/, "ws")}/ws`,
    dir,
    deps: running.deps,
    ws: running.ws,
    async stop() {
      await running.server.stop();
      if (!opts.dir) rmSync(dir, { recursive: true, force: true });
    },
    async restart() {
      await running.server.stop();
      running = await boot(dir, port, opts);
      t.deps = running.deps;
      t.ws = running.ws;
    },
  };
  return t;
}

async function boot(dir: string, port: number, opts: TestServerOptions) {
  // Suites register many users from 127.0.0.1: the per-IP registration budget is lifted
  // unless a test sets it (tests/throttle-concurrency.test.ts checks the budget itself).
  const set = ["accounts.registration=open", "accounts.registerAttemptsPerIp=100000", "storage.durability=normal", "log.format=json", ...(opts.set ?? [])];
  const config = loadConfig({ flags: { data: dir, port, host: "127.0.0.1", set } });
  const lines = opts.logLines;
  const clock = opts.clock;
  const deps = await compose(config, {
    logLevel: lines ? "debug" : "error",
    logStream: { write: (s: string) => void lines?.push(s) },
    now: clock ? () => Date.now() + clock.offsetMs : Date.now,
    previews: opts.previews,
    processMetrics: false,
  });
  // production: exactly the modules `hearth serve` mounts (src/compose.ts); otherwise
  // accounts plus the ones the test names, which keeps most suites small and fast.
  const modules = opts.production ? await composeModules(deps) : [accountsModule(deps), ...(opts.modules?.(deps) ?? [])];
  const authenticate = (opts.authenticate ?? accountsAuthenticate)(deps);
  const ws = createWsPart(deps, { authenticate, modules, limits: opts.wsLimits });
  const server: RunningServer = startServer(deps, { routes: modules.flatMap((m) => (m.routes ? [m.routes] : [])), stops: modules.flatMap((m) => (m.stop ? [m.stop] : [])), websocket: ws });
  return { deps, ws, server };
}

let userSeq = 0;

/** Registers a user over HTTP (registration is open in the harness) and returns its tokens. */
export async function createTestUser(t: { url: string }, name = `user${process.pid % 1000}x${++userSeq}`): Promise<AuthTokens> {
  const res = await fetch(t.url + authPaths.register, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username: name, password: "correct horse battery staple", deviceName: "test" }),
  });
  if (!res.ok) throw new Error(`register ${name}: ${res.status} ${await res.text()}`);
  return (await res.json()) as AuthTokens;
}

/** A client for `tokens`, connected (welcome received). Options override the test defaults. */
export async function connectClient(t: { url: string; wsUrl: string }, tokens: AuthTokens, opts: Partial<ClientOptions> = {}): Promise<HearthClient> {
  const client = createClient({ url: t.wsUrl, auth: tokenAuth(t.url, tokens), backoffBaseMs: 20, backoffMaxMs: 500, ...opts });
  await client.connect();
  return client;
}

/** A connected client that records every event it receives, for tests that assert on them. */
export interface Observed {
  client: HearthClient;
  /** User-log events and chat-log changes (those with chatId and pos), in arrival order. */
  events: ClientEvent[];
  /**
   * A request; its result is typed from the protocol spec. Params are not checked here, so
   * tests can send bad ones. A method outside the spec (a test module's) names its result type.
   */
  request<M extends MethodName>(method: M, params: unknown): Promise<ResultOf<M>>;
  request<R>(method: string, params: unknown): Promise<R>;
  /** The error code of a call that must fail ("ok" if it succeeded). */
  code(method: string, params: unknown): Promise<string>;
  /** Waits for an event of `type` matching `pred`, received after `from` (an index into events); typed from the spec. */
  event<E extends EventType>(type: E, pred?: (data: EventDataOf<E>) => boolean, from?: number): Promise<EventDataOf<E>>;
  event<D>(type: string, pred?: (data: D) => boolean, from?: number): Promise<D>;
  /** Events of `type` received so far (data only). */
  seen<E extends EventType>(type: E): EventDataOf<E>[];
  seen<D>(type: string): D[];
}

export function observe(client: HearthClient, label: string): Observed {
  const events: ClientEvent[] = [];
  client.on("*", (_d, e) => void events.push(e));
  return {
    client,
    events,
    request: <R>(method: string, params: unknown) => client.request(method as never, params as never) as Promise<R>,
    async code(method, params) {
      try {
        await client.request(method as never, params as never);
        return "ok";
      } catch (e) {
        return (e as ClientError).code;
      }
    },
    async event<D>(type: string, pred: (data: D) => boolean = () => true, from = 0): Promise<D> {
      let found: ClientEvent | undefined;
      await until(() => (found = events.slice(from).find((e) => e.type === type && pred(e.data as D))) !== undefined, 10_000, `${label} gets ${type}`);
      return found!.data as D;
    },
    seen: <D>(type: string) => events.filter((e) => e.type === type).map((e) => e.data as D),
  };
}

type Truthy<T> = Exclude<T, false | null | undefined | 0 | "">;

/**
 * The one polling helper: calls cond (sync, or async such as a page-side check in another
 * process) until it answers something truthy, and returns that; throws after maxMs, a bound
 * and not a timing assertion. Sync conditions are re-checked every 5 ms, async ones every 50.
 */
export async function until<T>(cond: () => T | Promise<T>, maxMs = 10_000, what = "condition"): Promise<Truthy<T>> {
  const start = Date.now();
  for (;;) {
    const r = cond();
    const v = r instanceof Promise ? await r : r;
    if (v) return v as Truthy<T>;
    if (Date.now() - start > maxMs) throw new Error(`${what} not met within ${maxMs} ms`);
    await Bun.sleep(r instanceof Promise ? 50 : 5);
  }
}

export interface ServerProcess {
  url: string;
  wsUrl: string;
  proc: ReturnType<typeof Bun.spawn>;
  /** SIGTERM and wait for exit; returns the exit code. */
  stop(): Promise<number>;
  kill9(): Promise<void>;
}

/** `bun src/main.ts serve --port PORT --data DIR` as a child; resolves once it logs its URL. */
/**
 * The one process starter: `hearth serve` from source in a child process, resolved once it
 * logged its URL (both pipes drained for its whole life). `env` replaces the inherited
 * environment (the CLI tests pass one without HEARTH_* variables).
 */
export async function startServerProcess(dir: string, opts: { port?: number; args?: string[]; env?: Record<string, string> } = {}): Promise<ServerProcess> {
  const argv = ["serve", "--port", String(opts.port ?? 0), "--host", "127.0.0.1", "--data", dir, ...(opts.args ?? [])];
  const proc = Bun.spawn([process.execPath, "src/main.ts", ...argv], {
    cwd: join(import.meta.dir, "../.."),
    stdout: "pipe",
    stderr: "pipe",
    env: { ...(opts.env ?? process.env), HEARTH_LOG_FORMAT: "json", HEARTH_LOG_LEVEL: "info" },
  });
  const url = await readListeningUrl(proc);
  return {
    url,
    wsUrl: `${url.replace(/^http/, "ws")}/ws`,
    proc,
    async stop() {
      proc.kill("SIGTERM");
      return await proc.exited;
    },
    async kill9() {
      proc.kill("SIGKILL");
      await proc.exited;
    },
  };
}

const LISTEN_WAIT_MS_MAX = 20_000;

async function readListeningUrl(proc: ReturnType<typeof Bun.spawn>): Promise<string> {
  const decoder = new TextDecoder();
  let seen = "";
  let found: (url: string) => void = () => {};
  const urlFound = new Promise<string>((r) => (found = r));
  // Keep draining both pipes for the child's whole life, so its logging never blocks on a full pipe.
  const drain = async (stream: ReadableStream<Uint8Array>) => {
    const reader = stream.getReader();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      if (seen.length < 1_000_000) seen += decoder.decode(value);
      const m = /"msg":"listening".*?"url":"(http:\/\/[^"]+)"/.exec(seen);
      if (m) found(m[1]!);
    }
  };
  void drain(proc.stderr as ReadableStream<Uint8Array>);
  void drain(proc.stdout as ReadableStream<Uint8Array>);
  const url = await Promise.race([urlFound, Bun.sleep(LISTEN_WAIT_MS_MAX).then(() => null), proc.exited.then(() => null)]);
  if (!url) {
    proc.kill("SIGKILL");
    throw new Error(`server process did not log its URL; output:\n${seen.slice(-2000)}`);
  }
  return url;
}

// ---- raw sockets and a probe module, for protocol-level tests ----

/** A bare WebSocket that records decoded server frames and how it closed. */
export class RawSocket {
  readonly frames: ServerFrame[] = [];
  readonly undecodable: Uint8Array[] = [];
  close: { code: number; reason: string } | null = null;
  readonly closed: Promise<{ code: number; reason: string }>;
  private constructor(readonly ws: WebSocket) {
    ws.binaryType = "arraybuffer";
    ws.onmessage = (m) => {
      const bytes = typeof m.data === "string" ? new TextEncoder().encode(m.data) : new Uint8Array(m.data as ArrayBuffer);
      const r = decodeServerFrame(bytes);
      if (r.ok) this.frames.push(r.frame);
      else this.undecodable.push(bytes);
    };
    this.closed = new Promise((resolve) => {
      ws.onclose = (ev) => resolve((this.close = { code: ev.code, reason: ev.reason }));
    });
  }

  /** `headers` go on the upgrade request (e.g. X-Forwarded-For behind a trusted proxy). */
  static open(wsUrl: string, headers?: Record<string, string>): Promise<RawSocket> {
    // Bun takes an options object here; the DOM typing only knows protocols
    const ws = headers ? new WebSocket(wsUrl, { headers } as unknown as string[]) : new WebSocket(wsUrl);
    const s = new RawSocket(ws);
    return new Promise((resolve, reject) => {
      ws.onopen = () => resolve(s);
      ws.onerror = () => reject(new Error(`cannot open ${wsUrl}`));
    });
  }

  /** Opens and completes hello; returns the socket and its welcome. */
  static async hello(wsUrl: string, token: string, extra: Partial<Hello> = {}): Promise<RawSocket> {
    const s = await RawSocket.open(wsUrl);
    s.sendFrame({ t: "hello", v: PROTOCOL_VERSION, token, ...extra });
    const w = await s.next((f) => f.t === "welcome" || f.t === "bye");
    if (w.t !== "welcome") throw new Error(`hello refused: ${JSON.stringify(w)}`);
    return s;
  }

  send(data: Uint8Array | string): void {
    this.ws.send(data);
  }

  sendFrame(frame: unknown): void {
    this.ws.send(encode(frame));
  }

  /** The first recorded frame matching pred that was not taken before. */
  async next(pred: (f: ServerFrame) => boolean = () => true, maxMs = 10_000): Promise<ServerFrame> {
    let found: ServerFrame | undefined;
    await until(() => (found = this.take(pred)) !== undefined || this.close !== null, maxMs, "frame");
    found ??= this.take(pred);
    if (!found) throw new Error(`socket closed (${JSON.stringify(this.close)}) before a matching frame; got ${JSON.stringify(this.frames)}`);
    return found;
  }

  /** Sends a req and waits for its res. */
  async request(method: string, params: unknown = {}): Promise<Extract<ServerFrame, { t: "res" }>> {
    const id = ++reqSeq;
    this.sendFrame({ t: "req", id, method, params });
    return (await this.next((f) => f.t === "res" && f.id === id)) as Extract<ServerFrame, { t: "res" }>;
  }

  private take(pred: (f: ServerFrame) => boolean): ServerFrame | undefined {
    const i = this.frames.findIndex(pred);
    return i < 0 ? undefined : this.frames.splice(i, 1)[0];
  }
}
let reqSeq = 0;

/**
 * A test-only domain module. probe.emit appends `count` events (data of `size` bytes) to
 * `to` (default: the caller) and publishes them, the way real modules do.
 */
export function probeModule(deps: Deps): DomainModule {
  return {
    name: "probe",
    snapshot: async (userId) => ({ userId, lastEventId: (await deps.storage.events.queueInfo(userId)).lastEventId }),
    methods: [
      unlistedMethod(
        "probe.emit",
        Type.Object({ count: Type.Integer({ minimum: 1, maximum: 10_000 }), size: Type.Optional(Type.Integer({ maximum: 1_000_000 })), to: Type.Optional(Type.String()) }),
        async (ctx, p) => {
          const events = await emitEvents(deps, p.to ?? ctx.userId, p.count, p.size ?? 0);
          return { lastEventId: events.at(-1)!.id };
        },
      ),
      unlistedMethod("probe.echo", Type.Object({ value: Type.Unknown() }), async (_ctx, p) => p.value),
      unlistedMethod("probe.fail", Type.Object({}), async () => {
        throw new AppError("conflict", "probe conflict", { what: "probe" });
      }),
      unlistedMethod("probe.crash", Type.Object({}), async () => {
        throw new Error("probe bug");
      }),
    ],
  };
}

/** Appends `count` probe events for one user and publishes them (after the commit). */
export async function emitEvents(deps: Deps, userId: string, count: number, size = 0) {
  const pad = "x".repeat(size);
  const drafts = Array.from({ length: count }, (_, i) => ({ to: [userId], type: "probe.happened", data: { i, pad } }));
  const events = await deps.storage.events.append(drafts);
  await publishCommitted(deps, events);
  return events;
}
