// Accounts through a real server: owner claim, registration modes, login and its
// throttling (per account, per IP, forwarded headers only from trusted proxies).
import { afterAll, beforeAll, setDefaultTimeout, describe, expect, test } from "bun:test";
import { ensureOwnerClaim } from "../src/accounts/module.ts";
import { PASSWORD, errorOf, startAccountsServer, tokensOf } from "./support/accounts.ts";
import { limits } from "../src/limits.ts";

setDefaultTimeout(30_000); // argon2 hashing dominates: ~0.1–0.3 s per password check on 2 busy cores

type Server = Awaited<ReturnType<typeof startAccountsServer>>;
const tokenOf = (url: string) => url.slice(url.indexOf("#") + 1);

describe("owner claim", () => {
  let s: Server;
  beforeAll(async () => {
    s = await startAccountsServer();
  });
  afterAll(() => s.stop());

  test("an expired claim is refused; each start replaces the unused claim", async () => {
    const first = await ensureOwnerClaim(s.deps, s.url);
    expect(first).toStartWith(`${s.url}/claim#`);
    s.clock.offsetMs = limits.ownerClaimTtlMs + 1;
    const expired = await s.post("/api/auth/claim", { token: tokenOf(first!), username: "boss", password: PASSWORD, deviceName: "laptop" });
    expect(await errorOf(expired)).toMatchObject({ status: 403, code: "claim_invalid" });
    s.clock.offsetMs = 0;
    const second = await ensureOwnerClaim(s.deps, s.url);
    expect(tokenOf(second!)).not.toBe(tokenOf(first!));
    // the first claim was replaced, even though it would not have expired now
    const replaced = await s.post("/api/auth/claim", { token: tokenOf(first!), username: "boss", password: PASSWORD, deviceName: "laptop" });
    expect((await errorOf(replaced)).code).toBe("claim_invalid");
  });

  test("a claim creates the owner once; the token cannot be used again; no claim once an owner exists", async () => {
    expect(await (await s.get("/api/auth/info")).json()).toEqual({
      registration: "invite",
      ownerClaimPending: true,
      passwordMinLength: limits.passwordLengthMin,
      deletionGraceMs: limits.accountDeletionGraceMsDefault,
    });
    const url = await ensureOwnerClaim(s.deps, s.url);
    const bad = await s.post("/api/auth/claim", { token: tokenOf(url!), username: "boss", password: "short", deviceName: "laptop" });
    expect(await errorOf(bad)).toMatchObject({ status: 400, code: "weak_password", data: { minLength: limits.passwordLengthMin } });
    const ok = await s.post("/api/auth/claim", { token: tokenOf(url!), username: "Boss", password: PASSWORD, displayName: "The Boss", deviceName: "laptop" });
    expect(ok.status).toBe(200);
    const tokens = await tokensOf(ok);
    const owner = await s.deps.storage.users.byId(tokens.userId);
    expect(owner).toMatchObject({ username: "Boss", displayName: "The Boss", role: "owner" });
    const again = await s.post("/api/auth/claim", { token: tokenOf(url!), username: "boss2", password: PASSWORD, deviceName: "laptop" });
    expect((await errorOf(again)).code).toBe("claim_invalid");
    expect(await ensureOwnerClaim(s.deps, s.url)).toBeNull();
    expect((await (await s.get("/api/auth/info")).json()).ownerClaimPending).toBe(false);
  });
});

