// Scheduled backups through a real `hearth serve` process on a real data dir: the
// schedule runs (a short backup.intervalMs), every backup is verified and pruned by the
// retention rules, the result is in /readyz details, /metrics and `backup.status`, and
// `hearth backup --list` shows it; then backup → wipe → `hearth restore` gives the same
// rows and the same media files. A failing backup directory is visible the same ways;
// a corrupted backup fails `hearth backup --verify`.
import { Database } from "bun:sqlite";
import { afterAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, hearth, startServer } from "./support/cli.ts";
import { bearer, login, startMediaServer, uploadBytes } from "./support/media.ts";
import { mediaPaths } from "../src/protocol/media.ts";
import { connectClient } from "./support/harness.ts";

setDefaultTimeout(90_000);

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), "hearth-bk-"));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
let n = 0;
const cid = () => `b${++n}`;
const sha256 = (b: Uint8Array) => new Bun.CryptoHasher("sha256").update(b).digest("hex");

/** Every row of every table, in a stable order: what "identical data" means. */
function dump(file: string): Record<string, string[]> {
  const db = new Database(file, { readonly: true });
  try {
    const tables = db.query("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").values() as [string][];
    return Object.fromEntries(tables.map(([t]) => [t, (db.query(`SELECT * FROM "${t}"`).all() as unknown[]).map((r) => JSON.stringify(r)).sort()]));
  } finally {
    db.close();
  }
}

/** sha-256 of every file under media/ (blobs only: not uploads/ or work/). */
function mediaHashes(dataDir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const root = join(dataDir, "media");
  for (const ab of readdirSync(root)) {
    if (!/^[0-9a-f]{2}$/.test(ab)) continue;
    for (const rest of readdirSync(join(root, ab))) out[ab + rest] = sha256(readFileSync(join(root, ab, rest)));
  }
  return out;
}

const metric = (text: string, name: string) => {
  const m = new RegExp(`^${name.replace(/[{}"]/g, (c) => `\\${c}`)} (\\S+)$`, "m").exec(text);
  return m ? Number(m[1]) : null;
};

async function seed(dir: string) {
  const s = await startMediaServer({ dir });
  try {
    const [ann, ben] = [await s.person("ann"), await s.person("ben")];
    await s.deps.storage.users.setRole(ann.id, "admin");
    const { entry } = await ann.request("chat.create", { kind: "group", clientId: cid(), title: "Family 🏡", memberIds: [ben.id] });
    for (let i = 0; i < 50; i++) await (i % 2 ? ann : ben).request("message.send", { chatId: entry.chat.id, clientId: cid(), text: `message ${i} ✨` });
    const files = [new TextEncoder().encode("the recipe book"), crypto.getRandomValues(new Uint8Array(300_000)), crypto.getRandomValues(new Uint8Array(5000))];
    const media: { id: string; sha: string }[] = [];
    for (const f of files) {
      const m = await uploadBytes(s.url, ann.token, f, { name: "file.bin" });
      await ann.request("message.send", { chatId: entry.chat.id, clientId: cid(), text: "", attachments: [m.id] });
      media.push({ id: m.id, sha: sha256(f) });
    }
    return { ann: ann.username, media };
  } finally {
    await s.stop();
  }
}

