// Every attempt throttle under a burst of parallel attempts, through the real HTTP and
// WebSocket interfaces: at most the limit is let through to the expensive check (counted
// two ways — by the answers, since a throttled attempt is answered without a check, and
// by the argon2 jobs the process actually ran), and every other attempt gets rate_limited.
// Then the password-hashing gate: beyond its queue, `unavailable`.
import { afterEach, describe, expect, setDefaultTimeout, test } from "bun:test";
import { ensureOwnerClaim } from "../src/accounts/module.ts";
import { passwordWork } from "../src/accounts/passwords.ts";
import { PASSWORD, errorOf, startAccountsServer, tokensOf } from "./support/accounts.ts";
import { base32Decode, hotp, totpStep } from "../src/accounts/totp.ts";
import type { ClientError } from "../src/client/errors.ts";
import { limits } from "../src/limits.ts";
import { until } from "./support/harness.ts";

setDefaultTimeout(120_000); // a few dozen argon2 checks on 2 busy cores

const BURST = 200;
const PER_ACCOUNT = 10;
const PER_IP = 20;
const CLAIMS_PER_IP = 10;
const REGISTERS_PER_IP = 20;

type Server = Awaited<ReturnType<typeof startAccountsServer>>;
let s: Server | undefined;
afterEach(async () => {
  await s?.stop();
  s = undefined;
});

async function server(extra: string[] = []): Promise<Server> {
  s = await startAccountsServer([
    "accounts.registration=open",
    `accounts.loginAttemptsPerAccount=${PER_ACCOUNT}`,
    `accounts.loginAttemptsPerIp=${PER_IP}`,
    `accounts.claimAttemptsPerIp=${CLAIMS_PER_IP}`,
    `accounts.registerAttemptsPerIp=${REGISTERS_PER_IP}`,
    // the WS request rate limiter answers rate_limited too: keep it out of the count
    "protocol.requestsPerSecondPerConnection=1000000",
    "protocol.requestsPerSecondPerUser=1000000",
    ...extra,
  ]);
  return s;
}

/** Answer codes of a burst ("ok" for a success), and how many argon2 jobs it cost. */
async function burst(attempt: (i: number) => Promise<string>): Promise<{ codes: Record<string, number>; argon2: number }> {
  const before = passwordWork.started;
  const answers = await Promise.all(Array.from({ length: BURST }, (_, i) => attempt(i)));
  const codes: Record<string, number> = {};
  for (const a of answers) codes[a] = (codes[a] ?? 0) + 1;
  return { codes, argon2: passwordWork.started - before };
}

const httpCode = async (res: Promise<Response>) => {
  const r = await res;
  if (r.ok) return "ok";
  const err = await errorOf(r);
  if (err.code === "rate_limited") expect((err.data as { retryAfterMs: number }).retryAfterMs).toBeGreaterThan(0);
  return err.code;
};

const wsCode = (call: Promise<unknown>) =>
  call.then(
    () => "ok",
    (e: unknown) => (e as ClientError).code,
  );

async function withTwoFactor(srv: Server, username: string) {
  const tokens = await tokensOf(await srv.post("/api/auth/register", { username, password: PASSWORD, deviceName: "d" }));
  const { client } = await srv.connect(tokens);
  const { secret } = await client.request("twofactor.setup", {});
  const key = base32Decode(secret)!;
  await client.request("twofactor.enable", { code: hotp(key, totpStep(srv.deps.now())) });
  const wrongCode = () => (hotp(key, totpStep(srv.deps.now())) === "000000" ? "111111" : "000000");
  return { tokens, client, wrongCode };
}

