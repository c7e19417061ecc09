// Bad input at start-up and in maintenance commands. For each: exactly one line on
// stderr starting "hearth: ", no stack trace, a non-zero exit, and every file in the
// data directory byte-identical afterwards (nothing excluded).
import { afterAll, describe, expect, test } from "bun:test";
import { chownSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Database } from "bun:sqlite";
import { newId } from "../src/ids.ts";
import { freePort, hashTree, hearth, lines, type RunResult, tempDir } from "./support/cli.ts";
import { loadSecrets } from "../src/secrets/store.ts";
import { openSqliteStorage } from "../src/storage/sqlite/storage.ts";
import { seededRng } from "./support/seed.ts";

const dirs: { [Symbol.dispose](): void }[] = [];
afterAll(() => dirs.forEach((d) => d[Symbol.dispose]()));
function temp(): string {
  const d = tempDir("hearth-bad-");
  dirs.push(d);
  return d.path;
}

/** A data dir as a first start leaves it: secrets, a migrated database, some users. */
async function dataDir(users = 3, hashBytes = 10): Promise<string> {
  const data = join(temp(), "data");
  mkdirSync(data, { mode: 0o700 });
  loadSecrets(data);
  const storage = await openSqliteStorage({ file: join(data, "hearth.sqlite"), durability: "normal" });
  for (let i = 0; i < users; i++) {
    await storage.users.create({ id: newId(), username: `user${i}`, displayName: `User ${i}`, passwordHash: "h".repeat(hashBytes), role: "member", createdAt: Date.now() });
  }
  await storage.close();
  return data;
}

function expectOneLineFailure(r: RunResult, ...mentions: string[]) {
  expect(r.code).not.toBe(0);
  const errLines = lines(r.stderr);
  expect(errLines).toHaveLength(1);
  expect(errLines[0]).toStartWith("hearth: ");
  expect(r.stderr).not.toMatch(/^\s+at /m);
  for (const m of mentions) expect(errLines[0]).toContain(m);
}

/** Runs `args`, asserting the failure shape and that the data dir did not change at all. */
async function refused(data: string, args: string[], ...mentions: string[]): Promise<string> {
  const before = hashTree(data);
  const r = await hearth(args);
  expectOneLineFailure(r, ...mentions);
  expect(hashTree(data)).toEqual(before);
  return lines(r.stderr)[0]!;
}

// Default TLS (local CA) stays on, on a free port, so a refusal must come before any key is generated.
const quiet = () => ["--host", "127.0.0.1", "--set", `tls.port=${freePort()}`, "--set", "mdns.enabled=false"];
const serve = (data: string, ...more: string[]) => ["serve", "--data", data, "--port", String(freePort()), ...quiet(), ...more];

function configFile(text: string): string {
  const path = join(temp(), "hearth.toml");
  writeFileSync(path, text);
  return path;
}

describe("bad input is refused in one line and leaves the data untouched", () => {
  test("unparsable config file", async () => {
    const data = await dataDir();
    const file = configFile("[server\nport = 8080\n");
    await refused(data, serve(data, "--config", file), `cannot parse config file ${file} at line 1`);
  }, 30_000);

  test("unknown config key names the key and suggests the right one", async () => {
    const data = await dataDir();
    const file = configFile("[server]\nprot = 8080\n");
    await refused(data, serve(data, "--config", file), "unknown config key server.prot", "server.port");
  }, 30_000);

  test("bad enum value names the key and the accepted values", async () => {
    const data = await dataDir();
    const file = configFile('[log]\nlevel = "loud"\n');
    await refused(data, serve(data, "--config", file), "log.level", '"loud"', "debug", "info", "warn", "error");
    await refused(data, serve(data, "--set", "storage.durability=maybe"), "storage.durability", "normal", "full");
  }, 30_000);

  test("a storage or bus driver this build lacks is an unknown key, refused before the database is opened", async () => {
    const data = await dataDir();
    await refused(data, serve(data, "--set", "bus.driver=redis"), "bus");
    await refused(data, serve(data, "--set", "storage.driver=postgres"), "storage.driver");
    const fresh = join(temp(), "never-created");
    expectOneLineFailure(await hearth(serve(fresh, "--set", "bus.driver=redis")), "bus");
    expect(readdirSync(join(fresh, "..")).includes("never-created")).toBe(false);
  });

  test("ICE server URLs, the announced address and the bind host are checked at start", async () => {
    const data = await dataDir();
    await refused(data, serve(data, "--set", "calls.iceServers=stun:stun.example.org,http://x"), "calls.iceServers", '"http://x"', "stun:");
    await refused(data, serve(data, "--set", "calls.announcedAddress=not-an-ip"), "calls.announcedAddress", "IP address");
    await refused(data, ["serve", "--data", data, "--host", "300.1.1.1", "--set", "mdns.enabled=false"], "server.host", "300.1.1.1");
  });

  test("data dir owned by another user (root could write to it, so ownership is compared)", async () => {
    const data = await dataDir();
    const chownTree = (dir: string) => {
      chownSync(dir, 65534, 65534);
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const p = join(dir, e.name);
        e.isDirectory() ? chownTree(p) : chownSync(p, 65534, 65534);
      }
    };
    chownTree(data);
    await refused(data, serve(data), data, "65534");
  }, 30_000);

  test("port already in use", async () => {
    const data = await dataDir();
    const squatter = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
    try {
      const line = await refused(data, ["serve", "--data", data, "--port", String(squatter.port), ...quiet()], `127.0.0.1:${squatter.port}`);
      expect(line).toContain("in use by another program");
      const tls = await refused(data, ["serve", "--data", data, "--port", String(freePort()), ...quiet(), "--set", `tls.port=${squatter.port}`], "tls.port");
      expect(tls).toContain(`127.0.0.1:${squatter.port}`);
    } finally {
      squatter.stop(true);
    }
  }, 30_000);

  test("corrupt database file (random bytes)", async () => {
    const data = await dataDir();
    writeFileSync(join(data, "hearth.sqlite"), seededRng("corrupt database bytes").bytes(64 * 1024));
    await refused(data, serve(data), join(data, "hearth.sqlite"), "not a SQLite database");
    await refused(data, ["migrate", "--data", data], "not a SQLite database");
  }, 30_000);

  test("database written by a newer version (a migration this binary does not know)", async () => {
    const data = await dataDir();
    const db = new Database(join(data, "hearth.sqlite"));
    db.run("INSERT INTO __drizzle_migrations (hash, created_at) VALUES (?, ?)", ["f".repeat(64), 4102444800000]);
    db.close();
    await refused(data, serve(data), "does not know", "upgrade Hearth or restore a backup");
    await refused(data, ["migrate", "--data", data], "does not know");
  }, 30_000);

  test("disk full during backup: one line, partial file removed", async () => {
    // ~600 KiB of data against a 256 KiB filesystem.
    const data = await dataDir(600, 1000);
    const mnt = join(temp(), "small");
    mkdirSync(mnt);
    const mount = Bun.spawnSync(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", mnt]);
    expect(mount.exitCode).toBe(0);
    try {
      const target = join(mnt, "backup.sqlite");
      const line = await refused(data, ["backup", target, "--data", data], target);
      expect(line).toContain("disk full");
      expect(line).toContain("partial file was removed");
      expect(readdirSync(mnt)).toEqual([]);
    } finally {
      Bun.spawnSync(["umount", mnt]);
    }
  }, 30_000);
});