describe("scheduled backups", () => {
  test("run on schedule, verified, pruned, visible in /readyz, /metrics, backup.status and --list; restore gives identical data and media", async () => {
    const dir = tempDir();
    const backups = join(tempDir(), "backups");
    const { ann, media } = await seed(dir);
    const port = freePort();
    const srv = await startServer(dir, port, ["--set", "backup.intervalMs=1000", "--set", `backup.dir=${backups}`]);
    const url = `http://127.0.0.1:${port}`;
    let okRuns = 0;
    const runs = async () => metric(await (await fetch(`${url}/metrics`)).text(), 'hearth_backups_total{result="ok"}') ?? 0;
    for (const deadline = Date.now() + 30_000; (okRuns = await runs()) < 3; ) {
      if (Date.now() > deadline) throw new Error(`only ${okRuns} backups in 30 s`);
      await Bun.sleep(100);
    }
    const ready = await (await fetch(`${url}/readyz`)).json();
    expect(ready.status).toBe("ready");
    expect(ready.details.backup.ok).toBe(true);
    expect(typeof ready.details.backup.lastSuccessAt).toBe("number");
    expect(JSON.stringify(ready)).not.toContain(backups); // no paths for unauthenticated probers
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metric(metrics, "hearth_backup_last_ok")).toBe(1);
    expect(metric(metrics, "hearth_backups_kept")).toBe(1); // all today: the newest is the daily and the weekly
    expect(metric(metrics, "hearth_backup_last_bytes")).toBeGreaterThan(300_000);

    // backup.status over WebSocket, as the admin console asks
    const tokens = await login(url, ann);
    const client = await connectClient({ url, wsUrl: `${url.replace("http", "ws")}/ws` }, tokens);
    const st = (await client.request("backup.status", {})) as { enabled: boolean; dir: string; schedule: string; last: { ok: boolean; mediaFiles: number; name: string }; lastSuccess: { name: string }; kept: number; nextAt: number };
    expect(st.enabled).toBe(true);
    expect(st.dir).toBe(backups);
    expect(st.schedule).toBe("every 1000 ms");
    expect(st.last.ok).toBe(true);
    expect(st.last.mediaFiles).toBeGreaterThanOrEqual(3);
    expect(st.kept).toBe(1);
    // the admin console's health panel shows the same last backup
    const h = (await client.request("admin.health", {})) as { backup: { ok: boolean; at: number; bytes: number; detail: string } | null };
    expect(h.backup).toMatchObject({ ok: true, detail: st.last.name });
    expect(h.backup!.bytes).toBeGreaterThan(0);
    client.close();

    await srv.stop(); // flushes the session's last-seen: a write after the newest backup

    // the same data dir again, with nobody connected: from its first backup on, nothing writes
    const srv2 = await startServer(dir, port, ["--set", "backup.intervalMs=1000", "--set", `backup.dir=${backups}`]);
    for (const deadline = Date.now() + 30_000; (await runs()) < 2; ) {
      if (Date.now() > deadline) throw new Error("no backups after the restart");
      await Bun.sleep(100);
    }
    await srv2.stop();

    // retention: one backup (today's newest) and its media; older snapshots and blobs gone
    const list = await hearth(["backup", "--list", "--data", dir, "--set", `backup.dir=${backups}`]);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^1 scheduled backup in /);
    const name = /(hearth-\S+\.sqlite)/.exec(list.stdout)![1]!;
    expect(list.stdout).toMatch(/media 3 files .* verified/);
    expect(readdirSync(backups).sort()).toEqual(["blobs", name, name.replace(".sqlite", ".json"), `${name}.media`].sort());
    const verified = await hearth(["backup", "--verify", join(backups, name)]);
    expect(verified.stderr).toBe("");
    expect(verified.stdout).toMatch(/^ok .*integrity ok, \d+ rows in \d+ tables as at snapshot time, 3 media files present/);

    // backup → wipe → restore: identical rows and identical media files
    const before = dump(join(dir, "hearth.sqlite"));
    const mediaBefore = mediaHashes(dir);
    expect(Object.keys(mediaBefore).length).toBeGreaterThanOrEqual(3);
    for (const f of readdirSync(dir)) if (f.startsWith("hearth.sqlite")) rmSync(join(dir, f));
    rmSync(join(dir, "media"), { recursive: true });
    const r = await hearth(["restore", join(backups, name), "--data", dir]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(dump(join(dir, "hearth.sqlite"))).toEqual(before);
    expect(mediaHashes(dir)).toEqual(mediaBefore);

    // and the server serves the restored files
    const port2 = freePort();
    const again = await startServer(dir, port2, ["--set", "backup.enabled=false"]);
    try {
      const token = (await login(`http://127.0.0.1:${port2}`, ann)).accessToken;
      for (const m of media) {
        const res = await fetch(`http://127.0.0.1:${port2}${mediaPaths.original(m.id)}`, { headers: bearer(token) });
        expect(res.status).toBe(200);
        expect(sha256(new Uint8Array(await res.arrayBuffer()))).toBe(m.sha);
      }
    } finally {
      await again.stop();
    }
  });
});