describe(`a burst of ${BURST} parallel attempts lets at most the limit through`, () => {
  test("login, per account", async () => {
    const srv = await server([`accounts.loginAttemptsPerIp=${BURST * 10}`]);
    await srv.post("/api/auth/register", { username: "victim", password: PASSWORD, deviceName: "d" });
    const r = await burst((i) => httpCode(srv.post("/api/auth/login", { username: "victim", password: `wrong password ${i}`, deviceName: "d" })));
    expect(r.codes).toEqual({ invalid_credentials: PER_ACCOUNT, rate_limited: BURST - PER_ACCOUNT });
    expect(r.argon2).toBe(PER_ACCOUNT);
    // the right password is refused too until the window ends: the budget is spent
    expect(await httpCode(srv.post("/api/auth/login", { username: "victim", password: PASSWORD, deviceName: "d" }))).toBe("rate_limited");
  });

  test("login, per IP (many accounts, known and unknown)", async () => {
    const srv = await server();
    await srv.post("/api/auth/register", { username: "known", password: PASSWORD, deviceName: "d" });
    const r = await burst((i) =>
      httpCode(srv.post("/api/auth/login", { username: i % 2 ? `nobody${i}` : "known", password: `wrong password ${i}`, deviceName: "d" })),
    );
    expect(r.codes).toEqual({ invalid_credentials: PER_IP, rate_limited: BURST - PER_IP });
    expect(r.argon2).toBe(PER_IP); // unknown names cost a dummy verification, within the same budget
  });

  test("TOTP at login (right password, wrong code)", async () => {
    const srv = await server([`accounts.loginAttemptsPerIp=${BURST * 10}`]);
    const { wrongCode } = await withTwoFactor(srv, "tess");
    const r = await burst(() => httpCode(srv.post("/api/auth/login", { username: "tess", password: PASSWORD, deviceName: "d", totp: wrongCode() })));
    expect(r.codes).toEqual({ invalid_two_factor: PER_ACCOUNT, rate_limited: BURST - PER_ACCOUNT });
    expect(r.argon2).toBe(PER_ACCOUNT);
    const rc = await burst(() => httpCode(srv.post("/api/auth/login", { username: "tess", password: PASSWORD, deviceName: "d", recoveryCode: "aaaaa-bbbbb" })));
    expect(rc.codes).toEqual({ rate_limited: BURST });
    expect(rc.argon2).toBe(0);
  });

  test("password.change (over the WebSocket)", async () => {
    const srv = await server([`accounts.loginAttemptsPerIp=${BURST * 10}`]);
    const tokens = await tokensOf(await srv.post("/api/auth/register", { username: "paula", password: PASSWORD, deviceName: "d" }));
    const { client } = await srv.connect(tokens);
    const r = await burst((i) => wsCode(client.request("password.change", { currentPassword: `wrong password ${i}`, newPassword: "a new long password" })));
    expect(r.codes).toEqual({ invalid_credentials: PER_ACCOUNT, rate_limited: BURST - PER_ACCOUNT });
    expect(r.argon2).toBe(PER_ACCOUNT);
    expect(await wsCode(client.request("password.change", { currentPassword: PASSWORD, newPassword: "a new long password" }))).toBe("rate_limited");
  });

  test("twofactor.disable (over the WebSocket), by password and by code", async () => {
    const srv = await server([`accounts.loginAttemptsPerIp=${BURST * 10}`]);
    const { client, wrongCode } = await withTwoFactor(srv, "dora");
    const r = await burst((i) => wsCode(client.request("twofactor.disable", { password: `wrong password ${i}` })));
    expect(r.codes).toEqual({ invalid_credentials: PER_ACCOUNT, rate_limited: BURST - PER_ACCOUNT });
    expect(r.argon2).toBe(PER_ACCOUNT);
    srv.clock.offsetMs += srv.deps.config.accounts.loginThrottleWindowMs; // a fresh window
    const rc = await burst(() => wsCode(client.request("twofactor.disable", { code: wrongCode() })));
    expect(rc.codes).toEqual({ invalid_two_factor: PER_ACCOUNT, rate_limited: BURST - PER_ACCOUNT });
    expect(rc.argon2).toBe(0);
    expect(await client.request("me.get", {})).toMatchObject({ totpEnabled: true });
  });

  test("claim, per IP: bogus tokens cost no hash; with the real token one wins and at most the limit hash", async () => {
    const srv = await server();
    const url = await ensureOwnerClaim(srv.deps, srv.url);
    const claim = (token: string, i: number) => srv.post("/api/auth/claim", { token, username: `boss${i}`, password: PASSWORD, deviceName: "d" });
    const bogus = await burst((i) => httpCode(claim(`bogus-${i}`, i)));
    expect(bogus.codes).toEqual({ claim_invalid: CLAIMS_PER_IP, rate_limited: BURST - CLAIMS_PER_IP });
    expect(bogus.argon2).toBe(0);
    srv.clock.offsetMs += srv.deps.config.accounts.loginThrottleWindowMs;
    const real = await burst((i) => httpCode(claim(url!.split("#")[1]!, i)));
    expect(real.codes.ok).toBe(1);
    expect(real.codes.rate_limited).toBe(BURST - CLAIMS_PER_IP);
    expect((real.codes.claim_invalid ?? 0) + 1).toBe(CLAIMS_PER_IP);
    expect(real.argon2).toBeLessThanOrEqual(CLAIMS_PER_IP);
    // once an owner exists, a claim is refused without hashing
    srv.clock.offsetMs += srv.deps.config.accounts.loginThrottleWindowMs;
    const late = await burst((i) => httpCode(claim(url!.split("#")[1]!, i)));
    expect(late.codes).toEqual({ claim_invalid: CLAIMS_PER_IP, rate_limited: BURST - CLAIMS_PER_IP });
    expect(late.argon2).toBe(0);
  });

  test("register, per IP: at most the limit accepted; a bogus invite costs no hash", async () => {
    const srv = await server();
    const r = await burst((i) => httpCode(srv.post("/api/auth/register", { username: `reg${i}`, password: PASSWORD, deviceName: "d" })));
    expect(r.codes).toEqual({ ok: REGISTERS_PER_IP, rate_limited: BURST - REGISTERS_PER_IP });
    expect(r.argon2).toBe(REGISTERS_PER_IP);
    expect(await srv.deps.storage.users.count()).toBe(REGISTERS_PER_IP);
    const srv2 = await server(["accounts.registration=invite"]);
    const bogus = await burst((i) =>
      httpCode(srv2.post("/api/auth/register", { username: `inv${i}`, password: PASSWORD, deviceName: "d", inviteCode: `made-up-${i}` })),
    );
    expect(bogus.codes).toEqual({ invalid_invite: REGISTERS_PER_IP, rate_limited: BURST - REGISTERS_PER_IP });
    expect(bogus.argon2).toBe(0);
  });
});