describe("login", () => {
  let s: Server;
  let owner: string;
  beforeAll(async () => {
    s = await startAccountsServer(["accounts.loginAttemptsPerAccount=3", "accounts.loginAttemptsPerIp=100", "accounts.registration=open"]);
    const url = await ensureOwnerClaim(s.deps, s.url);
    owner = (await tokensOf(await s.post("/api/auth/claim", { token: tokenOf(url!), username: "Alice", password: PASSWORD, deviceName: "laptop" }))).userId;
  });
  afterAll(() => s.stop());

  test("usernames match case-insensitively; wrong password and unknown user give the same error", async () => {
    const ok = await tokensOf(await s.post("/api/auth/login", { username: "ALICE", password: PASSWORD, deviceName: "phone" }));
    expect(ok.userId).toBe(owner);
    const wrong = await errorOf(await s.post("/api/auth/login", { username: "alice", password: "not the password", deviceName: "phone" }));
    const unknown = await errorOf(await s.post("/api/auth/login", { username: "nobody", password: PASSWORD, deviceName: "phone" }));
    expect(wrong).toMatchObject({ status: 401, code: "invalid_credentials" });
    expect(unknown).toEqual(wrong);
  });

  test("registration refuses a taken username (any case) and bad fields", async () => {
    const taken = await errorOf(await s.post("/api/auth/register", { username: "aLiCe", password: PASSWORD, deviceName: "d" }));
    expect(taken).toMatchObject({ status: 409, code: "username_taken" });
    const badName = await errorOf(await s.post("/api/auth/register", { username: "no spaces", password: PASSWORD, deviceName: "d" }));
    expect(badName).toMatchObject({ status: 400, code: "invalid_field", data: { field: "username" } });
    const badDevice = await errorOf(await s.post("/api/auth/register", { username: "carol", password: PASSWORD, deviceName: "" }));
    expect(badDevice).toMatchObject({ code: "invalid_field", data: { field: "deviceName" } });
    const missing = await errorOf(await s.post("/api/auth/register", { username: "carol" }));
    expect(missing).toMatchObject({ code: "invalid_field", data: { field: "password" } });
  });

  test("after too many failures an account is locked before the password is checked, until the window ends", async () => {
    await s.post("/api/auth/register", { username: "bob", password: PASSWORD, deviceName: "d" });
    for (let i = 0; i < 3; i++) {
      const r = await errorOf(await s.post("/api/auth/login", { username: "BOB", password: `wrong-password-${i}`, deviceName: "d" }));
      expect(r.code).toBe("invalid_credentials");
    }
    const locked = await errorOf(await s.post("/api/auth/login", { username: "bob", password: PASSWORD, deviceName: "d" }));
    expect(locked).toMatchObject({ status: 429, code: "rate_limited" });
    expect((locked.data as { retryAfterMs: number }).retryAfterMs).toBeGreaterThan(0);
    expect((locked.data as { retryAfterMs: number }).retryAfterMs).toBeLessThanOrEqual(s.deps.config.accounts.loginThrottleWindowMs);
    // another account from the same address is not affected
    expect((await s.post("/api/auth/login", { username: "alice", password: PASSWORD, deviceName: "d" })).status).toBe(200);
    s.clock.offsetMs += s.deps.config.accounts.loginThrottleWindowMs;
    expect((await s.post("/api/auth/login", { username: "bob", password: PASSWORD, deviceName: "d" })).status).toBe(200);
  });

  test("oversized or non-JSON bodies get typed errors", async () => {
    const headers = { "content-type": "application/json" };
    const big = await fetch(`${s.url}/api/auth/login`, { method: "POST", headers, body: "x".repeat(limits.authBodyBytesMax + 1) });
    expect(await errorOf(big)).toMatchObject({ status: 413, code: "payload_too_large", data: { limit: limits.authBodyBytesMax } });
    // no Content-Length (chunked): cut at exactly the bound, not at Bun's backstop
    const chunked = (bytes: number) =>
      new ReadableStream<Uint8Array>({
        start(c) {
          c.enqueue(new TextEncoder().encode(`{"username":"bob","password":"${"x".repeat(bytes - 49)}","deviceName":"d"}`));
          c.close();
        },
      });
    const over = await fetch(`${s.url}/api/auth/login`, { method: "POST", headers, body: chunked(limits.authBodyBytesMax + 1) });
    expect(await errorOf(over)).toMatchObject({ status: 413, code: "payload_too_large", data: { limit: limits.authBodyBytesMax } });
    const atBound = await fetch(`${s.url}/api/auth/login`, { method: "POST", headers, body: chunked(limits.authBodyBytesMax) });
    expect((await errorOf(atBound)).code).toBe("invalid_field"); // read and parsed: the password is over its own bound
    const notJson = await fetch(`${s.url}/api/auth/login`, { method: "POST", headers, body: "{" });
    expect(await errorOf(notJson)).toMatchObject({ status: 400, code: "bad_request" });
  });
});

