// Test support for accounts, on top of the shared e2e harness (tests/support/harness.ts): a real
// server with a movable clock (claims, invites, tokens and throttle windows expire
// without waiting), HTTP helpers and connected clients that report why they stopped.
import { type TestServer, startTestServer } from "./harness.ts";
import { type HearthClient, createClient, tokenAuth } from "../../src/client/index.ts";
import type { AuthTokens } from "../../src/protocol/http.ts";
import type { Deps } from "../../src/core/deps.ts";
import type { DomainModule } from "../../src/core/module.ts";

export interface WireErrorBody {
  error: { code: string; message: string; data?: Record<string, unknown> };
}

export const PASSWORD = "correct horse battery";

/**
 * `set`: config overrides ("section.key=value"; registration defaults to invite here,
 * as in production); `modules`: more domain modules to serve next to accounts.
 */
export async function startAccountsServer(set: string[] = [], modules?: (deps: Deps) => DomainModule[]) {
  const t: TestServer = await startTestServer({ set: ["accounts.registration=invite", ...set], modules });
  const clock = { offsetMs: 0 };
  // Every part reads deps.now at call time, so this moves the server's clock.
  t.deps.now = () => Date.now() + clock.offsetMs;
  const clients: HearthClient[] = [];
  return {
    deps: t.deps,
    clock,
    url: t.url,
    wsUrl: t.wsUrl,
    post: (path: string, body: unknown, headers: Record<string, string> = {}) =>
      fetch(t.url + path, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) }),
    get: (path: string) => fetch(t.url + path),
    /** A connected client for these tokens; `closed` resolves with the reason it stopped for good. */
    async connect(tokens: AuthTokens) {
      let closedWith: (reason: string) => void = () => {};
      const closed = new Promise<string>((resolve) => (closedWith = resolve));
      const client = createClient({ url: t.wsUrl, auth: tokenAuth(t.url, tokens), onClosed: (reason) => closedWith(reason) });
      clients.push(client);
      const welcome = await client.connect();
      return { client, welcome, closed };
    },
    async stop() {
      for (const c of clients) c.close();
      await t.stop();
    },
  };
}

export const tokensOf = async (res: Response) => (await res.json()) as AuthTokens;

/** The wire error of an error response, with its HTTP status. */
export async function errorOf(res: Response): Promise<WireErrorBody["error"] & { status: number }> {
  const body = (await res.json()) as WireErrorBody;
  return { ...body.error, status: res.status };
}
