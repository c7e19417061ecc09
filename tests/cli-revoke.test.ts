// `hearth admin disable` and `admin reset-password` run as separate processes next to a
// live server: they cannot reach the server's in-process bus, so the server's periodic
// session re-check must close the affected sockets. The re-check interval is shortened
// here; the production value is limits.sessionRecheckMs.
import { afterEach, describe, expect, test } from "bun:test";
import { connectClient, createTestUser, startTestServer, type TestServer, until } from "./support/harness.ts";

let t: TestServer | undefined;
afterEach(async () => {
  await t?.stop();
  t = undefined;
});

async function cli(dir: string, ...args: string[]) {
  const p = Bun.spawn(["bun", "src/main.ts", ...args, "--data", dir, "--set", "tls.mode=off", "--set", "mdns.enabled=false"], {
    stdout: "pipe",
    stderr: "pipe",
    stdin: "ignore",
  });
  const [out, err, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited]);
  return { out, err, code };
}

describe("revocations from the CLI reach live sockets", () => {
  test("admin disable closes the user's sockets with account_disabled; others stay", async () => {
    t = await startTestServer({ wsLimits: { sessionRecheckMs: 100 } });
    const victim = await createTestUser(t, "victim1");
    const bystander = await createTestUser(t, "bystander1");
    let closed: string | undefined;
    const v = await connectClient(t, victim, { onClosed: (reason) => (closed = reason) });
    const b = await connectClient(t, bystander);
    const r = await cli(t.dir, "admin", "disable", "victim1");
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    await until(() => closed !== undefined, 10_000, "victim socket closed");
    expect(closed).toBe("account_disabled");
    expect(b.status).toBe("open");
    await b.close();
    void v;
  });

  test("admin reset-password closes every session's sockets with session_revoked", async () => {
    t = await startTestServer({ wsLimits: { sessionRecheckMs: 100 } });
    const user = await createTestUser(t, "resetme1");
    let closed: string | undefined;
    await connectClient(t, user, { onClosed: (reason) => (closed = reason) });
    const r = await cli(t.dir, "admin", "reset-password", "resetme1");
    expect(r.code).toBe(0);
    await until(() => closed !== undefined, 10_000, "socket closed");
    expect(closed).toBe("session_revoked");
  });
});