describe("per-IP throttling and trusted proxies", () => {
  const attempt = (s: Server, username: string, forwardedFor: string) =>
    s.post("/api/auth/login", { username, password: "wrong password!", deviceName: "d" }, { "x-forwarded-for": forwardedFor });

  test("behind a trusted proxy each forwarded client has its own budget", async () => {
    const s = await startAccountsServer(["accounts.loginAttemptsPerIp=2", "server.trustedProxies=127.0.0.1"]);
    try {
      for (const name of ["u1", "u2"]) expect((await errorOf(await attempt(s, name, "203.0.113.1"))).code).toBe("invalid_credentials");
      expect((await errorOf(await attempt(s, "u3", "203.0.113.1"))).code).toBe("rate_limited");
      // rightmost untrusted hop: a forged leftmost entry does not change who is counted
      expect((await errorOf(await attempt(s, "u4", "198.51.100.7, 203.0.113.1"))).code).toBe("rate_limited");
      expect((await errorOf(await attempt(s, "u5", "203.0.113.2"))).code).toBe("invalid_credentials");
    } finally {
      await s.stop();
    }
  });

  test("from an untrusted peer, forwarded headers are ignored", async () => {
    const s = await startAccountsServer(["accounts.loginAttemptsPerIp=2"]);
    try {
      expect((await errorOf(await attempt(s, "u1", "203.0.113.1"))).code).toBe("invalid_credentials");
      expect((await errorOf(await attempt(s, "u2", "203.0.113.2"))).code).toBe("invalid_credentials");
      expect((await errorOf(await attempt(s, "u3", "203.0.113.3"))).code).toBe("rate_limited");
    } finally {
      await s.stop();
    }
  });
});

describe("registration modes and invites", () => {
  let s: Server;
  let admin: Awaited<ReturnType<Server["connect"]>>;
  const register = (username: string, inviteCode?: string) =>
    s.post("/api/auth/register", { username, password: PASSWORD, deviceName: "d", ...(inviteCode ? { inviteCode } : {}) });
  beforeAll(async () => {
    s = await startAccountsServer();
    const url = await ensureOwnerClaim(s.deps, s.url);
    admin = await s.connect(await tokensOf(await s.post("/api/auth/claim", { token: tokenOf(url!), username: "root", password: PASSWORD, deviceName: "d" })));
  });
  afterAll(() => s.stop());

  test("invite mode: an invite is needed; max uses, expiry and revocation are enforced", async () => {
    expect((await errorOf(await register("nobody"))).code).toBe("registration_closed");
    expect((await errorOf(await register("nobody", "made-up-code"))).code).toBe("invalid_invite");
    const once = await admin.client.request("registration_invite.create", { clientId: "c-once", maxUses: 1 });
    expect(once.url).toEndWith(`/invite#${once.code}`);
    expect(once.invite).toMatchObject({ maxUses: 1, uses: 0, revokedAt: null, expiresAt: null });
    expect((await register("ivan", once.code)).status).toBe(200);
    expect((await errorOf(await register("ivan2", once.code))).code).toBe("invalid_invite");

    const short = await admin.client.request("registration_invite.create", { clientId: "c-short", expiresInMs: 60_000 });
    s.clock.offsetMs = 60_001;
    try {
      expect((await errorOf(await register("judy", short.code))).code).toBe("invalid_invite");
    } finally {
      s.clock.offsetMs = 0;
    }
    const revoked = await admin.client.request("registration_invite.create", { clientId: "c-revoked" });
    await admin.client.request("registration_invite.revoke", { inviteId: revoked.invite.id });
    await expect(admin.client.request("registration_invite.revoke", { inviteId: revoked.invite.id })).rejects.toMatchObject({ code: "not_found" });
    expect((await errorOf(await register("judy", revoked.code))).code).toBe("invalid_invite");

    const list = (await admin.client.request("registration_invite.list", {})).invites;
    expect(list.find((i) => i.id === once.invite.id)).toMatchObject({ uses: 1 });
    expect(list.find((i) => i.id === revoked.invite.id)?.revokedAt).toBeNumber();
  });

  test("registration_invite.create retried after a revoke returns the invite as it is now: revoked, and no new one", async () => {
    const a = await admin.client.request("registration_invite.create", { clientId: "retry-after-revoke" });
    await admin.client.request("registration_invite.revoke", { inviteId: a.invite.id });
    const b = await admin.client.request("registration_invite.create", { clientId: "retry-after-revoke" });
    expect(b.invite.id).toBe(a.invite.id);
    expect(b.invite.revokedAt).toEqual(expect.any(Number));
    expect(b.code).toBe(a.code);
    expect((await register("revokedretry", b.code)).status).toBe(403); // the code does not work, as the answer says
    const listed = (await admin.client.request("registration_invite.list", {})).invites.filter((i: any) => i.id === a.invite.id);
    expect(listed).toEqual([{ ...b.invite, url: null }]); // revoked: its link is not shown again
  });

  test("invite.create is idempotent per clientId and for admins only", async () => {
    const a = await admin.client.request("registration_invite.create", { clientId: "retry-me", maxUses: 2 });
    const b = await admin.client.request("registration_invite.create", { clientId: "retry-me", maxUses: 2 });
    expect(b).toEqual(a);
    const ok = await register("kim", a.code);
    const member = await s.connect(await tokensOf(ok));
    await expect(member.client.request("registration_invite.create", { clientId: "x" })).rejects.toMatchObject({ code: "forbidden" });
    await expect(member.client.request("registration_invite.list", {})).rejects.toMatchObject({ code: "forbidden" });
    await expect(member.client.request("registration.set", { mode: "open" })).rejects.toMatchObject({ code: "forbidden" });
    await expect(member.client.request("registration_invite.revoke", { inviteId: a.invite.id })).rejects.toMatchObject({ code: "forbidden" });
    const rootId = (await admin.client.request("me.get", {})).id;
    await expect(member.client.request("user.set_disabled", { userId: rootId, disabled: true })).rejects.toMatchObject({ code: "forbidden" });
    await expect(admin.client.request("registration_invite.create", { clientId: "too-many", maxUses: limits.inviteUsesMax + 1 })).rejects.toMatchObject({
      code: "invalid_field",
      data: { field: "maxUses" },
    });
  });

  test("an admin switches to open, then closed (which refuses even a valid invite)", async () => {
    const spare = await admin.client.request("registration_invite.create", { clientId: "spare" });
    expect(await admin.client.request("registration.set", { mode: "open" })).toEqual({ mode: "open" });
    expect((await (await s.get("/api/auth/info")).json()).registration).toBe("open");
    expect((await register("liam")).status).toBe(200);
    await admin.client.request("registration.set", { mode: "closed" });
    expect((await errorOf(await register("mona"))).code).toBe("registration_closed");
    expect((await errorOf(await register("mona", spare.code))).code).toBe("registration_closed");
    await admin.client.request("registration.set", { mode: "invite" });
    expect((await register("mona", spare.code)).status).toBe(200);
  });
});

