// The HTTP edge of a real `hearth serve` process with TLS on (the default local CA): the
// requests that used to end the process (no Host, an empty or malformed one), the
// security headers, bodies over the bound, and /metrics only for this machine. The
// randomized class of these tests is tests/http-fuzz.test.ts.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { appendFileSync, mkdtempSync, rmSync, statfsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ensureOwnerClaim } from "../src/accounts/module.ts";
import { PASSWORD, errorOf, startAccountsServer, tokensOf } from "./support/accounts.ts";
import { lanAddress } from "../src/net/lan.ts";
import { startTestServer } from "./support/harness.ts";
import { limits } from "../src/limits.ts";
import { jsonOf, rawRequest, spawnServer, type ServerProcess, type Target } from "./support/raw-http.ts";

setDefaultTimeout(30_000);

let server: ServerProcess;
let listeners: [string, Target][];
beforeAll(async () => {
  server = await spawnServer();
  listeners = [
    ["plain", { port: server.plainPort, tls: false }],
    ["https", { port: server.httpsPort, tls: true }],
  ];
});
afterAll(async () => {
  expect(await server.stop()).toBe(0);
});

const HOSTLESS = [
  ["no Host (an HTTP/1.0 probe)", "GET / HTTP/1.0\r\n\r\n"],
  ["an empty Host", "GET / HTTP/1.1\r\nHost:\r\nConnection: close\r\n\r\n"],
  ["Host `a b`", "GET / HTTP/1.1\r\nHost: a b\r\nConnection: close\r\n\r\n"],
  ["Host `x:99999`", "GET / HTTP/1.1\r\nHost: x:99999\r\nConnection: close\r\n\r\n"],
  ["Host `[::1`", "GET / HTTP/1.1\r\nHost: [::1\r\nConnection: close\r\n\r\n"],
  ["Host `evil/foo?`", "GET /trust HTTP/1.1\r\nHost: evil/foo?\r\nAccept: text/html\r\nConnection: close\r\n\r\n"],
  ["a POST with no Host and a body", "POST /api/auth/login HTTP/1.0\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}"],
] as const;

describe("a request with no usable Host is answered 400 and the process stays up", () => {
  for (const [name, request] of HOSTLESS) {
    test(name, async () => {
      for (const [listener, target] of listeners) {
        const res = await rawRequest(target, request);
        expect([listener, res.status]).toEqual([listener, 400]);
        expect(jsonOf(res).error).toEqual({ code: "bad_request", message: "The Host header is missing or malformed" });
        expect(res.headers.get("x-request-id")).toMatch(/^[0-9A-Z]{26}$/);
        expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      }
      expect(server.alive()).toBe(true);
      for (const [, target] of listeners) expect((await rawRequest(target, "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")).status).toBe(200);
    });
  }

  test("no Host on HTTP/1.1 is refused by Bun itself, before the app: a bare 400 that closes", async () => {
    for (const [, target] of listeners) {
      const res = await rawRequest(target, "GET /healthz HTTP/1.1\r\nConnection: close\r\n\r\n");
      expect(res.status).toBe(400);
      expect(res.headers.get("connection")).toBe("close");
    }
    expect(server.alive()).toBe(true);
  });

  test("nothing was logged as an unhandled error", () => {
    expect(server.logLines().filter((l) => l.includes('"level":"error"'))).toEqual([]);
  });
});

/** A GET with the Host a browser would send for `t`. */
const get = (t: Target, path: string, extra = "") => `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${t.port}\r\n${extra}Connection: close\r\n\r\n`;

