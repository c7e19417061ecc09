// Sessions through a real server: access token claims, refresh rotation, reuse
// detection (theft), logout, and authenticate() refusing anything not live.
import { afterAll, beforeAll, setDefaultTimeout, describe, expect, test } from "bun:test";
import { accountsAuthenticate, ensureOwnerClaim } from "../src/accounts/module.ts";
import { PASSWORD, errorOf, startAccountsServer, tokensOf } from "./support/accounts.ts";
import { AppError } from "../src/errors.ts";
import { limits } from "../src/limits.ts";
import { accessKeyId } from "../src/accounts/tokens.ts";
import { loadSecrets, rotateSecret } from "../src/secrets/store.ts";
import { PROTOCOL_VERSION } from "../src/protocol/version.ts";
import { RawSocket, connectClient, createTestUser, startTestServer } from "./support/harness.ts";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SignJWT } from "jose";
import type { AuthTokens } from "../src/protocol/http.ts";

setDefaultTimeout(30_000); // argon2 hashing dominates: ~0.1–0.3 s per password check on 2 busy cores

type Server = Awaited<ReturnType<typeof startAccountsServer>>;

async function rejection(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (e instanceof AppError) return e.code;
    throw e;
  }
  return "resolved";
}

const claims = (jwt: string) => JSON.parse(Buffer.from(jwt.split(".")[1]!, "base64url").toString()) as Record<string, unknown>;

