// Test support for accounts: a real server (real SQLite in a temp dir, in-process bus)
// with the accounts routes, plus small HTTP helpers. Used by tests/*.test.ts.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInprocBus } from "../bus/inproc.ts";
import { loadConfig } from "../config/load.ts";
import { createLogger } from "../log/logger.ts";
import { createMetrics } from "../metrics/registry.ts";
import type { AuthTokens } from "../protocol/http.ts";
import { loadSecrets } from "../secrets/store.ts";
import { startServer } from "../server/app.ts";
import type { Deps } from "../server/deps.ts";
import { openSqliteStorage } from "../storage/sqlite/storage.ts";
import { accountsModule } from "./module.ts";

export interface WireErrorBody {
  error: { code: string; message: string; data?: Record<string, unknown> };
}

export async function startAccountsServer(set: string[] = []) {
  const dir = mkdtempSync(join(tmpdir(), "hearth-accounts-"));
  const config = loadConfig({ flags: { data: dir, port: 0, host: "127.0.0.1", set } });
  const log = createLogger({ level: "error", format: "json", stream: { write: () => {} } });
  const storage = await openSqliteStorage({ file: join(dir, "hearth.db"), durability: "normal", log });
  const clock = { offsetMs: 0 }; // tests move time forward to expire claims, invites, tokens
  const now = () => Date.now() + clock.offsetMs;
  const deps: Deps = { config, storage, bus: createInprocBus(), log, metrics: createMetrics(), secrets: loadSecrets(dir), now };
  const server = startServer(deps, { routes: [accountsModule(deps).routes!] });
  return {
    deps,
    clock,
    url: server.url,
    post: (path: string, body: unknown, headers: Record<string, string> = {}) =>
      fetch(server.url + path, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) }),
    get: (path: string) => fetch(server.url + path),
    async stop() {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function json<T>(res: Response): Promise<T> {
  return (await res.json()) as T;
}

export const tokensOf = (res: Response) => json<AuthTokens>(res);

/** Asserts an error response and returns its wire error. */
export async function errorOf(res: Response): Promise<WireErrorBody["error"] & { status: number }> {
  const body = (await res.json()) as WireErrorBody;
  return { ...body.error, status: res.status };
}

export const PASSWORD = "correct horse battery";
