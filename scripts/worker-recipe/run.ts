// Runs one build command: full output to the log file, a short progress line for
// the human every few seconds (ninja's "[n/m]" counter), and the tail of the log
// when it fails.
import { appendFileSync } from "node:fs";

export const progressIntervalMs = 5_000;
const failureTailLines = 25;

export class StepError extends Error {
  constructor(message: string, readonly logPath: string) {
    super(message);
    this.name = "StepError";
  }
}

export interface RunOpts {
  cwd?: string;
  env?: Record<string, string | undefined>;
  logPath: string;
  /** Called at most every progressIntervalMs with the newest ninja counter. */
  onProgress?: (done: number, total: number) => void;
}

async function pump(stream: ReadableStream<Uint8Array>, onLine: (line: string) => void): Promise<void> {
  const decoder = new TextDecoder();
  let pending = "";
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    pending += decoder.decode(value, { stream: true });
    const lines = pending.split("\n");
    pending = lines.pop() ?? "";
    for (const line of lines) onLine(line);
  }
  if (pending) onLine(pending);
}

export async function run(cmd: string[], opts: RunOpts): Promise<void> {
  appendFileSync(opts.logPath, `\n$ ${cmd.join(" ")}\n`);
  const child = Bun.spawn(cmd, {
    cwd: opts.cwd,
    env: { ...process.env, ...opts.env },
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
  });
  const tail: string[] = [];
  let lastReport = Date.now();
  const onLine = (line: string) => {
    appendFileSync(opts.logPath, `${line}\n`);
    tail.push(line);
    if (tail.length > failureTailLines) tail.shift();
    const counter = /^\[(\d+)\/(\d+)\]/.exec(line);
    if (counter && opts.onProgress && Date.now() - lastReport >= progressIntervalMs) {
      lastReport = Date.now();
      opts.onProgress(Number(counter[1]), Number(counter[2]));
    }
  };
  await Promise.all([pump(child.stdout, onLine), pump(child.stderr, onLine)]);
  const code = await child.exited;
  if (code !== 0) {
    throw new StepError(`\`${cmd.join(" ")}\` exited with ${code}:\n${tail.join("\n")}`, opts.logPath);
  }
}

/** Runs a command and returns its stdout (for short queries like `ldd`). */
export function capture(cmd: string[]): { code: number; out: string } {
  const res = Bun.spawnSync(cmd, { stdout: "pipe", stderr: "pipe" });
  return { code: res.exitCode, out: `${res.stdout.toString()}${res.stderr.toString()}` };
}