describe("security headers", () => {
  const common = (h: Map<string, string>) => {
    expect(h.get("x-content-type-options")).toBe("nosniff");
    expect(h.get("referrer-policy")).toBe("no-referrer");
    expect(h.get("x-frame-options")).toBe("DENY");
    expect(h.get("permissions-policy")).toContain("camera=(self), microphone=(self), display-capture=(self)");
    expect(h.get("content-security-policy")).toContain("frame-ancestors 'none'");
  };

  test("the web client: a CSP of its own origin and its WebSocket, no inline script or style", async () => {
    for (const [listener, target] of listeners) {
      const res = await rawRequest(target, get(target, "/"));
      common(res.headers);
      const csp = res.headers.get("content-security-policy")!;
      expect(csp).toContain("script-src 'self';");
      expect(csp).toContain("style-src 'self';");
      expect(csp).not.toContain("unsafe");
      const ws = listener === "https" ? `wss://127.0.0.1:${target.port}` : `ws://127.0.0.1:${target.port}`;
      expect(csp).toContain(`connect-src 'self' ${ws};`);
      // a client route (index.html) and an asset get the same policy
      expect((await rawRequest(target, get(target, "/chats/x"))).headers.get("content-security-policy")).toBe(csp);
    }
  });

  test("JSON answers, errors and probes allow nothing at all", async () => {
    for (const [, target] of listeners) {
      for (const path of ["/api/auth/info", "/api/nothing", "/healthz", "/readyz", "/metrics"]) {
        const res = await rawRequest(target, get(target, path));
        common(res.headers);
        expect(res.headers.get("content-security-policy")).toStartWith("default-src 'none'");
      }
    }
  });

  test("the trust page runs its one script and style by nonce and may only probe the secure origin", async () => {
    const res = await rawRequest(listeners[1]![1], get(listeners[1]![1], "/trust"));
    expect(res.status).toBe(200);
    common(res.headers);
    const csp = res.headers.get("content-security-policy")!;
    const nonce = /script-src 'nonce-([^']+)'/.exec(csp)![1]!;
    expect(csp).toContain(`connect-src 'self' https://127.0.0.1:${server.httpsPort};`);
    const html = res.body.toString("utf8");
    expect(html).toContain(`<script nonce="${nonce}">`);
    expect(html).toContain(`<style nonce="${nonce}">`);
    expect(html.match(/<script/g)).toHaveLength(1);
    const again = await rawRequest(listeners[1]![1], get(listeners[1]![1], "/trust"));
    expect(again.headers.get("content-security-policy")).not.toBe(csp); // a fresh nonce per answer
  });
});

describe("bodies over the bound get the JSON payload_too_large, never Bun's bare 413", () => {
  for (const declared of [limits.httpBodyBytesMax + 1, 2 * limits.httpBodyBytesMax + 1, 10 ** 12, Number.MAX_SAFE_INTEGER]) {
    test(`Content-Length ${declared}`, async () => {
      for (const [, target] of listeners) {
        const res = await rawRequest(target, `POST /api/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${declared}\r\n\r\n{`);
        expect(res.status).toBe(413);
        expect(jsonOf(res).error).toEqual({ code: "payload_too_large", message: `The body exceeds ${limits.httpBodyBytesMax} bytes`, data: { limit: limits.httpBodyBytesMax } });
        expect(res.headers.get("connection")).toBe("close");
      }
    });
  }

  test("a chunked body over the auth bound is cut at the bound, with the JSON error", async () => {
    const chunk = "x".repeat(limits.authBodyBytesMax);
    for (const [, target] of listeners) {
      const body = `${chunk.length.toString(16)}\r\n${chunk}\r\n1\r\nx\r\n0\r\n\r\n`;
      const res = await rawRequest(target, `POST /api/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n${body}`);
      expect(res.status).toBe(413);
      expect(jsonOf(res).error?.data).toEqual({ limit: limits.authBodyBytesMax });
    }
  });
});

