// Operational behaviour of a real server: compose() with a temp data dir and a real
// SQLite database, startServer() on a random port, real HTTP; the last test runs the
// real CLI in a child process and stops it with SIGTERM.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { Database } from "bun:sqlite";
import { existsSync, mkdirSync, mkdtempSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Elysia, t } from "elysia";
import { loadConfig } from "../src/config/load.ts";
import { AppError } from "../src/errors.ts";
import { limits } from "../src/limits.ts";
import { compose } from "../src/compose.ts";
import { startServer, type RunningServer } from "../src/server/app.ts";
import type { Deps } from "../src/core/deps.ts";
import { createWebAssets } from "../src/server/static.ts";

const repoRoot = join(import.meta.dir, "..");

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), "hearth-ops-"));
}

/** A route plugin that exercises the edge error mapping. */
const probeRoutes = new Elysia()
  .get("/api/test/boom", () => {
    throw new TypeError("secret internals");
  })
  .get("/api/test/forbidden", () => {
    throw new AppError("forbidden", "not yours");
  })
  .post("/api/test/echo", ({ body }) => body, { body: t.Object({ name: t.String() }) });

async function boot(set: string[] = []) {
  const dir = tempDir();
  const web = join(dir, "web");
  mkdirSync(web);
  writeFileSync(join(web, "index.html"), "<!doctype html><title>Hearth</title>");
  const lines: string[] = [];
  const config = loadConfig({ flags: { host: "127.0.0.1", port: 0, data: join(dir, "data"), set: ["log.format=json", ...set] } });
  const deps = await compose(config, { logStream: { write: (s: string) => lines.push(s) } });
  const server = startServer(deps, { routes: [probeRoutes], web: createWebAssets({ dir: web }) });
  const logs = () => lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  return { dir, deps, server, logs };
}