describe("sessions over HTTP", () => {
  let s: Server;
  let first: AuthTokens;
  const login = async (deviceName = "phone") =>
    tokensOf(await s.post("/api/auth/login", { username: "alice", password: PASSWORD, deviceName }));
  beforeAll(async () => {
    s = await startAccountsServer();
    const url = await ensureOwnerClaim(s.deps, s.url);
    const token = url!.slice(url!.indexOf("#") + 1);
    first = await tokensOf(await s.post("/api/auth/claim", { token, username: "alice", password: PASSWORD, deviceName: "laptop" }));
  });
  afterAll(() => s.stop());

  test("the access token carries sub, sid, iat and exp = now + accessTokenTtlMs", async () => {
    const c = claims(first.accessToken);
    expect(c.sub).toBe(first.userId);
    expect(c.sid).toBe(first.sessionId);
    expect(c.exp).toBe(Math.floor(first.accessExpiresAt / 1000));
    expect(Math.abs((c.exp as number) - (c.iat as number) - limits.accessTokenTtlMs / 1000)).toBeLessThanOrEqual(1);
    expect(first.refreshExpiresAt - Date.now()).toBeGreaterThan(limits.refreshTokenTtlMs - 60_000);
    const auth = accountsAuthenticate(s.deps).token;
    expect(await auth(first.accessToken)).toEqual({ userId: first.userId, sessionId: first.sessionId });
  });

  test("authenticate refuses expired, forged and malformed tokens with distinct codes", async () => {
    const auth = accountsAuthenticate(s.deps).token;
    const [header, payload, signature] = first.accessToken.split(".");
    const forgedPayload = Buffer.from(JSON.stringify({ ...claims(first.accessToken), sub: "someone-else" })).toString("base64url");
    expect(await rejection(auth(`${header}.${forgedPayload}.${signature}`))).toBe("unauthenticated");
    expect(await rejection(auth(`${header}.${payload}.${signature!.slice(0, -2)}xx`))).toBe("unauthenticated");
    expect(await rejection(auth("not a token"))).toBe("unauthenticated");
    s.clock.offsetMs = limits.accessTokenTtlMs + 1000;
    try {
      expect(await rejection(auth(first.accessToken))).toBe("token_expired");
    } finally {
      s.clock.offsetMs = 0;
    }
  });

  test("refresh rotates; presenting a used refresh token revokes the whole session", async () => {
    const a = await login();
    const b = await tokensOf(await s.post("/api/auth/refresh", { refreshToken: a.refreshToken }));
    expect(b.sessionId).toBe(a.sessionId);
    expect(b.refreshToken).not.toBe(a.refreshToken);
    const c = await tokensOf(await s.post("/api/auth/refresh", { refreshToken: b.refreshToken }));
    expect(c.sessionId).toBe(a.sessionId);
    // the thief (or the victim) replays b's token: the session dies for both
    const reuse = await errorOf(await s.post("/api/auth/refresh", { refreshToken: b.refreshToken }));
    expect(reuse).toMatchObject({ status: 401, code: "session_revoked" });
    const after = await errorOf(await s.post("/api/auth/refresh", { refreshToken: c.refreshToken }));
    expect(after.code).toBe("unauthenticated");
    expect(await rejection(accountsAuthenticate(s.deps).token(c.accessToken))).toBe("session_revoked");
    // hello's second look reads the session again, without the token
    expect(await rejection(accountsAuthenticate(s.deps).live({ userId: a.userId, sessionId: a.sessionId }))).toBe("session_revoked");
    expect(await rejection(accountsAuthenticate(s.deps).live({ userId: "someone-else", sessionId: first.sessionId }))).toBe("unauthenticated");
    expect(await accountsAuthenticate(s.deps).live({ userId: first.userId, sessionId: first.sessionId })).toBeUndefined();
    // other sessions live on
    expect(await accountsAuthenticate(s.deps).token(first.accessToken)).toMatchObject({ sessionId: first.sessionId });
    const events = await s.deps.storage.events.readAfter(first.userId, 0, 100);
    expect(events.some((e) => e.type === "session.revoked" && (e.data as { sessionId: string }).sessionId === a.sessionId)).toBe(true);
  });

  test("an unknown or expired refresh token is refused", async () => {
    expect((await errorOf(await s.post("/api/auth/refresh", { refreshToken: "nope" }))).code).toBe("unauthenticated");
    const a = await login();
    s.clock.offsetMs = limits.refreshTokenTtlMs + 1000;
    try {
      expect((await errorOf(await s.post("/api/auth/refresh", { refreshToken: a.refreshToken }))).code).toBe("unauthenticated");
    } finally {
      s.clock.offsetMs = 0;
    }
  });

  test("logout revokes the current session only, and is idempotent", async () => {
    const a = await login("tablet");
    expect((await errorOf(await s.post("/api/auth/logout", {}))).code).toBe("unauthenticated");
    const out = await s.post("/api/auth/logout", {}, { authorization: `Bearer ${a.accessToken}` });
    expect(out.status).toBe(204);
    expect((await s.post("/api/auth/logout", {}, { authorization: `Bearer ${a.accessToken}` })).status).toBe(204);
    expect(await rejection(accountsAuthenticate(s.deps).token(a.accessToken))).toBe("session_revoked");
    expect((await errorOf(await s.post("/api/auth/refresh", { refreshToken: a.refreshToken }))).code).toBe("unauthenticated");
    expect(await accountsAuthenticate(s.deps).token(first.accessToken)).toMatchObject({ sessionId: first.sessionId });
  });
});

