// `bun run bench cold-start`: the compiled executable's cold start, from spawn to the
// first 200 on /healthz, median of 15 runs, in two situations:
//   first start  — an empty data directory each run (creates the database, applies every
//                  migration, generates secrets and the local CA when TLS is on),
//   restart      — the same data directory again (what a service restart or upgrade-free
//                  reboot costs).
// Each run copies nothing: the binary sits in a temporary directory of its own and is
// stopped with SIGTERM before the next run. Builds dist/hearth-linux-x64 first when stale
// (with the cached calls worker, never starting a worker build).
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { binaryPath, build, isFresh } from "../build.ts";
import { startBinary } from "../scripts/run-binary.ts";

const runs = Number(process.env.HEARTH_BENCH_RUNS ?? 15);

async function coldStartMs(exe: string, cwd: string): Promise<number> {
  const started = performance.now();
  const { proc, url } = await startBinary(exe, cwd);
  try {
    for (;;) {
      const res = await fetch(`${url}/healthz`).catch(() => null);
      if (res?.status === 200) return performance.now() - started;
      await Bun.sleep(1);
    }
  } finally {
    proc.kill("SIGTERM");
    await proc.exited;
  }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const fmt = (xs: number[]) => `median ${median(xs).toFixed(0)} ms (min ${Math.min(...xs).toFixed(0)}, max ${Math.max(...xs).toFixed(0)})`;

export async function benchColdStart(): Promise<{ firstStartMs: number; restartMs: number }> {
  if (!(await isFresh())) await build({ worker: "cached" });
  const dir = mkdtempSync(join(tmpdir(), "hearth-cold-"));
  const exe = join(dir, "hearth-linux-x64");
  copyFileSync(binaryPath, exe);
  try {
    await coldStartMs(exe, dir); // warm the page cache: we measure start-up, not disk reads of 110 MiB
    const first: number[] = [];
    for (let i = 0; i < runs; i++) {
      const cwd = mkdtempSync(join(dir, "run-"));
      first.push(await coldStartMs(exe, cwd));
    }
    const restart: number[] = [];
    const cwd = mkdtempSync(join(dir, "same-"));
    await coldStartMs(exe, cwd); // creates the data directory once
    for (let i = 0; i < runs; i++) restart.push(await coldStartMs(exe, cwd));
    console.log(`cold start to first 200 on /healthz, ${runs} runs each (binary ${binaryPath}):`);
    console.log(`  first start, empty data dir : ${fmt(first)}`);
    console.log(`  restart, existing data dir  : ${fmt(restart)}`);
    return { firstStartMs: median(first), restartMs: median(restart) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.main) await benchColdStart();