describe("a running server", () => {
  let s: { dir: string; deps: Deps; server: RunningServer; logs: () => Record<string, unknown>[] };
  beforeAll(async () => {
    s = await boot();
  });
  afterAll(async () => {
    if (!s.server.lifecycle.shuttingDown) await s.server.stop("test end");
  });

  test("the data dir is created 0700 with secrets and database", () => {
    const data = join(s.dir, "data");
    expect(statSync(data).mode & 0o777).toBe(0o700);
    expect(existsSync(join(data, "secrets", "access-token-key"))).toBe(true);
    expect(existsSync(join(data, "hearth.sqlite"))).toBe(true);
  });

  test("GET /healthz is 200 ok", async () => {
    const res = await fetch(`${s.server.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok" });
  });

  test("GET /readyz is 200 when storage and bus are ready", async () => {
    const res = await fetch(`${s.server.url}/readyz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ready" });
  });

  test("X-Request-Id: a safe incoming id is echoed, an unsafe one replaced", async () => {
    const kept = await fetch(`${s.server.url}/healthz`, { headers: { "x-request-id": "lb-7f3a.1" } });
    expect(kept.headers.get("x-request-id")).toBe("lb-7f3a.1");
    const replaced = await fetch(`${s.server.url}/healthz`, { headers: { "x-request-id": "evil\"id<>" } });
    expect(replaced.headers.get("x-request-id")).toMatch(/^[0-9A-Z]{26}$/);
    const fresh = await fetch(`${s.server.url}/nothing-here.js`);
    expect(fresh.headers.get("x-request-id")).toMatch(/^[0-9A-Z]{26}$/);
  });

  test("JSON access log lines carry the request id", async () => {
    await fetch(`${s.server.url}/api/test/forbidden`, { headers: { "x-request-id": "trace-me-123" } });
    // The access line is written after the response is sent, so it may trail the fetch.
    const line = await eventually(() => s.logs().find((r) => r.requestId === "trace-me-123" && r.msg === "request"));
    expect(line).toMatchObject({ level: "info", method: "GET", path: "/api/test/forbidden", route: "/api/test/forbidden", status: 403 });
  });

  test("an AppError maps to its status and { error } body", async () => {
    const res = await fetch(`${s.server.url}/api/test/forbidden`);
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ error: { code: "forbidden", message: "not yours" } });
  });

  test("an unknown exception → 500 internal with the request id, logged once with the stack", async () => {
    const res = await fetch(`${s.server.url}/api/test/boom`, { headers: { "x-request-id": "boom-1" } });
    expect(res.status).toBe(500);
    const body = await res.json();
    expect(body).toEqual({ error: { code: "internal", message: "Internal server error", data: { requestId: "boom-1" } } });
    const errors = s.logs().filter((r) => r.level === "error" && r.requestId === "boom-1");
    expect(errors.length).toBe(1);
    expect(String((errors[0]!.err as { stack: string }).stack)).toContain("TypeError: secret internals");
  });

  test("schema violations → invalid_field; malformed JSON → bad_request", async () => {
    const bad = await fetch(`${s.server.url}/api/test/echo`, { method: "POST", headers: { "content-type": "application/json" }, body: '{"name":5}' });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error).toMatchObject({ code: "invalid_field", data: { field: "name" } });
    const junk = await fetch(`${s.server.url}/api/test/echo`, { method: "POST", headers: { "content-type": "application/json" }, body: "{nope" });
    expect(junk.status).toBe(400);
    expect((await junk.json()).error.code).toBe("bad_request");
  });

  test("a body over limits.httpBodyBytesMax → 413 payload_too_large", async () => {
    const body = new Uint8Array(limits.httpBodyBytesMax + 1);
    const res = await fetch(`${s.server.url}/api/test/echo`, { method: "POST", headers: { "content-type": "application/json" }, body });
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({
      error: { code: "payload_too_large", message: `The body exceeds ${limits.httpBodyBytesMax} bytes`, data: { limit: limits.httpBodyBytesMax } },
    });
  });

  test("the web client answers other GETs; unknown files and API paths are JSON 404s", async () => {
    const page = await fetch(`${s.server.url}/chats/123`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("<title>Hearth</title>");
    const missing = await fetch(`${s.server.url}/api/nothing`);
    expect(missing.status).toBe(404);
    expect((await missing.json()).error.code).toBe("not_found");
  });

  test("GET /metrics is Prometheus text that parses, with HTTP and process metrics", async () => {
    await fetch(`${s.server.url}/healthz`);
    const res = await fetch(`${s.server.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8");
    const text = await res.text();
    const sample = /^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\\n]|\\[\\"n])*",?)*\})? (-?[0-9.e+-]+|[+-]Inf|NaN)$/;
    for (const line of text.trimEnd().split("\n")) {
      if (line.startsWith("# HELP ") || line.startsWith("# TYPE ")) continue;
      expect(line).toMatch(sample);
    }
    expect(text).toMatch(/^hearth_http_requests_total\{method="GET",route="\/healthz",status="200"\} [1-9]\d*$/m);
    expect(text).toMatch(/^hearth_http_request_duration_seconds_count\{method="GET",route="\/healthz"\} [1-9]\d*$/m);
    expect(text).toContain('hearth_http_requests_total{method="GET",route="web",status="200"}');
    expect(text).toMatch(/^process_resident_memory_bytes \d+$/m);
  });

  test("once shutdown begins /readyz is 503, storage is closed at the end", async () => {
    let release!: () => void;
    let readyDuring: Response | null = null;
    s.server.lifecycle.onShutdown(async () => {
      readyDuring = await s.server.handle(new Request(`${s.server.url}/readyz`));
      await new Promise<void>((r) => (release = r));
    });
    const stopping = s.server.stop("test");
    await Bun.sleep(10);
    release();
    await stopping;
    expect(readyDuring!.status).toBe(503);
    expect(await readyDuring!.json()).toEqual({ status: "unavailable", failed: ["shutdown"] });
    expect(await fetch(`${s.server.url}/healthz`).catch(() => "refused")).toBe("refused");
    expect(await s.deps.storage.ready().catch(() => false)).toBe(false);
  });
});

describe("readiness names the part that failed", () => {
  test("a closed storage → 503 failed [storage]", async () => {
    const b = await boot();
    try {
      await b.deps.storage.close();
      const res = await fetch(`${b.server.url}/readyz`);
      expect(res.status).toBe(503);
      expect(await res.json()).toEqual({ status: "unavailable", failed: ["storage"] });
    } finally {
      await b.server.stop("test end");
    }
  });

  test("a closed bus → 503 failed [bus]", async () => {
    const b = await boot();
    try {
      await b.deps.bus.close();
      const res = await fetch(`${b.server.url}/readyz`);
      expect(res.status).toBe(503);
      expect(await res.json()).toEqual({ status: "unavailable", failed: ["bus"] });
    } finally {
      await b.server.stop("test end");
    }
  });
});

describe("metrics.bind", () => {
  test("a separate listener serves /metrics; the main server does not", async () => {
    const b = await boot(["metrics.bind=127.0.0.1:0"]);
    try {
      expect(b.server.metricsUrl).not.toBeNull();
      expect(b.server.metricsUrl).not.toBe(b.server.url);
      const res = await fetch(`${b.server.metricsUrl}/metrics`);
      expect(res.status).toBe(200);
      expect(await res.text()).toContain("# TYPE process_cpu_seconds_total counter");
      expect((await fetch(`${b.server.metricsUrl}/healthz`)).status).toBe(404);
      expect((await fetch(`${b.server.url}/metrics`)).status).toBe(404);
    } finally {
      await b.server.stop("test end");
    }
    expect(await fetch(`${b.server.metricsUrl}/metrics`).catch(() => "refused")).toBe("refused");
  });

  test("metrics.enabled=false serves no /metrics anywhere", async () => {
    const b = await boot(["metrics.enabled=false"]);
    try {
      expect(b.server.metricsUrl).toBeNull();
      expect((await fetch(`${b.server.url}/metrics`)).status).toBe(404);
    } finally {
      await b.server.stop("test end");
    }
  });
});

describe("start-up failures are one line", () => {
  test("a port in use → FatalError naming the address", async () => {
    const holder = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response("busy") });
    const dir = tempDir();
    const config = loadConfig({ flags: { host: "127.0.0.1", port: holder.port, data: join(dir, "data") } });
    const deps = await compose(config, { logStream: { write: () => {} } });
    try {
      expect(() => startServer(deps, {})).toThrow(`cannot start the server on 127.0.0.1:${holder.port}: the address is already in use`);
    } finally {
      await deps.storage.close();
      await deps.bus.close();
      await holder.stop(true);
    }
  });

  test("the CLI prints `hearth: <message>` and exits non-zero, no stack", async () => {
    const child = Bun.spawn([process.execPath, join(repoRoot, "src/main.ts"), "serve", "--data", join(tempDir(), "d"), "--set", "server.port=99999"], {
      stdout: "pipe",
      stderr: "pipe",
    });
    expect(await child.exited).not.toBe(0);
    const err = await new Response(child.stderr).text();
    expect(err).toBe(
      'hearth: invalid server.port (flag --set server.port): "99999" is out of range; accepted: an integer from 0 to 65535\n',
    );
  });
});

describe("the real executable path", () => {
  test("SIGTERM: open sockets get 1012, exit 0, a clean shutdown log, leaves the database checkpointed and sound", async () => {
    const data = join(tempDir(), "data");
    const child = Bun.spawn([process.execPath, join(repoRoot, "src/main.ts"), "serve", "--host", "127.0.0.1", "--port", "0", "--data", data], {
      env: { ...process.env, HEARTH_LOG_FORMAT: "json", HEARTH_LOG_LEVEL: "info" },
      stdout: "pipe",
      stderr: "pipe",
    });
    const { url, rest } = await waitForListening(child.stderr);
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    const socket = new WebSocket(`${url.replace(/^http/, "ws")}/ws`);
    await new Promise((resolve, reject) => {
      socket.onopen = resolve;
      socket.onerror = reject;
    });
    const socketClosed = new Promise<[number, string]>((resolve) => {
      socket.onclose = (e) => resolve([e.code, e.reason]);
    });
    child.kill("SIGTERM");
    expect(await socketClosed).toEqual([1012, "server_shutdown"]);
    expect(await child.exited).toBe(0);
    const log = await rest();
    expect(log).toContain('"msg":"shutdown complete"');
    expect(existsSync(join(data, "hearth.sqlite-wal")) ? statSync(join(data, "hearth.sqlite-wal")).size : 0).toBe(0);
    const db = new Database(join(data, "hearth.sqlite"), { readonly: true });
    try {
      expect(db.query("PRAGMA integrity_check").get()).toEqual({ integrity_check: "ok" });
    } finally {
      db.close();
    }
  });
});

/** Polls (bounded) until fn returns something; undefined if it never does. */
async function eventually<T>(fn: () => T | undefined): Promise<T | undefined> {
  for (let i = 0; i < 200; i++) {
    const v = fn();
    if (v !== undefined) return v;
    await Bun.sleep(5);
  }
  return undefined;
}

/** Reads the child's JSON log until the "listening" line; `rest()` reads the remainder to the end. */
async function waitForListening(stream: ReadableStream<Uint8Array>) {
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  let text = "";
  const more = async () => {
    const { value, done } = await reader.read();
    if (!done) text += decoder.decode(value, { stream: true });
    return !done;
  };
  for (;;) {
    if (!(await more())) throw new Error(`server exited before listening:\n${text}`);
    const line = text.split("\n").find((l) => l.includes('"msg":"listening"'));
    if (line) {
      const rest = async () => {
        while (await more());
        return text;
      };
      return { url: String(JSON.parse(line).url), rest };
    }
  }
}