describe("a backup that fails", () => {
  test("an unusable backup directory: /readyz stays ready but says so, metrics and backup.status have the error, nothing is left behind", async () => {
    const dir = tempDir();
    const { ann } = await seed(dir);
    const blocker = join(tempDir(), "a-file");
    writeFileSync(blocker, "not a directory");
    const port = freePort();
    const srv = await startServer(dir, port, ["--set", "backup.intervalMs=1000", "--set", `backup.dir=${join(blocker, "backups")}`]);
    const url = `http://127.0.0.1:${port}`;
    try {
      for (const deadline = Date.now() + 30_000; (metric(await (await fetch(`${url}/metrics`)).text(), 'hearth_backups_total{result="failed"}') ?? 0) < 1; ) {
        if (Date.now() > deadline) throw new Error("no failed backup in 30 s");
        await Bun.sleep(100);
      }
      const res = await fetch(`${url}/readyz`);
      expect(res.status).toBe(200); // a failed backup does not take traffic away
      const body = await res.json();
      expect(body.details.backup).toEqual({ ok: false, lastAt: expect.any(Number), lastSuccessAt: null });
      const metrics = await (await fetch(`${url}/metrics`)).text();
      expect(metric(metrics, "hearth_backup_last_ok")).toBe(0);
      const client = await connectClient({ url, wsUrl: `${url.replace("http", "ws")}/ws` }, await login(url, ann));
      const st = (await client.request("backup.status", {})) as { last: { ok: boolean; error: string; name: null }; lastSuccess: null };
      expect(st.last.ok).toBe(false);
      expect(st.last.name).toBeNull();
      expect(st.last.error).toMatch(/ENOTDIR|not a directory/i);
      expect(st.lastSuccess).toBeNull();
      client.close();
    } finally {
      await srv.stop();
    }
  });

  test("hearth backup --verify: a backup with a changed table or damaged pages fails, naming what is wrong", async () => {
    const dir = tempDir();
    await seed(dir);
    const backups = join(tempDir(), "backups");
    const port = freePort();
    const srv = await startServer(dir, port, ["--set", "backup.intervalMs=1000", "--set", `backup.dir=${backups}`]);
    try {
      for (const deadline = Date.now() + 30_000; (metric(await (await fetch(`http://127.0.0.1:${port}/metrics`)).text(), 'hearth_backups_total{result="ok"}') ?? 0) < 1; ) {
        if (Date.now() > deadline) throw new Error("no backup in 30 s");
        await Bun.sleep(100);
      }
    } finally {
      await srv.stop();
    }
    const name = readdirSync(backups).find((f) => f.endsWith(".sqlite"))!;
    const file = join(backups, name);
    expect((await hearth(["backup", "--verify", file])).code).toBe(0);

    // a row lost from the copy (a torn or tampered file): the counts no longer match the source's
    const db = new Database(file);
    db.run("DELETE FROM messages WHERE rowid = (SELECT max(rowid) FROM messages)");
    db.close();
    const lost = await hearth(["backup", "--verify", file]);
    expect(lost.code).toBe(1);
    expect(lost.stderr).toMatch(/failed verification: table messages has (\d+) rows in the backup, (\d+) in the source/);

    // damaged pages: integrity_check (or opening it) fails
    const bytes = readFileSync(file);
    for (let i = 4096 * 2; i < bytes.length - 100; i += 4096) bytes.fill(0xa5, i + 50, i + 1000);
    writeFileSync(file, bytes);
    const damaged = await hearth(["backup", "--verify", file]);
    expect(damaged.code).toBe(1);
    expect(damaged.stderr).toMatch(/failed verification: .*(integrity check|malformed|not a readable)/i);
  });
});
