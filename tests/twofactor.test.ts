// TOTP two-factor authentication through a real server: setup, enable, login with a
// code (each 30 s step accepted once), recovery codes (single use), disable.
import { afterAll, beforeAll, setDefaultTimeout, expect, test } from "bun:test";
import { PASSWORD, errorOf, startAccountsServer, tokensOf } from "./support/accounts.ts";
import { base32Decode, hotp, totpStep } from "../src/accounts/totp.ts";
import { limits } from "../src/limits.ts";
import { connectClient, createTestUser, startTestServer } from "./support/harness.ts";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

setDefaultTimeout(30_000); // argon2 hashing dominates: ~0.1–0.3 s per password check on 2 busy cores

let s: Awaited<ReturnType<typeof startAccountsServer>>;
beforeAll(async () => {
  s = await startAccountsServer(["accounts.registration=open", "accounts.loginAttemptsPerAccount=1000"]);
});
afterAll(() => s.stop());

const login = (extra: Record<string, string> = {}) => s.post("/api/auth/login", { username: "tess", password: PASSWORD, deviceName: "d", ...extra });

test("TOTP: setup, enable, login with single-use steps and recovery codes, disable", async () => {
  const tokens = await tokensOf(await s.post("/api/auth/register", { username: "tess", password: PASSWORD, deviceName: "d" }));
  const { client } = await s.connect(tokens);
  await expect(client.request("twofactor.enable", { code: "123456" })).rejects.toMatchObject({ code: "invalid_two_factor" }); // no setup yet
  const setup = await client.request("twofactor.setup", {});
  const url = new URL(setup.otpauthUrl);
  expect(url.protocol).toBe("otpauth:");
  expect(url.searchParams.get("secret")).toBe(setup.secret);
  expect(url.host + decodeURIComponent(url.pathname)).toBe("totp/Hearth:tess");
  const key = base32Decode(setup.secret)!;
  expect(key.length).toBe(20);
  const codeAt = (offsetSteps: number) => hotp(key, totpStep(s.deps.now()) + offsetSteps);

  const wrong = codeAt(0) === "000000" ? "111111" : "000000";
  await expect(client.request("twofactor.enable", { code: wrong })).rejects.toMatchObject({ code: "invalid_two_factor" });
  const toggled = new Promise((resolve) => client.on("twofactor.updated", resolve));
  const enableCode = codeAt(0);
  const { recoveryCodes } = await client.request("twofactor.enable", { code: enableCode });
  expect(recoveryCodes).toHaveLength(limits.recoveryCodeCount);
  expect(new Set(recoveryCodes).size).toBe(limits.recoveryCodeCount);
  expect(await toggled).toEqual({ enabled: true });
  expect(await client.request("me.get", {})).toMatchObject({ totpEnabled: true });
  await expect(client.request("twofactor.setup", {})).rejects.toMatchObject({ code: "conflict" });

  expect(await errorOf(await login())).toMatchObject({ status: 401, code: "two_factor_required" });
  expect(await errorOf(await login({ totp: wrong }))).toMatchObject({ code: "invalid_two_factor", data: { reason: "wrong" } });
  // the code that enabled 2FA was used: its step is refused as "used" (wait for the next
  // code), not as a wrong one; the next step's code works, once
  expect(await errorOf(await login({ totp: enableCode }))).toMatchObject({ code: "invalid_two_factor", data: { reason: "used" } });
  const next = codeAt(1);
  expect((await login({ totp: next })).status).toBe(200);
  expect(await errorOf(await login({ totp: next }))).toMatchObject({ code: "invalid_two_factor", data: { reason: "used" } });
  // a wrong password with a right code is still a wrong password
  expect((await errorOf(await s.post("/api/auth/login", { username: "tess", password: "not it at all", deviceName: "d", totp: codeAt(1) }))).code).toBe(
    "invalid_credentials",
  );

  const recovery = recoveryCodes[0]!;
  expect((await login({ recoveryCode: recovery.toUpperCase() })).status).toBe(200);
  expect((await errorOf(await login({ recoveryCode: recovery }))).code).toBe("invalid_two_factor");
  expect((await errorOf(await login({ recoveryCode: "aaaaa-bbbbb" }))).code).toBe("invalid_two_factor");

  await expect(client.request("twofactor.disable", {})).rejects.toMatchObject({ code: "invalid_field" });
  await expect(client.request("twofactor.disable", { password: "not the password" })).rejects.toMatchObject({ code: "invalid_credentials" });
  await expect(client.request("twofactor.disable", { code: recovery })).rejects.toMatchObject({ code: "invalid_two_factor" });
  expect(await client.request("twofactor.disable", { code: recoveryCodes[1]! })).toEqual({});
  expect(await client.request("me.get", {})).toMatchObject({ totpEnabled: false });
  expect((await login()).status).toBe(200);
}, 60_000); // a dozen argon2 verifications

