// Test support for the CLI: run `bun src/main.ts …` as a child process, hash a data
// directory, find a free port. Used by tests/cli.test.ts, tests/bad-input.test.ts and
// the doctor tests; nothing in the product imports it.
import { startServerProcess } from "./harness.ts";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";

export const repoRoot = resolve(import.meta.dir, "../..");
const entry = process.env.CLI_ENTRY ?? join(repoRoot, "src/main.ts");

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** The environment without HEARTH_* variables, so the machine's settings never leak in. */
export function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith("HEARTH_")) env[k] = v;
  return { ...env, ...extra };
}

/** Runs one command; a command still running after `timeoutMs` (e.g. a serve that should have refused) is killed. */
export async function hearth(args: string[], opts: { stdin?: string; env?: Record<string, string>; timeoutMs?: number; cwd?: string } = {}): Promise<RunResult> {
  const child = Bun.spawn([process.execPath, entry, ...args], {
    cwd: opts.cwd ?? repoRoot,
    env: cleanEnv(opts.env),
    stdin: opts.stdin === undefined ? "ignore" : new TextEncoder().encode(opts.stdin),
    stdout: "pipe",
    stderr: "pipe",
    timeout: opts.timeoutMs ?? 20_000,
  });
  const [stdout, stderr, code] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
  return { code, stdout, stderr };
}

/** A long-running `hearth serve` with no HTTPS listener and no LAN announcements (parallel servers would clash on 8443 and mDNS). */
export async function startServer(dataDir: string, port: number, extra: string[] = []) {
  const isolated = ["--set", "tls.mode=off", "--set", "mdns.enabled=false"];
  const p = await startServerProcess(dataDir, { port, args: [...isolated, ...extra], env: cleanEnv() });
  return {
    child: p.proc,
    async stop() {
      await p.stop();
    },
  };
}

/** The one free-port finder: a port the kernel just handed out and that nothing listens on now. */
export function freePort(): number {
  const l = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
  const port = l.port;
  l.stop(true);
  return port;
}

export function tempDir(prefix = "hearth-cli-"): { path: string; [Symbol.dispose](): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, [Symbol.dispose]: () => rmSync(path, { recursive: true, force: true }) };
}

/** relative path → sha256 of every file under `dir` (nothing excluded). */
export function hashTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out[relative(dir, p)] = new Bun.CryptoHasher("sha256").update(readFileSync(p)).digest("hex");
    }
  };
  walk(dir);
  return out;
}

export const lines = (text: string) => text.split("\n").filter((l) => l !== "");