describe("/metrics is for this machine unless metrics.bind says otherwise", () => {
  test("loopback gets it; through a trusted proxy only when the forwarded client is loopback too", async () => {
    for (const [, target] of listeners) {
      expect((await rawRequest(target, get(target, "/metrics"))).status).toBe(200);
    }
    const proxied = await spawnServer({ set: ["server.trustedProxies=127.0.0.1"] });
    try {
      const target = { port: proxied.plainPort, tls: false };
      const viaProxy = (forwardedFor: string) => rawRequest(target, get(target, "/metrics", `X-Forwarded-For: ${forwardedFor}\r\n`));
      const outside = await viaProxy("203.0.113.7");
      expect(outside.status).toBe(404);
      expect(jsonOf(outside).error?.code).toBe("not_found");
      expect((await viaProxy("::1")).status).toBe(200);
      expect((await rawRequest(target, get(target, "/metrics"))).status).toBe(200); // the proxy host itself, nothing forwarded
    } finally {
      await proxied.stop();
    }
  });

  const lan = lanAddress();
  test.skipIf(lan === null)("a client on another address of this machine (a real non-loopback peer) gets 404", async () => {
    const wide = await spawnServer({ host: "0.0.0.0" });
    try {
      for (const tls of [false, true]) {
        const target = { port: tls ? wide.httpsPort : wide.plainPort, tls, host: lan! };
        const res = await rawRequest(target, `GET /metrics HTTP/1.1\r\nHost: ${lan}\r\nConnection: close\r\n\r\n`);
        expect(res.status).toBe(404);
        // the same listener still serves the rest to that peer
        expect((await rawRequest(target, `GET /healthz HTTP/1.1\r\nHost: ${lan}\r\nConnection: close\r\n\r\n`)).status).toBe(200);
      }
      expect((await rawRequest({ port: wide.plainPort, tls: false }, get({ port: wide.plainPort, tls: false }, "/metrics"))).status).toBe(200);
    } finally {
      await wide.stop();
    }
  });
});

describe("a Host that a URL accepts but a header must not carry", () => {
  test("`;`, `,` and quotes in the Host never reach the web client's CSP", async () => {
    for (const host of ["a;img-src", "a,b", "a'b"]) {
      const res = await rawRequest(listeners[1]![1], `GET / HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`);
      const csp = res.headers.get("content-security-policy")!;
      expect(csp).toContain("connect-src 'self'; ");
      expect(csp.split(";").map((d) => d.trim().split(" ")[0])).toEqual(["default-src", "script-src", "style-src", "img-src", "media-src", "font-src", "connect-src", "worker-src", "manifest-src", "object-src", "base-uri", "form-action", "frame-ancestors"]);
      // and the trust page the plain listener shows that host
      const trust = await rawRequest(listeners[0]![1], `GET / HTTP/1.1\r\nHost: ${host}\r\nAccept: text/html\r\nConnection: close\r\n\r\n`);
      expect(trust.status).toBe(200);
      const trustCsp = trust.headers.get("content-security-policy")!;
      expect(trustCsp).toContain("connect-src 'self'; ");
      expect(trustCsp.split(";").map((d) => d.trim().split(" ")[0])).toEqual(["default-src", "script-src", "style-src", "connect-src", "base-uri", "form-action", "frame-ancestors"]);
    }
  });
});

describe("JSON routes take only application/json (a cross-site page cannot drive logins)", () => {
  test("text/plain, forms and multipart get 415 before any check: no attempt is counted, no lockout", async () => {
    const s = await startAccountsServer(["accounts.loginAttemptsPerAccount=2"]);
    try {
      const url = await ensureOwnerClaim(s.deps, s.url);
      await tokensOf(await s.post("/api/auth/claim", { token: url!.split("#")[1], username: "owner", password: PASSWORD, deviceName: "d" }));
      const wrong = JSON.stringify({ username: "owner", password: "not the password", deviceName: "d" });
      const form = new FormData();
      form.set("username", "owner");
      const simple: RequestInit[] = [
        { body: wrong }, // fetch's default: text/plain;charset=UTF-8
        { body: wrong, headers: { "content-type": "text/plain" } },
        { body: new URLSearchParams({ username: "owner", password: "x" }) },
        { body: form },
        { body: wrong, headers: { "content-type": "application/json; charset=latin1" } },
        { body: wrong, headers: { "content-type": "application/jsonx" } },
      ];
      for (let round = 0; round < 3; round++) {
        for (const init of simple) {
          const err = await errorOf(await fetch(`${s.url}/api/auth/login`, { method: "POST", ...init }));
          expect(err).toEqual({ status: 415, code: "unsupported_media_type", message: "This route takes a body of Content-Type application/json", data: { accepted: ["application/json"] } });
        }
      }
      // 18 refused attempts later the account is not locked, and JSON with a charset is fine
      const ok = await fetch(`${s.url}/api/auth/login`, {
        method: "POST",
        headers: { "content-type": "Application/JSON; charset=UTF-8" },
        body: JSON.stringify({ username: "owner", password: PASSWORD, deviceName: "d" }),
      });
      expect(ok.status).toBe(200);
      // a bodiless POST needs no type (logout carries only its bearer token)
      const tokens = await tokensOf(ok);
      expect((await fetch(`${s.url}/api/auth/logout`, { method: "POST", headers: { authorization: `Bearer ${tokens.accessToken}` } })).status).toBe(204);
    } finally {
      await s.stop();
    }
  });
});