describe("sessions over WebSocket", () => {
  let s: Server;
  let owner: AuthTokens;
  const login = async (username: string, deviceName: string, password = PASSWORD) =>
    tokensOf(await s.post("/api/auth/login", { username, password, deviceName }));
  const register = async (username: string) =>
    tokensOf(await s.post("/api/auth/register", { username, password: PASSWORD, deviceName: "first" }));
  beforeAll(async () => {
    s = await startAccountsServer(["accounts.registration=open"]);
    const url = await ensureOwnerClaim(s.deps, s.url);
    owner = await tokensOf(await s.post("/api/auth/claim", { token: url!.slice(url!.indexOf("#") + 1), username: "owner", password: PASSWORD, deviceName: "desk" }));
  });
  afterAll(() => s.stop());

  test("refresh-token reuse closes that session's live socket at once; other sockets stay", async () => {
    const a = await register("dora");
    const other = await s.connect(await login("dora", "phone"));
    const live = await s.connect(a);
    const b = await tokensOf(await s.post("/api/auth/refresh", { refreshToken: a.refreshToken }));
    expect(b.sessionId).toBe(a.sessionId);
    expect((await errorOf(await s.post("/api/auth/refresh", { refreshToken: a.refreshToken }))).code).toBe("session_revoked");
    expect(await live.closed).toBe("session_revoked");
    expect(await other.client.request("me.get", {})).toMatchObject({ username: "dora" });
  });

  test("session.list shows devices; session.revoke closes that device and tells the others", async () => {
    const laptop = await register("erin");
    const l = await s.connect(laptop);
    const signedIn = new Promise((resolve) => l.client.on("session.created", resolve));
    const phone = await login("erin", "phone");
    // a sign-in elsewhere reaches the devices already online (their device lists refresh)
    expect(await signedIn).toEqual({ sessionId: phone.sessionId, deviceName: "phone" });
    const p = await s.connect(phone);
    const { sessions } = await l.client.request("session.list", {});
    expect(sessions.map((x) => [x.deviceName, x.current]).sort()).toEqual([["first", true], ["phone", false]]);
    expect(sessions.every((x) => x.ip === "127.0.0.1" && x.lastSeenAt >= x.createdAt)).toBe(true);
    const told = new Promise((resolve) => l.client.on("session.revoked", resolve));
    await l.client.request("session.revoke", { sessionId: phone.sessionId });
    expect(await p.closed).toBe("session_revoked");
    expect(await told).toEqual({ sessionId: phone.sessionId });
    expect((await l.client.request("session.list", {})).sessions.map((x) => x.id)).toEqual([laptop.sessionId]);
    // gone already, or someone else's: the same not_found
    await expect(l.client.request("session.revoke", { sessionId: phone.sessionId })).rejects.toMatchObject({ code: "not_found" });
    await expect(l.client.request("session.revoke", { sessionId: owner.sessionId })).rejects.toMatchObject({ code: "not_found" });
    expect(await accountsAuthenticate(s.deps).token(owner.accessToken)).toMatchObject({ sessionId: owner.sessionId });
  });

  test("a password change needs the current password and signs out every other device", async () => {
    const here = await register("frank");
    const there = await s.connect(await login("frank", "phone"));
    const me = await s.connect(here);
    await expect(me.client.request("password.change", { currentPassword: "wrong password", newPassword: "a new long password" })).rejects.toMatchObject({
      code: "invalid_credentials",
    });
    await expect(me.client.request("password.change", { currentPassword: PASSWORD, newPassword: "short" })).rejects.toMatchObject({ code: "weak_password" });
    expect(await me.client.request("password.change", { currentPassword: PASSWORD, newPassword: "a new long password" })).toEqual({ revokedSessions: 1 });
    expect(await there.closed).toBe("session_revoked");
    expect(await me.client.request("me.get", {})).toMatchObject({ username: "frank" });
    expect((await errorOf(await s.post("/api/auth/login", { username: "frank", password: PASSWORD, deviceName: "x" }))).code).toBe("invalid_credentials");
    expect((await s.post("/api/auth/login", { username: "frank", password: "a new long password", deviceName: "x" })).status).toBe(200);
  });

  test("an admin disabling a user closes their sockets and blocks login; only admins may", async () => {
    const g = await register("gina");
    const gs = await s.connect(g);
    const h = await s.connect(await register("hank"));
    await expect(h.client.request("user.set_disabled", { userId: g.userId, disabled: true })).rejects.toMatchObject({ code: "forbidden" });
    const o = await s.connect(owner);
    await expect(o.client.request("user.set_disabled", { userId: owner.userId, disabled: true })).rejects.toMatchObject({ code: "forbidden" });
    expect(await o.client.request("user.set_disabled", { userId: g.userId, disabled: true })).toMatchObject({ username: "gina" });
    expect(await gs.closed).toBe("account_disabled");
    // one answer whatever the password: a disabled account confirms nothing to a guesser
    const right = await errorOf(await s.post("/api/auth/login", { username: "gina", password: PASSWORD, deviceName: "x" }));
    const wrong = await errorOf(await s.post("/api/auth/login", { username: "gina", password: "not her password", deviceName: "x" }));
    expect(right).toMatchObject({ status: 401, code: "invalid_credentials" });
    expect(wrong).toEqual(right);
    expect((await errorOf(await s.post("/api/auth/refresh", { refreshToken: g.refreshToken }))).code).toBe("unauthenticated");
    // her still-unexpired access token names the documented reason, over hello too
    expect(await rejection(accountsAuthenticate(s.deps).token(g.accessToken))).toBe("account_disabled");
    expect(await rejection(accountsAuthenticate(s.deps).live({ userId: g.userId, sessionId: g.sessionId }))).toBe("account_disabled");
    const hello = await RawSocket.open(s.wsUrl);
    hello.sendFrame({ t: "hello", v: PROTOCOL_VERSION, token: g.accessToken });
    expect(await hello.next((f) => f.t === "bye")).toMatchObject({ t: "bye", reason: "account_disabled" });
    expect((await hello.closed).reason).toBe("account_disabled");
    await o.client.request("user.set_disabled", { userId: g.userId, disabled: false });
    expect((await s.post("/api/auth/login", { username: "gina", password: PASSWORD, deviceName: "x" })).status).toBe(200);
  });
});