test("the password-hashing gate answers unavailable beyond its queue, and recovers", async () => {
  const srv = await server([`accounts.loginAttemptsPerIp=${BURST * 10}`]);
  // Hold every running slot (as other sign-ins would), so the queue fills deterministically.
  const held: (() => void)[] = [];
  const holders = Array.from({ length: limits.passwordHashRunningMax }, () => passwordWork.run(() => new Promise<void>((r) => held.push(r))));
  await until(() => held.length === limits.passwordHashRunningMax, 5000, "slots held");
  const answers: string[] = [];
  const all = Array.from({ length: BURST }, (_, i) =>
    httpCode(srv.post("/api/auth/login", { username: `nobody${i}`, password: "wrong password", deviceName: "d" })).then((c) => void answers.push(c)),
  );
  await until(() => answers.length === BURST - limits.passwordHashWaitingMax, 60_000, "refusals answered");
  expect(passwordWork.queued).toBe(limits.passwordHashWaitingMax);
  expect(new Set(answers)).toEqual(new Set(["unavailable"]));
  const refused = await srv.post("/api/auth/login", { username: "one-more", password: "wrong password", deviceName: "d" });
  expect(await errorOf(refused)).toMatchObject({ status: 503, code: "unavailable" });
  for (const release of held) release();
  await Promise.all([...holders, ...all]);
  expect(answers.filter((c) => c === "invalid_credentials")).toHaveLength(limits.passwordHashWaitingMax);
  expect(passwordWork.active).toBe(0);
  // once the queue drains, hashing works again
  await srv.post("/api/auth/register", { username: "after", password: PASSWORD, deviceName: "d" });
  expect((await srv.post("/api/auth/login", { username: "after", password: PASSWORD, deviceName: "d" })).status).toBe(200);
});
