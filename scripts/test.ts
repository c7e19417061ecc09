// The complete test suite, as `npm test` runs it (after bootstrap and setup):
//   1. `bun test` over the server suites (src/**/*.test.ts, tests/**/*.test.ts),
//   2. vitest (under Bun) for the web client's unit tests (web/**/*.test.ts),
//   3. `bun test` over the browser end-to-end suites (tests/e2e/**/*.e2e.ts).
// Each runner's own summary is parsed; the last line is always `N passed, N failed`.
// Exits non-zero when anything failed, a runner crashed, or no test ran at all.
import { Glob } from "bun";
import { join } from "node:path";

const root = join(import.meta.dir, "..");
const bun = process.execPath;

export interface Tally {
  passed: number;
  failed: number;
}

function list(pattern: string, exclude: (path: string) => boolean = () => false): string[] {
  const files = [...new Glob(pattern).scanSync({ cwd: root })].filter((f) => !f.includes("node_modules/") && !exclude(f));
  return files.sort().map((f) => `./${f}`);
}

// `bun test` prints " 12 pass" / " 1 fail" lines at the end.
// The LAST summary counts: a suite that runs bun test itself (scripts/test-runner.test.ts)
// prints its child's summary lines before the outer one.
export function parseBunSummary(out: string): Tally | null {
  const last = (re: RegExp) => [...out.matchAll(re)].at(-1);
  const pass = last(/^\s*(\d+) pass\s*$/gm);
  const fail = last(/^\s*(\d+) fail\s*$/gm);
  if (!pass && !fail) return null;
  return { passed: Number(pass?.[1] ?? 0), failed: Number(fail?.[1] ?? 0) };
}

// vitest prints "      Tests  2 failed | 40 passed (42)".
export function parseVitestSummary(out: string): Tally | null {
  const clean = out.replace(/\x1b\[[0-9;]*m/g, "");
  const line = /^\s*Tests\s+(.*)$/m.exec(clean)?.[1];
  if (!line) return null;
  const num = (word: string) => Number(new RegExp(`(\\d+) ${word}`).exec(line)?.[1] ?? 0);
  return { passed: num("passed"), failed: num("failed") };
}

// Runs a command with its output streamed to ours and captured for the summary.
async function run(cmd: string[], env: Record<string, string> = {}, quiet = false): Promise<{ code: number; out: string }> {
  const proc = Bun.spawn(cmd, { cwd: root, stdout: "pipe", stderr: "pipe", stdin: "ignore", env: { ...process.env, ...env } });
  const chunks: string[] = [];
  const pump = async (stream: ReadableStream<Uint8Array>, sink: NodeJS.WriteStream) => {
    const dec = new TextDecoder();
    const reader = stream.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (!quiet) sink.write(value);
      chunks.push(dec.decode(value, { stream: true }));
    }
  };
  await Promise.all([pump(proc.stdout, process.stdout), pump(proc.stderr, process.stderr)]);
  return { code: await proc.exited, out: chunks.join("") };
}

export interface Phase {
  name: string;
  files: string[];
  cmd: (files: string[]) => string[];
  parse: (out: string) => Tally | null;
  env?: Record<string, string>;
  perFileRetry?: boolean;
  /** Capture output without echoing it (the runner's own tests use deliberately failing fixtures). */
  quiet?: boolean;
}

const phases: Phase[] = [
  {
    name: "server (bun test)",
    files: [...list("src/**/*.test.ts"), ...list("scripts/**/*.test.ts"), ...list("tests/**/*.test.ts", (f) => f.startsWith("tests/e2e/"))],
    cmd: (files) => [bun, "test", ...files],
    parse: parseBunSummary,
  },
  {
    name: "web client (vitest)",
    files: list("web/**/*.test.{ts,tsx}", (f) => f.startsWith("web/dist/")),
    cmd: () => [bun, "--bun", "vitest", "run", "--config", "vitest.config.ts"],
    parse: parseVitestSummary,
  },
  {
    name: "browser end-to-end (bun test)",
    files: list("tests/e2e/**/*.e2e.ts"),
    cmd: (files) => [bun, "test", ...files],
    parse: parseBunSummary,
    perFileRetry: true,
  },
];

/**
 * Browser suites drive real Chromium instances, a real server and real media on two cores;
 * a loaded machine can starve one of them. Each browser file runs in its own process, and
 * a file that failed runs ONCE more from scratch. A pass on that second run still counts
 * the first run's failures in a loud `FLAKY` line, so flakiness stays visible and gets
 * fixed; a second failure counts as failed.
 */
export async function runPerFileWithRetry(phase: Phase): Promise<{ tally: Tally | null; code: number; flaky: string[] }> {
  const tally: Tally = { passed: 0, failed: 0 };
  const flaky: string[] = [];
  let code = 0;
  for (const file of phase.files) {
    let r = await run(phase.cmd([file]), phase.env, phase.quiet);
    let t = phase.parse(r.out);
    if (r.code !== 0 || !t || t.failed > 0) {
      if (!phase.quiet) console.log(`\n== ${file}: failed on the first run (${t ? `${t.failed} failed` : "no summary"}, exit ${r.code}); running it once more`);
      const first = t;
      r = await run(phase.cmd([file]), phase.env, phase.quiet);
      t = phase.parse(r.out);
      if (r.code === 0 && t && t.failed === 0) flaky.push(`${file} (${first ? first.failed : "?"} failed on the first run, passed on the second)`);
    }
    if (!t) return { tally: null, code: r.code || 1, flaky };
    tally.passed += t.passed;
    tally.failed += t.failed;
    if (r.code !== 0) code = r.code;
  }
  return { tally, code, flaky };
}

async function main(): Promise<number> {
  const total: Tally = { passed: 0, failed: 0 };
  let broken = 0;
  const flakyAll: string[] = [];
  for (const phase of phases) {
    if (phase.files.length === 0) {
      console.log(`\n== ${phase.name}: no test files`);
      continue;
    }
    console.log(`\n== ${phase.name}: ${phase.files.length} files`);
    const started = performance.now();
    let code: number;
    let tally: Tally | null;
    if (phase.perFileRetry) {
      const r = await runPerFileWithRetry(phase);
      ({ code, tally } = r);
      flakyAll.push(...r.flaky);
    } else {
      const r = await run(phase.cmd(phase.files), phase.env);
      code = r.code;
      tally = phase.parse(r.out);
    }
    const secs = ((performance.now() - started) / 1000).toFixed(1);
    if (!tally) {
      broken++;
      console.log(`== ${phase.name}: no summary found (exit ${code}) — counted as a failure [${secs}s]`);
      continue;
    }
    // A runner that exits non-zero with nothing failed crashed or errored outside a test.
    if (code !== 0 && tally.failed === 0) broken++;
    total.passed += tally.passed;
    total.failed += tally.failed;
    console.log(`== ${phase.name}: ${tally.passed} passed, ${tally.failed} failed (exit ${code}) [${secs}s]`);
  }
  const failed = total.failed + broken;
  for (const f of flakyAll) console.log(`FLAKY: ${f}`);
  console.log(`\n${total.passed} passed, ${failed} failed`);
  if (total.passed === 0) console.log("no test ran — counting that as failure");
  return failed > 0 || total.passed === 0 ? 1 : 0;
}

if (import.meta.main) process.exit(await main());