test("a setup that is never confirmed expires and changes nothing", async () => {
  await s.post("/api/auth/register", { username: "uma", password: PASSWORD, deviceName: "d" });
  const { client } = await s.connect(await tokensOf(await s.post("/api/auth/login", { username: "uma", password: PASSWORD, deviceName: "d" })));
  const setup = await client.request("twofactor.setup", {});
  s.clock.offsetMs = limits.totpSetupTtlMs + 1;
  try {
    const code = hotp(base32Decode(setup.secret)!, totpStep(s.deps.now()));
    await expect(client.request("twofactor.enable", { code })).rejects.toMatchObject({ code: "invalid_two_factor" });
  } finally {
    s.clock.offsetMs = 0;
  }
  expect((await s.post("/api/auth/login", { username: "uma", password: PASSWORD, deviceName: "d" })).status).toBe(200);
}, 30_000);

test("a TOTP code taken by one server process is refused by another on the same database (and after a restart)", async () => {
  const dir = mkdtempSync(join(tmpdir(), "hearth-2fa-"));
  const a = await startTestServer({ dir });
  const b = await startTestServer({ dir });
  try {
    const tokens = await createTestUser(a, "vera");
    const client = await connectClient(a, tokens);
    const setup = await client.request("twofactor.setup", {});
    const codeAt = (offsetSteps: number) => hotp(base32Decode(setup.secret)!, totpStep(Date.now()) + offsetSteps);
    await client.request("twofactor.enable", { code: codeAt(0) });
    client.close();
    const loginAt = (t: { url: string }, totp: string) =>
      fetch(`${t.url}/api/auth/login`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ username: "vera", password: "correct horse battery staple", deviceName: "d", totp }),
      });
    const code = codeAt(1);
    expect((await loginAt(a, code)).status).toBe(200);
    expect((await errorOf(await loginAt(b, code))).code).toBe("invalid_two_factor");
    await a.restart();
    expect((await errorOf(await loginAt(a, code))).code).toBe("invalid_two_factor");
  } finally {
    await b.stop();
    await a.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}, 30_000);

test("two concurrent enables with the same code: one wins, and its recovery codes are the ones that work", async () => {
  await s.post("/api/auth/register", { username: "wes", password: PASSWORD, deviceName: "d" });
  const { client } = await s.connect(await tokensOf(await s.post("/api/auth/login", { username: "wes", password: PASSWORD, deviceName: "d" })));
  const setup = await client.request("twofactor.setup", {});
  const code = hotp(base32Decode(setup.secret)!, totpStep(s.deps.now()));
  const results = await Promise.allSettled([client.request("twofactor.enable", { code }), client.request("twofactor.enable", { code })]);
  const won = results.filter((r) => r.status === "fulfilled") as PromiseFulfilledResult<{ recoveryCodes: string[] }>[];
  expect(won).toHaveLength(1);
  expect((results.find((r) => r.status === "rejected") as PromiseRejectedResult).reason).toMatchObject({ code: "invalid_two_factor" });
  const login = await s.post("/api/auth/login", { username: "wes", password: PASSWORD, deviceName: "d", recoveryCode: won[0]!.value.recoveryCodes[0] });
  expect(login.status).toBe(200);
}, 30_000);