describe("an error inside an edge hook is answered and logged, never thrown out of the request", () => {
  test("a logger that throws in the access-log line (after the answer) does not escape", async () => {
    const t = await startTestServer();
    const info = t.deps.log.info;
    try {
      let calls = 0;
      const child = t.deps.log.child;
      t.deps.log.child = (fields) => {
        const log = child.call(t.deps.log, fields);
        log.info = () => {
          calls++;
          throw new Error("log sink broke");
        };
        return log;
      };
      for (let i = 0; i < 3; i++) expect((await fetch(`${t.url}/api/auth/info`)).status).toBe(200);
      await Bun.sleep(0);
      expect(calls).toBeGreaterThanOrEqual(3);
      t.deps.log.child = child;
    } finally {
      t.deps.log.info = info;
      await t.stop();
    }
  });
});

describe("/readyz on a full disk", () => {
  test("not ready while the database's filesystem is full; ready again once there is room", async () => {
    const mnt = mkdtempSync(join(tmpdir(), "hearth-full-"));
    expect(Bun.spawnSync(["mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", mnt]).exitCode).toBe(0);
    const full = await spawnServer({ data: join(mnt, "data") }).catch(async (err) => {
      Bun.spawnSync(["umount", mnt]);
      throw err;
    });
    try {
      const target = { port: full.plainPort, tls: false };
      const readyz = async () => {
        const res = await rawRequest(target, get(target, "/readyz"));
        // details (the scheduled backups' state) are not what this test is about
        const { details: _, ...verdict } = jsonOf(res) as Record<string, unknown>;
        return [res.status, verdict] as const;
      };
      expect(await readyz()).toEqual([200, { status: "ready" }]);
      // Nearly full: a probe write would still succeed here; below the floor is not ready.
      const filler = join(mnt, "filler");
      const free = () => {
        const fs = statfsSync(mnt);
        return fs.bavail * fs.bsize;
      };
      appendFileSync(filler, Buffer.alloc(free() - 1024 * 1024));
      expect(free()).toBeGreaterThan(512 * 1024);
      expect(await readyz()).toEqual([503, { status: "unavailable", failed: ["storage"] }]);
      try {
        for (;;) appendFileSync(filler, Buffer.alloc(64 * 1024));
      } catch (err) {
        expect((err as NodeJS.ErrnoException).code).toBe("ENOSPC");
      }
      expect(await readyz()).toEqual([503, { status: "unavailable", failed: ["storage"] }]);
      const body = JSON.stringify({ username: "nobody", password: "0123456789ab", deviceName: "d" });
      const login = await rawRequest(target, `POST /api/auth/login HTTP/1.1\r\nHost: 127.0.0.1:${target.port}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`);
      expect(["invalid_credentials", "unavailable"]).toContain(jsonOf(login).error!.code); // answered with a typed error
      expect(full.alive()).toBe(true);
      rmSync(filler);
      let ready: readonly [number, unknown] = await readyz();
      for (let i = 0; i < 150 && ready[0] !== 200; i++) {
        await Bun.sleep(100);
        ready = await readyz();
      }
      expect(ready).toEqual([200, { status: "ready" }]);
    } finally {
      await full.stop();
      Bun.spawnSync(["umount", mnt]);
      rmSync(mnt, { recursive: true, force: true });
    }
  });
});
