// The `hearth` command line, end to end: each test runs `bun src/main.ts …` as a child
// process against a temporary data directory and checks the files and database after.
import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import pkg from "../package.json" with { type: "json" };
import { Database } from "bun:sqlite";
import { verifyPassword } from "../src/accounts/passwords.ts";
import { base32Decode, hotp, newTotpSecret, totpStep } from "../src/accounts/totp.ts";
import { newId } from "../src/ids.ts";
import { entries } from "../src/cli/index.ts";
import { cleanEnv, freePort, hashTree, hearth, lines, repoRoot, startServer, tempDir } from "./support/cli.ts";
import { PROTOCOL_VERSION } from "../src/protocol/version.ts";
import { loadSecrets } from "../src/secrets/store.ts";
import { migrate } from "../src/storage/sqlite/migrate.ts";
import { migrations } from "../src/storage/sqlite/migrations.gen.ts";
import { openSqliteStorage } from "../src/storage/sqlite/storage.ts";
import type { Storage } from "../src/storage/port.ts";

const dirs: { [Symbol.dispose](): void }[] = [];
afterAll(() => dirs.forEach((d) => d[Symbol.dispose]()));
function dataDir(): string {
  const d = tempDir();
  dirs.push(d);
  return d.path;
}
const dbFile = (data: string) => join(data, "hearth.sqlite");

async function withDb<T>(data: string, fn: (s: Storage) => Promise<T>): Promise<T> {
  const storage = await openSqliteStorage({ file: dbFile(data), durability: "normal" });
  try {
    return await fn(storage);
  } finally {
    await storage.close();
  }
}

async function createUser(data: string, username: string, password = "correct horse battery", ...flags: string[]) {
  const r = await hearth(["admin", "create-user", username, "--password-stdin", "--data", data, ...flags], { stdin: `${password}\n` });
  expect(r).toMatchObject({ code: 0, stderr: "" });
  return r;
}

async function addSession(storage: Storage, userId: string) {
  const now = Date.now();
  await storage.sessions.create({ id: newId(), userId, deviceName: "test", ip: "127.0.0.1", createdAt: now, refreshHash: newId(), refreshExpiresAt: now + 60_000 });
}