describe("profiles", () => {
  let s: Server;
  beforeAll(async () => {
    s = await startAccountsServer(["accounts.registration=open"]);
  });
  afterAll(() => s.stop());

  test("profile.update validates, answers Me and tells the user's other devices; others see the public profile", async () => {
    const nina = await tokensOf(await s.post("/api/auth/register", { username: "nina", password: PASSWORD, deviceName: "d" }));
    const a = await s.connect(nina);
    expect(a.welcome.snapshot?.accounts).toEqual({
      me: { id: nina.userId, username: "nina", displayName: "nina", bio: "", role: "member", createdAt: expect.any(Number), totpEnabled: false },
    });
    const b = await s.connect(await tokensOf(await s.post("/api/auth/login", { username: "nina", password: PASSWORD, deviceName: "e" })));
    const updated = new Promise((resolve) => b.client.on("user.updated", resolve));
    const me = await a.client.request("profile.update", { displayName: "  Nina Q.  ", bio: "line one\r\nline two" });
    expect(me).toMatchObject({ displayName: "Nina Q.", bio: "line one\nline two", totpEnabled: false });
    expect(await updated).toEqual({ user: expect.objectContaining({ id: nina.userId, displayName: "Nina Q." }) });
    await expect(a.client.request("profile.update", { displayName: "bad\u202Ename" })).rejects.toMatchObject({
      code: "invalid_field",
      data: { field: "displayName" },
    });
    const otto = await s.connect(await tokensOf(await s.post("/api/auth/register", { username: "otto", password: PASSWORD, deviceName: "d" })));
    const seen = await otto.client.request("user.get", { userId: nina.userId });
    expect(seen).toEqual({ id: nina.userId, username: "nina", displayName: "Nina Q.", bio: "line one\nline two", role: "member", createdAt: expect.any(Number) });
    await expect(otto.client.request("user.get", { userId: "01NOSUCHUSER0000000000000" })).rejects.toMatchObject({ code: "not_found" });
  });
});