describe("rotating access-token-key", () => {
  test("old access tokens get token_expired (not unauthenticated): clients refresh and stay signed in", async () => {
    const dir = mkdtempSync(join(tmpdir(), "hearth-rotate-"));
    const t = await startTestServer({ dir });
    try {
      const tokens = await createTestUser(t, "rosa");
      const [header] = tokens.accessToken.split(".");
      expect(JSON.parse(Buffer.from(header!, "base64url").toString())).toMatchObject({ kid: accessKeyId(loadSecrets(dir).get("access-token-key")) });
      rotateSecret(dir, "access-token-key");
      await t.restart();
      expect(await rejection(accountsAuthenticate(t.deps).token(tokens.accessToken))).toBe("token_expired");
      const client = await connectClient(t, tokens); // hello → token_expired → refresh → welcome
      expect(client.status).toBe("open");
      client.close();
      // a token under the current key with a broken signature is still a forgery
      const fresh = await createTestUser(t, "sam");
      const [h, p, sig] = fresh.accessToken.split(".");
      // Flip the FIRST character: the last one of base64url carries unused bits, so rewriting the
      // tail can decode to the same bytes (it did, about 1 run in 256) and forge nothing.
      const forged = `${sig![0] === "A" ? "B" : "A"}${sig!.slice(1)}`;
      expect(await rejection(accountsAuthenticate(t.deps).token(`${h}.${p}.${forged}`))).toBe("unauthenticated");
      // so is one naming the rotated-away key whose signature does not check out under it
      const [oh, op, osig] = tokens.accessToken.split(".");
      expect(await rejection(accountsAuthenticate(t.deps).token(`${oh}.${op}.${osig!.slice(0, -2)}xx`))).toBe("unauthenticated");
      // and one naming a key this server never had: unauthenticated, over hello too
      const unknownKid = await forge(fresh, "some other key that was never ours", { kid: "0123456789abcdef" });
      expect(await rejection(accountsAuthenticate(t.deps).token(unknownKid))).toBe("unauthenticated");
      expect(await byeFor(t.wsUrl, unknownKid)).toBe("unauthenticated");
      // a second rotation forgets the first key: its tokens are no longer recognised
      rotateSecret(dir, "access-token-key");
      await t.restart();
      expect(await rejection(accountsAuthenticate(t.deps).token(tokens.accessToken))).toBe("unauthenticated");
      expect(await rejection(accountsAuthenticate(t.deps).token(fresh.accessToken))).toBe("token_expired");
    } finally {
      await t.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** A token with `fresh`'s claims (overridable), signed with `key` (default: the server's current one). */
async function forge(fresh: AuthTokens, key: string, opts: { kid?: string; iat?: number | null; exp?: number | null } = {}) {
  const nowSec = Math.floor(Date.now() / 1000);
  let jwt = new SignJWT({ sub: fresh.userId, sid: fresh.sessionId }).setProtectedHeader({ alg: "HS256", kid: opts.kid ?? accessKeyId(key) });
  if (opts.iat !== null) jwt = jwt.setIssuedAt(opts.iat ?? nowSec);
  if (opts.exp !== null) jwt = jwt.setExpirationTime(opts.exp ?? nowSec + 60);
  return jwt.sign(new TextEncoder().encode(key));
}

async function byeFor(wsUrl: string, token: string): Promise<string> {
  const sock = await RawSocket.open(wsUrl);
  sock.sendFrame({ t: "hello", v: PROTOCOL_VERSION, token });
  const bye = await sock.next((f) => f.t === "bye" || f.t === "welcome");
  sock.ws.close();
  return bye.t === "bye" ? bye.reason : "welcome";
}

describe("access token lifetime", () => {
  test("a token signed with the right key is refused when it lacks iat or exp, lives too long or is issued in the future", async () => {
    const t = await startTestServer();
    try {
      const fresh = await createTestUser(t, "tim");
      const key = t.deps.secrets.get("access-token-key");
      const now = Math.floor(Date.now() / 1000);
      const ttl = limits.accessTokenTtlMs / 1000;
      expect(await byeFor(t.wsUrl, await forge(fresh, key))).toBe("welcome"); // the forge itself is sound
      expect(await byeFor(t.wsUrl, await forge(fresh, key, { iat: now - 10, exp: now - 10 + ttl }))).toBe("welcome"); // exactly the TTL
      for (const [what, opts] of [
        ["one second longer than the TTL", { iat: now - 10, exp: now - 9 + ttl }],
        ["a year long", { exp: now + 365 * 86_400 }],
        ["no exp", { exp: null }],
        ["no iat", { iat: null }],
        ["issued in the future", { iat: now + 3600, exp: now + 3600 + 60 }],
      ] as const) {
        const token = await forge(fresh, key, opts);
        expect([what, await rejection(accountsAuthenticate(t.deps).token(token))]).toEqual([what, "unauthenticated"]);
        expect([what, await byeFor(t.wsUrl, token)]).toEqual([what, "unauthenticated"]);
        const logout = await fetch(`${t.url}/api/auth/logout`, { method: "POST", headers: { authorization: `Bearer ${token}` } });
        expect([what, (await errorOf(logout)).code]).toEqual([what, "unauthenticated"]);
      }
      // what the server issues lives exactly the TTL
      const c = claims(fresh.accessToken);
      expect((c.exp as number) - (c.iat as number)).toBe(ttl);
      expect(fresh.accessExpiresAt).toBe((c.exp as number) * 1000);
    } finally {
      await t.stop();
    }
  });
});

describe("last seen", () => {
  test("a live socket keeps its session's last-seen time and address current (batched writes)", async () => {
    const clock = { offsetMs: 0 };
    const t = await startTestServer({ clock });
    try {
      const tokens = await createTestUser(t, "lou");
      const created = (await t.deps.storage.sessions.byId(tokens.sessionId))!;
      const client = await connectClient(t, tokens);
      clock.offsetMs = 60_000; // a minute later the device is still in use
      await client.request("me.get", {});
      await t.ws.hub.seen.flush();
      const seen = (await t.deps.storage.sessions.byId(tokens.sessionId))!;
      expect(seen.lastSeenAt).toBeGreaterThanOrEqual(created.lastSeenAt + 60_000);
      expect(seen.ip).toBe("127.0.0.1");
      const listed = (await client.request("session.list", {})) as { sessions: { id: string; lastSeenAt: number }[] };
      expect(listed.sessions.find((x) => x.id === tokens.sessionId)?.lastSeenAt).toBe(seen.lastSeenAt);
      client.close();
    } finally {
      await t.stop();
    }
  });
});
