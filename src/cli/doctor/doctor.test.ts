// `hearth doctor` against real data directories, each broken in one way.
import { afterAll, describe, expect, test } from "bun:test";
import { chmodSync, chownSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { newId } from "../../ids.ts";
import { loadSecrets } from "../../secrets/store.ts";
import { openSqliteStorage } from "../../storage/sqlite/storage.ts";
import { freePort, hearth, lines, startServer, tempDir } from "../../../tests/support/cli.ts";
import { seededRng } from "../../../tests/support/seed.ts";

const dirs: { [Symbol.dispose](): void }[] = [];
afterAll(() => dirs.forEach((d) => d[Symbol.dispose]()));

/** A data dir as a first start leaves it: 0700, secrets, a migrated database with one user. */
async function healthyDataDir(createdAt = Date.now()): Promise<string> {
  const d = tempDir();
  dirs.push(d);
  chmodSync(d.path, 0o700);
  const umask = process.umask(0o077); // what `hearth` runs with (src/cli/index.ts)
  try {
    loadSecrets(d.path);
    const storage = await openSqliteStorage({ file: join(d.path, "hearth.sqlite"), durability: "normal" });
    await storage.users.create({ id: newId(), username: "alice", displayName: "Alice", passwordHash: "x", role: "owner", createdAt });
    await storage.close();
  } finally {
    process.umask(umask);
  }
  return d.path;
}

async function doctor(data: string, port = freePort()) {
  const r = await hearth(["doctor", "--data", data, "--port", String(port), "--host", "127.0.0.1", "--set", `tls.port=${freePort()}`]);
  const out = lines(r.stdout);
  const line = (check: string) => out.find((l) => l.slice(6).startsWith(`${check}:`)) ?? `(no ${check} line)`;
  return { ...r, out, line };
}

describe("hearth doctor", () => {
  test("a healthy data dir: every line well-formed, exit code follows FAIL lines", async () => {
    const data = await healthyDataDir();
    const r = await doctor(data);
    expect(r.stderr).toBe("");
    for (const l of r.out) expect(l).toMatch(/^(ok  |warn|FAIL)  [^:]+: .+$/);
    for (const check of ["data dir", "data dir owner", "data dir permissions", "data files", "secrets", "server port", "tls port", "database", "database integrity", "database schema", "database journal", "clock", "disk space"]) {
      expect(r.line(check)).toStartWith("ok    ");
    }
    expect(r.line("SFU worker")).toMatch(/^ok    SFU worker: .* started, router created, (\d+)\/\1 RTP packets forwarded/);
    expect(r.code).toBe(r.out.some((l) => l.startsWith("FAIL")) ? 1 : 0);
  }, 30_000);

  test("permissions: data dir owned by another uid, writable by others, loose secret file", async () => {
    const data = await healthyDataDir();
    chownSync(data, 65534, 65534);
    chmodSync(data, 0o777);
    chmodSync(join(data, "secrets", "access-token-key"), 0o644);
    chmodSync(join(data, "secrets"), 0o755);
    const r = await doctor(data);
    expect(r.code).toBe(1);
    const uid = process.getuid!();
    expect(r.line("data dir owner")).toBe(`FAIL  data dir owner: data directory ${data} is owned by uid 65534, but Hearth runs as uid ${uid}; run: chown -R ${uid} ${data}`);
    expect(r.line("data dir permissions")).toBe(`FAIL  data dir permissions: data directory ${data} has mode 0777, writable by others; run: chmod go-w ${data}`);
    expect(r.line("secrets")).toStartWith("FAIL  secrets: readable by others: access-token-key (mode 0644)");
    expect(r.line("secrets dir")).toBe(`FAIL  secrets dir: ${join(data, "secrets")} has mode 0755; run: chmod 700 ${join(data, "secrets")}`);
  }, 30_000);

  test("permissions: a data dir others can read and files wider than 0600 FAIL, with the fix", async () => {
    const data = await healthyDataDir();
    chmodSync(data, 0o755);
    chmodSync(join(data, "hearth.sqlite"), 0o644);
    const r = await doctor(data);
    expect(r.code).toBe(1);
    expect(r.line("data dir permissions")).toBe(`FAIL  data dir permissions: data directory ${data} has mode 0755: others can read it (TOTP secrets are encrypted, the rest is not); run: chmod 700 ${data}`);
    expect(r.line("data files")).toBe(`FAIL  data files: readable by group or others: hearth.sqlite (0644); run: chmod -R go-rwx ${data}`);
    chmodSync(data, 0o700);
    chmodSync(join(data, "hearth.sqlite"), 0o600);
    const fixed = await doctor(data);
    expect(fixed.line("data dir permissions")).toBe("ok    data dir permissions: mode 0700");
    expect(fixed.line("data files")).toBe("ok    data files: every file 0600 and directory 0700 or stricter");
  }, 30_000);

  test("TOTP at rest: plaintext rows warn, rows under a lost key FAIL, sealed rows are ok", async () => {
    const data = await healthyDataDir();
    const { Database } = await import("bun:sqlite");
    const set = (value: string) => {
      const db = new Database(join(data, "hearth.sqlite"));
      db.run("UPDATE users SET totp_secret = ?", [value]);
      db.close();
    };
    expect((await doctor(data)).line("totp at rest")).toBe("ok    totp at rest: no two-factor secrets stored");
    set("JBSWY3DPEHPK3PXP"); // as an older Hearth stored it
    expect((await doctor(data)).line("totp at rest")).toBe(`warn  totp at rest: 1 stored in plaintext (from an older Hearth), 0 under a retired key: the next start encrypts them with ${join(data, "secrets", "totp-key")}`);
    const { createTotpBox } = await import("../../secrets/totp-box.ts");
    set(createTotpBox(loadSecrets(data).get("totp-key")).seal("u", "JBSWY3DPEHPK3PXP"));
    expect((await doctor(data)).line("totp at rest")).toBe("ok    totp at rest: 1 two-factor secret(s), all encrypted with the current totp-key");
    set(createTotpBox("Z".repeat(43)).seal("u", "JBSWY3DPEHPK3PXP"));
    const lost = await doctor(data);
    expect(lost.code).toBe(1);
    expect(lost.line("totp at rest")).toStartWith("FAIL  totp at rest: 1 two-factor secret(s) are encrypted with a key that is not in");
  }, 60_000);

  test("little free disk space is a warning", async () => {
    const d = tempDir();
    dirs.push(d);
    const mounted = Bun.spawnSync(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", d.path]);
    expect(mounted.exitCode).toBe(0);
    try {
      const r = await doctor(d.path);
      expect(r.line("disk space")).toBe(`warn  disk space: only 2 MiB free in ${d.path}; keep at least 1 GiB`);
    } finally {
      Bun.spawnSync(["umount", d.path]);
    }
  }, 30_000);

  test("a missing data dir is a warning, not a crash", async () => {
    const d = tempDir();
    dirs.push(d);
    const r = await doctor(join(d.path, "not-yet"));
    expect(r.stderr).toBe("");
    expect(r.line("data dir")).toStartWith("warn  data dir: ");
    expect(r.line("database")).toStartWith("warn  database: ");
  }, 30_000);

  test("port held by another program fails; held by Hearth warns", async () => {
    const data = await healthyDataDir();
    const other = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
    try {
      const r = await doctor(data, other.port);
      expect(r.line("server port")).toBe(`FAIL  server port: 127.0.0.1:${other.port} (server.port) is in use by another program; stop it or choose another server.port`);
    } finally {
      other.stop(true);
    }
    const port = freePort();
    const server = await startServer(data, port);
    try {
      const r = await doctor(data, port);
      expect(r.line("server port")).toBe(`warn  server port: 127.0.0.1:${port} (server.port) is in use — is Hearth already running? (/healthz answered)`);
    } finally {
      await server.stop();
    }
  }, 60_000);

  test("the media port: free is ok; a UDP socket holding calls.rtcPort fails, naming the port", async () => {
    const data = await healthyDataDir();
    const media = await Bun.udpSocket({ hostname: "0.0.0.0", port: 0 });
    const rtc = (port: number) => ["--set", `calls.rtcPort=${port}`, "--set", "calls.workers=1"];
    try {
      const held = lines((await hearth(["doctor", "--data", data, "--port", String(freePort()), "--host", "127.0.0.1", "--set", `tls.port=${freePort()}`, ...rtc(media.port)])).stdout);
      expect(held.find((l) => l.includes("media port:"))).toBe(
        `FAIL  media port: ${media.port} (calls.rtcPort): UDP in use, TCP free; calls will be unavailable: stop the program holding it or choose another calls.rtcPort`,
      );
    } finally {
      media.close();
    }
    const free = freePort();
    const r = lines((await hearth(["doctor", "--data", data, "--port", String(freePort()), "--host", "127.0.0.1", "--set", `tls.port=${freePort()}`, ...rtc(free)])).stdout);
    expect(r.find((l) => l.includes("media port:"))).toBe(`ok    media port: ${free} UDP+TCP free`);
  }, 60_000);

  test("a corrupt database fails the database check", async () => {
    const data = await healthyDataDir();
    writeFileSync(join(data, "hearth.sqlite"), seededRng("corrupt database bytes").bytes(8192));
    const r = await doctor(data);
    expect(r.code).toBe(1);
    expect(r.line("database")).toStartWith("FAIL  database: ");
    expect(r.line("database")).toContain("not a SQLite database");
  }, 30_000);

  test("a database from a newer version fails the schema check", async () => {
    const data = await healthyDataDir();
    const { Database } = await import("bun:sqlite");
    const db = new Database(join(data, "hearth.sqlite"));
    db.run("INSERT INTO __drizzle_migrations (hash, created_at) VALUES ('f'||hex(randomblob(31)), 4102444800000)");
    db.close();
    const r = await doctor(data);
    expect(r.code).toBe(1);
    expect(r.line("database schema")).toContain("FAIL  database schema: ");
    expect(r.line("database schema")).toContain("does not know");
  }, 30_000);

  test("data stored in the future means the clock went backwards", async () => {
    const future = Date.now() + 24 * 60 * 60_000;
    const data = await healthyDataDir(future);
    const r = await doctor(data);
    expect(r.code).toBe(1);
    expect(r.line("clock")).toContain(`is earlier than data already stored (${new Date(future).toISOString()})`);
  }, 30_000);
});