describe("help and version", () => {
  const names = entries.flatMap((e) => ("commands" in e ? [e.name, ...e.commands.map((c) => c.name)] : [e.name]));

  test("top-level --help lists every command; -h is the same", async () => {
    const long = await hearth(["--help"]);
    expect(long.code).toBe(0);
    for (const name of names) if (!["admin", "secrets"].includes(name)) expect(long.stdout).toContain(`  ${name} `);
    expect((await hearth(["-h"])).stdout).toBe(long.stdout);
  });

  test.each(names)("hearth %s --help prints usage and exits 0", async (name) => {
    const r = await hearth([...name.split(" "), "--help"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    expect(r.stdout).toStartWith(`Usage: hearth ${name}`);
    const isGroup = name === "admin" || name === "secrets";
    expect(r.stdout).toContain(isGroup ? "Commands:" : "Examples:");
    if (!isGroup) expect(r.stdout).toContain("--data <dir>");
  });

  test("version prints hearth, bun, protocol and mediasoup versions", async () => {
    const r = await hearth(["version"]);
    expect(r.code).toBe(0);
    expect(lines(r.stdout)).toEqual([`hearth ${pkg.version}`, `bun ${Bun.version}`, `protocol ${PROTOCOL_VERSION}`, `mediasoup ${pkg.dependencies.mediasoup}`]);
    expect((await hearth(["--version"])).stdout).toBe(r.stdout);
  });

  test.each([
    [["frobnicate"], 'unknown command "frobnicate"'],
    [["doctor", "--frob"], "unknown flag --frob"],
    [["admin", "frob"], 'unknown command "admin frob"'],
    [["backup"], "hearth backup needs a <file> (or --list)"],
    [["admin", "promote", "x", "--role"], "flag --role needs a value"],
  ])("bad command line %p: one line, exit 2", async (args, message) => {
    const r = await hearth(args);
    expect(r.code).toBe(2);
    expect(lines(r.stderr)).toHaveLength(1);
    expect(r.stderr).toStartWith(`hearth: ${message}`);
    expect(r.stderr).toContain("--help");
  });
});

describe("admin", () => {
  test("create-user makes an account that can log in with that password", async () => {
    const data = dataDir();
    const r = await createUser(data, "Alice", "correct horse battery", "--role", "owner", "--display-name", "Alice A.");
    expect(r.stdout).toBe("created owner Alice\n");
    await withDb(data, async (s) => {
      const user = await s.users.credentialsByUsername("alice");
      expect(user).toMatchObject({ username: "Alice", displayName: "Alice A.", role: "owner", disabled: false });
      expect(await verifyPassword("correct horse battery", user!.passwordHash)).toBe(true);
      expect(await verifyPassword("correct horse batterX", user!.passwordHash)).toBe(false);
    });
  });

  test("create-user refuses a weak password, a bad name and a taken name, each in one line", async () => {
    const data = dataDir();
    await createUser(data, "bob");
    const cases = [
      [["bob2", "short"], "hearth: password must be at least 10 characters"],
      [["b", "long enough password"], "hearth: username: must be 3–32 characters"],
      [["BOB", "long enough password"], 'hearth: username "BOB" is taken'],
    ] as const;
    for (const [[name, pw], message] of cases) {
      const r = await hearth(["admin", "create-user", name, "--password-stdin", "--data", data], { stdin: pw });
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(`${message}\n`);
    }
    expect(await withDb(data, (s) => s.users.count())).toBe(1);
  });

  test("create-user without a terminal or --password-stdin says what to do", async () => {
    const r = await hearth(["admin", "create-user", "carol", "--data", dataDir()]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("hearth: no terminal to ask for a password; pipe it in with --password-stdin\n");
  });

  test("create-user on a terminal asks twice without echo; differing answers change nothing", async () => {
    const data = dataDir();
    const typed = async (username: string, answers: [string, string]) => {
      // `script` gives the child a real terminal, so raw mode and echo are the real thing.
      const cmd = `${process.execPath} src/main.ts admin create-user ${username} --data ${data}`;
      const child = Bun.spawn(["script", "-qec", cmd, "/dev/null"], { cwd: repoRoot, stdin: "pipe", stdout: "pipe", env: cleanEnv() });
      const reader = child.stdout.getReader();
      let seen = "";
      // Reads until `text` was printed, or to the end of output when text is null.
      const until = async (text: string | null) => {
        while (text === null || !seen.includes(text)) {
          const { value, done } = await reader.read();
          if (done) return;
          seen += new TextDecoder().decode(value);
        }
      };
      for (const [prompt, answer] of [["New password: ", answers[0]], ["Repeat password: ", answers[1]]] as const) {
        await until(prompt);
        child.stdin.write(`${answer}\r`);
        child.stdin.flush();
      }
      await until(null);
      return { code: await child.exited, output: seen };
    };
    const good = await typed("tty_user", ["typed password 1", "typed password 1"]);
    expect(good.code).toBe(0);
    expect(good.output).toContain("created member tty_user");
    expect(good.output).not.toContain("typed password");
    const bad = await typed("tty_user2", ["typed password 1", "typed password 2"]);
    expect(bad.code).toBe(1);
    expect(bad.output).toContain("hearth: the two passwords differ; nothing was changed");
    await withDb(data, async (s) => {
      expect(await verifyPassword("typed password 1", (await s.users.credentialsByUsername("tty_user"))!.passwordHash)).toBe(true);
      expect(await s.users.credentialsByUsername("tty_user2")).toBeNull();
    });
  }, 30_000);

  test("reset-password prints a new password, which works, and signs out every session", async () => {
    const data = dataDir();
    await createUser(data, "dave", "old password 123");
    await withDb(data, async (s) => {
      const id = (await s.users.credentialsByUsername("dave"))!.id;
      await addSession(s, id);
      await addSession(s, id);
    });
    const r = await hearth(["admin", "reset-password", "dave", "--data", data]);
    expect(r.code).toBe(0);
    const [first, second] = lines(r.stdout);
    expect(first).toBe("password of dave reset; 2 sessions signed out");
    const generated = second!.replace("new password: ", "");
    await withDb(data, async (s) => {
      const user = (await s.users.credentialsByUsername("dave"))!;
      expect(await verifyPassword(generated, user.passwordHash)).toBe(true);
      expect(await verifyPassword("old password 123", user.passwordHash)).toBe(false);
      expect(await s.sessions.listForUser(user.id)).toEqual([]);
    });
    const viaStdin = await hearth(["admin", "reset-password", "dave", "--password-stdin", "--data", data], { stdin: "chosen password 1\n" });
    expect(viaStdin.stdout).toBe("password of dave reset; 0 sessions signed out\n");
    await withDb(data, async (s) => {
      expect(await verifyPassword("chosen password 1", (await s.users.credentialsByUsername("dave"))!.passwordHash)).toBe(true);
    });
  }, 30_000); // three CLI processes and password hashing: over 5 s on a loaded 2-core machine

  test("promote raises member → admin → owner and never lowers", async () => {
    const data = dataDir();
    await createUser(data, "erin");
    expect((await hearth(["admin", "promote", "erin", "--data", data])).stdout).toBe("erin is now admin\n");
    expect((await hearth(["admin", "promote", "erin", "--role", "owner", "--data", data])).stdout).toBe("erin is now owner\n");
    const lower = await hearth(["admin", "promote", "erin", "--data", data]);
    expect(lower).toMatchObject({ code: 1, stderr: "hearth: erin is already owner; nothing changed\n" });
    const badRole = await hearth(["admin", "promote", "erin", "--role", "member", "--data", data]);
    expect(badRole.code).toBe(2);
    const missing = await hearth(["admin", "promote", "nobody", "--data", data]);
    expect(missing).toMatchObject({ code: 1, stderr: 'hearth: no user named "nobody"\n' });
    expect(await withDb(data, async (s) => (await s.users.credentialsByUsername("erin"))!.role)).toBe("owner");
  });

  test("disable signs the account out everywhere; --enable undoes it", async () => {
    const data = dataDir();
    await createUser(data, "frank");
    await withDb(data, async (s) => addSession(s, (await s.users.credentialsByUsername("frank"))!.id));
    expect((await hearth(["admin", "disable", "frank", "--data", data])).stdout).toBe("disabled frank; 1 session signed out\n");
    await withDb(data, async (s) => {
      const u = (await s.users.credentialsByUsername("frank"))!;
      expect(u.disabled).toBe(true);
      expect(await s.sessions.listForUser(u.id)).toEqual([]);
    });
    expect((await hearth(["admin", "disable", "frank", "--enable", "--data", data])).stdout).toBe("enabled frank\n");
    expect(await withDb(data, async (s) => (await s.users.credentialsByUsername("frank"))!.disabled)).toBe(false);
  });
});

describe("migrate", () => {
  const backups = (data: string) => (existsSync(join(data, "backups")) ? readdirSync(join(data, "backups")) : []);

  test("fresh database: creates it, applies everything, takes no backup; again: nothing to do", async () => {
    const data = dataDir();
    const r = await hearth(["migrate", "--data", data]);
    expect(r.code).toBe(0);
    expect(lines(r.stdout)).toEqual([`created ${dbFile(data)}`, `applied ${migrations.length}: ${migrations.map((m) => m.tag).join(", ")}`]);
    expect(backups(data)).toEqual([]);
    const again = await hearth(["migrate", "--data", data]);
    expect(again.stdout).toBe("database is up to date; nothing to apply\n");
    expect(backups(data)).toEqual([]);
  });

  test.skipIf(migrations.length < 2)("existing database with pending migrations is backed up first", async () => {
    const data = dataDir();
    migrate({ file: dbFile(data), migrations: migrations.slice(0, 1) });
    const r = await hearth(["migrate", "--data", data]);
    expect(r.code).toBe(0);
    expect(backups(data)).toHaveLength(1);
    expect(r.stdout).toContain(`backed up to ${join(data, "backups", backups(data)[0]!)}`);
    expect(r.stdout).toContain(`applied ${migrations.length - 1}: `);
  });
});

describe("backup and restore", () => {
  test("backup while the server writes (logins) and another process writes: the copy is sound and opens", async () => {
    const data = dataDir();
    await createUser(data, "grace", "grace password 1");
    const port = freePort();
    const server = await startServer(data, port);
    let writing = true;
    let logins = 0;
    let written = 0;
    // The server writes a session per login; this process writes users beside it (WAL, two writers).
    const loginLoop = (async () => {
      while (writing) {
        const res = await fetch(`http://127.0.0.1:${port}/api/auth/login`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ username: "grace", password: "grace password 1", deviceName: "test" }),
        });
        expect(res.status).toBe(200);
        logins++;
      }
    })();
    const writer = withDb(data, async (s) => {
      while (writing) {
        await s.users.create({ id: newId(), username: `user${written}`, displayName: "w", passwordHash: "x", role: "member", createdAt: Date.now() });
        written++;
      }
    });
    try {
      while (written < 50 || logins < 3) await Bun.sleep(5);
      const target = join(dataDir(), "copy.sqlite");
      const [usersBefore, loginsBefore] = [written, logins];
      const r = await hearth(["backup", target, "--data", data]);
      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`^backed up .* to ${target} \\(\\d+ bytes\\)\\n$`));
      const copy = await openSqliteStorage({ file: target, durability: "normal" });
      try {
        expect(await copy.meta.integrityCheck()).toEqual([]);
        expect(await copy.users.count()).toBeGreaterThanOrEqual(usersBefore + 1);
        const grace = (await copy.users.credentialsByUsername("grace"))!;
        expect((await copy.sessions.listForUser(grace.id)).length).toBeGreaterThanOrEqual(loginsBefore);
      } finally {
        await copy.close();
      }
      const again = await hearth(["backup", target, "--data", data]);
      expect(again).toMatchObject({ code: 1, stderr: `hearth: ${target} already exists; choose a new file name\n` });
    } finally {
      writing = false;
      await Promise.all([writer, loginLoop]);
      await server.stop();
    }
  }, 60_000);

  test("restore round-trip: data comes back, the replaced database is kept aside", async () => {
    const data = dataDir();
    await createUser(data, "heidi");
    const target = join(dataDir(), "heidi.sqlite");
    expect((await hearth(["backup", target, "--data", data])).code).toBe(0);
    await createUser(data, "ivan");
    const r = await hearth(["restore", target, "--data", data]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const [first, second] = lines(r.stdout);
    expect(first).toBe(`restored ${dbFile(data)} from ${target}`);
    const aside = second!.replace("previous database kept as ", "");
    expect(aside).toStartWith(`${dbFile(data)}.before-restore-`);
    await withDb(data, async (s) => {
      expect(await s.users.credentialsByUsername("heidi")).not.toBeNull();
      expect(await s.users.credentialsByUsername("ivan")).toBeNull();
    });
    const old = await openSqliteStorage({ file: aside, durability: "normal" });
    try {
      expect(await old.users.credentialsByUsername("ivan")).not.toBeNull();
    } finally {
      await old.close();
    }
  });

  test("restore refuses while a server runs on the data dir, and changes nothing", async () => {
    const data = dataDir();
    await createUser(data, "judy");
    const target = join(dataDir(), "judy.sqlite");
    expect((await hearth(["backup", target, "--data", data])).code).toBe(0);
    const server = await startServer(data, freePort());
    try {
      const r = await hearth(["restore", target, "--data", data]);
      expect(r.code).toBe(1);
      expect(lines(r.stderr)).toHaveLength(1);
      expect(r.stderr).toContain("is in use (is the Hearth server running?)");
      expect(readdirSync(data).filter((f) => f.includes("before-restore"))).toEqual([]);
    } finally {
      await server.stop();
    }
  }, 60_000);
});

