// `hearth admin ipblock` runs in its own process next to a live server: the server sees
// the change within limits.ipBlockRefreshMs (it re-reads the table), and the audit log
// names the CLI as the actor.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { adminModule } from "../src/admin/module.ts";
import { authPaths } from "../src/protocol/http.ts";
import { createTestUser, startTestServer, type TestServer } from "./support/harness.ts";

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({ modules: (deps) => [adminModule(deps)], set: ["server.trustedProxies=127.0.0.1"] });
});
afterAll(() => t.stop());

async function cli(...args: string[]) {
  return hearth("admin", "ipblock", ...args);
}

async function hearth(...args: string[]) {
  const p = Bun.spawn(["bun", "src/main.ts", ...args, "--data", t.dir, "--set", "tls.mode=off", "--set", "mdns.enabled=false"], { stdout: "pipe", stderr: "pipe", stdin: "ignore" });
  const [out, err, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited]);
  return { out, err, code };
}

/** Polls a request until it answers `want` (the server re-reads the table every ipBlockRefreshMs). */
async function eventually(ip: string, want: number) {
  const deadline = Date.now() + 10_000;
  while ((await statusFrom(ip)) !== want) {
    if (Date.now() > deadline) throw new Error(`${ip} never answered ${want}`);
    await Bun.sleep(100);
  }
}

// Logout without a token answers 401 and, unlike a failed login, counts against no throttle
// (a failed login polled every 100 ms from one address reaches the login limits under load,
// and the poll then sees 429, never the 401 it waits for).
const statusFrom = async (ip: string) =>
  (await fetch(t.url + authPaths.logout, { method: "POST", headers: { "x-forwarded-for": ip } })).status;

test("add, list and remove a block from the shell; the running server follows", async () => {
  expect(await statusFrom("2001:db8::7")).toBe(401);
  const added = await cli("add", "2001:db8::/48", "--note", "scanner", "--expires", "2h");
  expect(added.err).toBe("");
  expect(added.code).toBe(0);
  expect(added.out).toMatch(/^blocked 2001:db8::\/48 \(until \d{4}-\d\d-\d\dT/);
  await eventually("2001:db8::7", 403);
  const listed = await cli("list");
  expect(listed.out).toContain("1 of at most 1000 blocks:");
  expect(listed.out).toContain("scanner");
  const again = await cli("add", "2001:db8:0::/48");
  expect(again.code).not.toBe(0);
  expect(again.err).toContain("already blocked");
  const bad = await cli("add", "999.1.1.1");
  expect(bad.code).not.toBe(0);
  expect(bad.err).toContain("cidr");
  const badExpiry = await cli("add", "192.0.2.1", "--expires", "soon");
  expect(badExpiry.err).toContain("--expires");
  const removed = await cli("remove", "2001:db8::/48");
  expect(removed.out).toBe("unblocked 2001:db8::/48\n");
  await eventually("2001:db8::7", 401);
  const audit = await t.deps.storage.admin.auditPage({ limit: 10 });
  expect(audit.map((e) => [e.actorName, e.action, e.target])).toEqual([
    ["cli", "ipblock.remove", "2001:db8::/48"],
    ["cli", "ipblock.add", "2001:db8::/48"],
  ]);
}, 30_000); // seven CLI processes, each starting Bun and opening the database: ~0.5 s apiece on a loaded 2-core machine

test("the other admin commands leave audit entries too, with the CLI as the actor", async () => {
  await createTestUser(t, "mallory1");
  expect((await hearth("admin", "disable", "mallory1")).code).toBe(0);
  expect((await hearth("admin", "promote", "mallory1")).code).toBe(0);
  const audit = await t.deps.storage.admin.auditPage({ limit: 2 });
  expect(audit.map((e) => [e.actorId, e.actorName, e.action, e.target])).toEqual([
    [null, "cli", "user.promote", "mallory1"],
    [null, "cli", "user.disable", "mallory1"],
  ]);
}, 30_000);
