// Everything Hearth needs before it can start from the source tree, done once and
// skipped when already done (safe to run on every `npm start` / `npm test`):
//   1. Debian packages (tests only: Debian's chromium for browser tests, systemd for
//      `systemd-analyze verify`, libnss3-tools for certificate tests, pebble for the ACME
//      tests, avahi-daemon/avahi-utils/dbus-daemon/iproute2 for the Avahi mDNS test, ffmpeg
//      for the media e2e's test video),
//   2. the mediasoup worker (built from source once and cached: scripts/build-worker.ts),
//      and for tests also the cross-compiled linux-arm64 one (scripts/worker-recipe/cross.ts),
//   3. the web client (vite build of web/ when its sources changed since the last build).
// Usage: bun scripts/setup.ts [--for-tests]
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";

const root = join(import.meta.dir, "..");
const forTests = process.argv.includes("--for-tests");
const testPackages = ["chromium", "systemd", "libnss3-tools", "pebble", "avahi-daemon", "avahi-utils", "dbus-daemon", "iproute2", "ffmpeg"];

type Step = { title: string; run: () => Promise<string> };

export class SetupError extends Error {}

async function sh(cmd: string[], opts: { quiet?: boolean; env?: Record<string, string> } = {}): Promise<number> {
  const quiet = opts.quiet ?? false;
  const proc = Bun.spawn(cmd, {
    cwd: root,
    stdin: "ignore",
    stdout: quiet ? "ignore" : "inherit",
    stderr: quiet ? "ignore" : "inherit",
    env: { ...process.env, ...opts.env },
  });
  return proc.exited;
}

async function installed(pkg: string): Promise<boolean> {
  const proc = Bun.spawn(["dpkg-query", "-W", "-f=${Status}", pkg], { stdout: "pipe", stderr: "ignore" });
  const out = await new Response(proc.stdout).text();
  return (await proc.exited) === 0 && out.includes("install ok installed");
}

function aptListsEmpty(): boolean {
  try {
    return !readdirSync("/var/lib/apt/lists").some((f) => f.endsWith("_Packages") || f.endsWith("_Packages.lz4"));
  } catch {
    return true;
  }
}

export async function ensurePackages(pkgs: string[]): Promise<string> {
  const missing: string[] = [];
  for (const p of pkgs) if (!(await installed(p))) missing.push(p);
  if (missing.length === 0) return `present: ${pkgs.join(", ")}`;
  const command = `apt-get install -y --no-install-recommends ${missing.join(" ")}`;
  if (process.getuid?.() !== 0) throw new SetupError(`missing Debian packages; run as root: apt-get update && ${command}`);
  const env = { DEBIAN_FRONTEND: "noninteractive" };
  const install = ["apt-get", "install", "-y", "-q", "--no-install-recommends", ...missing];
  if (aptListsEmpty()) await sh(["apt-get", "update", "-q"], { env });
  // Stale package lists give 404s: refresh them once and retry.
  if ((await sh(install, { env })) !== 0 && ((await sh(["apt-get", "update", "-q"], { env })) !== 0 || (await sh(install, { env })) !== 0)) {
    throw new SetupError(`could not install ${missing.join(" ")}; try: apt-get update && ${command}`);
  }
  return `installed: ${missing.join(", ")}`;
}

async function ensureMediasoupWorker(arch: "x64" | "arm64" = "x64"): Promise<string> {
  const script = join(root, "scripts", "build-worker.ts");
  if (!existsSync(script)) return "skipped: scripts/build-worker.ts is not in this tree yet (calls unavailable)";
  const mod = (await import(script)) as { ensureWorker: (o: { log?: (m: string) => void; arch?: "x64" | "arm64" }) => Promise<unknown> };
  const result = await mod.ensureWorker({ log: (m) => console.log(`      ${m}`), arch });
  const path = typeof result === "string" ? result : (result as { path?: string } | null)?.path;
  return path ? `ready: ${path}` : "ready";
}

function* webSources(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== "dist" && entry.name !== "node_modules") yield* webSources(full);
    } else if (!/\.test\.tsx?$/.test(entry.name)) yield full;
  }
}

/** Hash of everything that shapes web/dist: web sources, the protocol and client modules the web imports, their config, locked dependency versions. */
export function webSourceHash(): string {
  const hash = createHash("sha256");
  const shared = ["protocol", "client"].flatMap((d) => [...webSources(join(root, "src", d))]);
  // src/limits.ts: the client module takes its defaults from it.
  const files = [...webSources(join(root, "web")), ...shared, join(root, "src", "limits.ts"), join(root, "bun.lock")].sort();
  for (const f of files) hash.update(relative(root, f)).update("\0").update(readFileSync(f)).update("\0");
  return hash.digest("hex");
}

export async function ensureWebBuilt(): Promise<string> {
  const stamp = join(root, "web", "dist", ".build-stamp");
  const want = webSourceHash();
  const have = existsSync(stamp) ? readFileSync(stamp, "utf8").trim() : "";
  if (have === want && existsSync(join(root, "web", "dist", "index.html"))) return "up to date";
  const vite = join(root, "node_modules", "vite", "bin", "vite.js");
  const code = await sh([process.execPath, "--bun", vite, "build", "web", "--logLevel", "warn"]);
  if (code !== 0) throw new SetupError(`vite build of web/ failed (exit ${code})`);
  writeFileSync(stamp, `${want}\n`);
  const size = readdirSync(join(root, "web", "dist", "assets")).reduce((n, f) => n + statSync(join(root, "web", "dist", "assets", f)).size, 0);
  return `built web/dist (${(size / 1024).toFixed(0)} KiB of assets)`;
}

const steps: Step[] = [
  ...(forTests ? [{ title: "Debian packages for tests", run: () => ensurePackages(testPackages) }] : []),
  { title: "mediasoup worker (calls)", run: () => ensureMediasoupWorker("x64") },
  // The Raspberry Pi executable's worker, cross-compiled once per recipe; its test runs it under qemu.
  ...(forTests ? [{ title: "arm64 mediasoup worker (Raspberry Pi executable)", run: () => ensureMediasoupWorker("arm64") }] : []),
  { title: "web client", run: ensureWebBuilt },
];

async function main(): Promise<number> {
  for (const [i, step] of steps.entries()) {
    const started = performance.now();
    console.log(`[setup ${i + 1}/${steps.length}] ${step.title}…`);
    try {
      const result = await step.run();
      console.log(`[setup ${i + 1}/${steps.length}] ${step.title}: ${result} (${((performance.now() - started) / 1000).toFixed(1)}s)`);
    } catch (err) {
      console.error(`[setup] ${step.title} failed: ${err instanceof Error ? err.message : String(err)}`);
      return 1;
    }
  }
  return 0;
}

if (import.meta.main) process.exit(await main());