describe("file modes", () => {
  /** Every entry under `dir` (the dir itself included) whose mode is not 0600 (files) or 0700 (directories). */
  const wrongModes = (dir: string): string[] => {
    const out: string[] = [];
    const walk = (p: string) => {
      const st = statSync(p);
      const want = st.isDirectory() ? 0o700 : 0o600;
      if ((st.mode & 0o777) !== want) out.push(`${p.slice(dir.length) || "."} ${(st.mode & 0o777).toString(8)}`);
      if (st.isDirectory()) for (const n of readdirSync(p)) walk(join(p, n));
    };
    walk(dir);
    return out;
  };

  test("with umask 022, every file the CLI and the server create is 0600 in 0700 dirs (database, -wal, -shm, secrets, TLS, backups)", async () => {
    const old = process.umask(0o022); // children inherit it, as from a login shell
    try {
      const data = join(dataDir(), "data");
      await createUser(data, "alice");
      const port = freePort();
      const server = await startServer(data, port, ["--set", "tls.mode=local-ca", "--set", `tls.port=${freePort()}`]);
      try {
        expect((await fetch(`http://127.0.0.1:${port}/ca.pem`)).status).toBe(200); // the CA exists
        expect(readdirSync(data)).toEqual(expect.arrayContaining(["hearth.sqlite", "hearth.sqlite-wal", "hearth.sqlite-shm", "secrets", "tls"]));
        expect(wrongModes(data)).toEqual([]);
        const backups = join(dataDir(), "backups");
        mkdirSync(backups, { mode: 0o700 });
        expect((await hearth(["backup", join(backups, "copy.sqlite"), "--data", data])).code).toBe(0);
        expect(wrongModes(backups)).toEqual([]);
      } finally {
        await server.stop();
      }
      expect((await hearth(["secrets", "rotate", "invite-code-key", "--data", data])).code).toBe(0);
      expect(wrongModes(data)).toEqual([]);
      const doctor = await hearth(["doctor", "--data", data, "--port", String(freePort()), "--set", `tls.port=${freePort()}`]);
      expect(lines(doctor.stdout).filter((l) => / data (dir permissions|files):/.test(l) && !l.startsWith("ok"))).toEqual([]);
    } finally {
      process.umask(old);
    }
  }, 60_000);
});

describe("secrets rotate", () => {
  test("changes exactly one secret, keeping the replaced value as <name>.previous", async () => {
    const data = dataDir();
    loadSecrets(data);
    await createUser(data, "kim");
    const before = hashTree(data);
    const r = await hearth(["secrets", "rotate", "access-token-key", "--data", data]);
    expect(r).toMatchObject({ code: 0, stdout: "rotated access-token-key; restart the server to use it\n" });
    const after = hashTree(data);
    const changed = Object.keys(after).filter((f) => after[f] !== before[f]);
    // the new key, and the replaced one kept (one generation back) to recognise what it signed
    expect(changed.sort()).toEqual([join("secrets", "access-token-key"), join("secrets", "access-token-key.previous")]);
    expect(Object.keys(after).sort()).toEqual([...Object.keys(before), join("secrets", "access-token-key.previous")].sort());
    expect(after[join("secrets", "access-token-key.previous")]).toBe(before[join("secrets", "access-token-key")]!);
  });

  test("an unknown secret name is one line and changes nothing", async () => {
    const data = dataDir();
    loadSecrets(data);
    const before = hashTree(data);
    const r = await hearth(["secrets", "rotate", "nope", "--data", data]);
    expect(r.code).toBe(1);
    expect(r.stderr).toStartWith('hearth: unknown secret "nope"; known: access-token-key');
    expect(hashTree(data)).toEqual(before);
  });

  test("TOTP: a user with 2FA stored by an older version (plaintext) keeps signing in; the secret is encrypted at start and re-encrypted after rotate totp-key", async () => {
    const data = dataDir();
    await createUser(data, "tess");
    const secret = newTotpSecret();
    const id = await withDb(data, async (st) => {
      const u = (await st.users.credentialsByUsername("tess"))!;
      await st.users.setTotp(u.id, { secret, recoveryCodeHashes: [] }); // no box: the old, plaintext format
      return u.id;
    });
    const column = () => {
      const db = new Database(dbFile(data), { readonly: true });
      const v = (db.query("SELECT totp_secret AS s FROM users WHERE id = ?").get(id) as { s: string }).s;
      db.close();
      return v;
    };
    expect(column()).toBe(secret);
    const key = base32Decode(secret)!;
    let step = totpStep(Date.now());
    const login = async (port: number) => {
      const res = await fetch(`http://127.0.0.1:${port}/api/auth/login`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ username: "tess", password: "correct horse battery", deviceName: "t", totp: hotp(key, step++) }), // a new step each time: each is accepted once
      });
      return res.status;
    };
    const port = freePort();
    let server = await startServer(data, port);
    try {
      expect(column()).toStartWith("v1.");
      expect(column()).not.toContain(secret);
      expect(await login(port)).toBe(200);
    } finally {
      await server.stop();
    }
    const sealedBefore = column();
    expect((await hearth(["secrets", "rotate", "totp-key", "--data", data])).code).toBe(0);
    expect(readdirSync(join(data, "secrets")).filter((n) => n.startsWith("totp-key.retired-"))).toHaveLength(1);
    server = await startServer(data, port);
    try {
      expect(column()).toStartWith("v1.");
      expect(column().split(".")[1]).not.toBe(sealedBefore.split(".")[1]); // the new key id
      expect(readdirSync(join(data, "secrets")).filter((n) => n.startsWith("totp-key.retired-"))).toEqual([]); // dropped after re-encryption
      expect(await login(port)).toBe(200);
    } finally {
      await server.stop();
    }
  }, 60_000);
});
